// Fetchers for what the app registered with the plugin (audience sources, template variables), with their keys.
import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';
import type { AudienceSourceInfo, TemplateVariableInfo } from '../../../shared/contracts/extensions';

export const extensionKeys = {
  audienceSources: ['campaigns', 'audience-sources'] as const,
  templateVariables: ['campaigns', 'template-variables'] as const,
};

export const useAudienceSources = () => {
  const { get } = useFetchClient();
  return useQuery(
    extensionKeys.audienceSources,
    async () => (await get<{ data: AudienceSourceInfo[] }>('/campaigns/audience-sources')).data.data,
  );
};

export const useTemplateVariables = () => {
  const { get } = useFetchClient();
  return useQuery(
    extensionKeys.templateVariables,
    async () => (await get<{ data: TemplateVariableInfo[] }>('/campaigns/template-variables')).data.data,
    {
      staleTime: Infinity,
    },
  );
};

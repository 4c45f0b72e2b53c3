// The UTM defaults of Settings (GET /campaigns/utm-defaults), for the editor's final URLs.
import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';
import type { UtmTags } from '../../../shared/utm';

export const useUtmDefaults = (enabled: boolean) => {
  const { get } = useFetchClient();
  return useQuery(
    ['campaigns', 'utm-defaults'],
    async () => (await get<{ data: UtmTags }>('/campaigns/utm-defaults')).data.data,
    { enabled, staleTime: 60_000 },
  );
};

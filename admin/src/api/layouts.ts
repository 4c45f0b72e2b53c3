// Layouts and the message preview: fetchers for the authoring part of the admin API, each with its react-query key.
import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation, useQuery, useQueryClient } from 'react-query';
import type {
  Layout,
  LayoutInput,
  LayoutSummary,
  PreviewRequest,
  PreviewResponse,
} from '../../../shared/contracts/authoring';
import type { Delivery } from '../../../shared/contracts/deliveries';
import { queryKeys as deliveryKeys } from './client';

export const layoutKeys = {
  all: ['campaigns', 'layouts'] as const,
  one: (id: string) => ['campaigns', 'layouts', id] as const,
  preview: (request: PreviewRequest) => ['campaigns', 'preview', request] as const,
};

export const useLayouts = () => {
  const { get } = useFetchClient();
  return useQuery(layoutKeys.all, async () => (await get<{ data: LayoutSummary[] }>('/campaigns/layouts')).data.data);
};

export const useLayout = (id: string | undefined) => {
  const { get } = useFetchClient();
  return useQuery(
    layoutKeys.one(id ?? ''),
    async () => (await get<{ data: Layout }>(`/campaigns/layouts/${id}`)).data.data,
    { enabled: Boolean(id) },
  );
};

/** The message rendered and composed as sending does; `request` null while there is nothing to show. */
export const usePreview = (request: PreviewRequest | null) => {
  const { post } = useFetchClient();
  return useQuery(
    layoutKeys.preview(request ?? { contentMode: 'blocks' }),
    async () => (await post<{ data: PreviewResponse }>('/campaigns/deliveries/preview', request)).data.data,
    { enabled: request !== null, keepPreviousData: true, retry: false },
  );
};

export const useLayoutMutations = () => {
  const { post, put, del } = useFetchClient();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(layoutKeys.all);
  return {
    create: useMutation(
      async (input: LayoutInput & { name: string }) =>
        (await post<{ data: Layout }>('/campaigns/layouts', input)).data.data,
      { onSuccess: refresh },
    ),
    update: useMutation(
      async ({ id, input }: { id: string; input: LayoutInput }) =>
        (await put<{ data: Layout }>(`/campaigns/layouts/${id}`, input)).data.data,
      { onSuccess: refresh },
    ),
    remove: useMutation(async (id: string) => (await del(`/campaigns/layouts/${id}`)).data, { onSuccess: refresh }),
    /** "Save as layout": the delivery's look and blocks kept as a new layout. */
    saveAsLayout: useMutation(
      async ({ id, name }: { id: string; name: string }) =>
        (await post<{ data: Layout }>(`/campaigns/deliveries/${id}/save-as-layout`, { name })).data.data,
      { onSuccess: refresh },
    ),
    /** "New delivery from layout": a draft in blocks that starts with the layout's blocks. */
    newDelivery: useMutation(
      async (layout: LayoutSummary) =>
        (
          await post<{ data: Delivery }>('/campaigns/deliveries', {
            name: layout.name,
            subject: layout.name,
            contentMode: 'blocks',
            layout: layout.documentId,
          })
        ).data.data,
      { onSuccess: () => queryClient.invalidateQueries(deliveryKeys.deliveries) },
    ),
  };
};

// Follow-ups of a delivery: the overview the dashboard shows, and creating one from a sent delivery.
import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation, useQuery, useQueryClient } from 'react-query';
import type { SendResponse } from '../../../shared/contracts/deliveries';
import type { FollowUpsOverview } from '../../../shared/contracts/follow-ups';
import type { FollowUpCreateInput } from '../../../shared/follow-ups';
import { LIVE_REFRESH_MS, queryKeys } from './client';

const keyOf = (id: string) => [...queryKeys.delivery(id), 'follow-ups'] as const;

export const useFollowUps = (id: string, live: boolean) => {
  const { get } = useFetchClient();
  return useQuery(
    keyOf(id),
    async () => (await get<{ data: FollowUpsOverview }>(`/campaigns/deliveries/${id}/follow-ups`)).data.data,
    { refetchInterval: live ? LIVE_REFRESH_MS : false },
  );
};

export const useCreateFollowUp = (parentId: string) => {
  const { post } = useFetchClient();
  const queryClient = useQueryClient();
  return useMutation(
    async (input: FollowUpCreateInput) =>
      (await post<SendResponse>(`/campaigns/deliveries/${parentId}/follow-ups`, input)).data,
    {
      onSuccess: () => {
        void queryClient.invalidateQueries(keyOf(parentId));
        void queryClient.invalidateQueries(queryKeys.deliveries);
      },
    },
  );
};

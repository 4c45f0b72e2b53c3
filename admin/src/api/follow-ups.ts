// Follow-ups of a delivery: the overview the dashboard shows, and creating one from a sent delivery.
import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation, useQuery, useQueryClient } from 'react-query';
import type { SendResponse } from '../../../shared/contracts/deliveries';
import type { FollowUpsOverview } from '../../../shared/contracts/follow-ups';
import type { FollowUpCreateInput } from '../../../shared/follow-ups';
import { isAdvancing } from '../../../shared/lifecycle';
import { LIVE_REFRESH_MS, queryKeys } from './client';

const keyOf = (id: string) => [...queryKeys.delivery(id), 'follow-ups'] as const;

/** Refreshed while a follow-up is scheduled, preparing or sending (its figures move), or while one is not sent yet. */
const moving = (overview: FollowUpsOverview | undefined) =>
  Boolean(overview && (overview.audienceNow !== null || overview.followUps.some((item) => isAdvancing(item.status))));

export const useFollowUps = (id: string, live: boolean) => {
  const { get } = useFetchClient();
  return useQuery(
    keyOf(id),
    async () => (await get<{ data: FollowUpsOverview }>(`/campaigns/deliveries/${id}/follow-ups`)).data.data,
    { refetchInterval: (data) => (live && moving(data) ? LIVE_REFRESH_MS : false) },
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

// A/B tests of a delivery: each variant's figures on the dashboard, and the winner sent on an editor's click.
import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation, useQuery, useQueryClient } from 'react-query';
import type { AbTestResults } from '../../../shared/contracts/ab-tests';
import { LIVE_REFRESH_MS, queryKeys } from './client';

const keyOf = (id: string) => [...queryKeys.delivery(id), 'ab-test'] as const;

/** Refreshed until the winner is chosen: the test's figures move as people open and click. */
export const useAbTest = (id: string, enabled: boolean) => {
  const { get } = useFetchClient();
  return useQuery(
    keyOf(id),
    async () => (await get<{ data: AbTestResults }>(`/campaigns/deliveries/${id}/ab-test`)).data.data,
    { enabled, refetchInterval: (data) => (data && data.winner === null ? LIVE_REFRESH_MS : false) },
  );
};

/** "Send the winner now" (no variant: the leader) or "Pick variant X". */
export const usePickWinner = (id: string) => {
  const { post } = useFetchClient();
  const queryClient = useQueryClient();
  return useMutation(
    async (variant: number | undefined) =>
      (
        await post<{ data: AbTestResults }>(
          `/campaigns/deliveries/${id}/ab-test/winner`,
          variant === undefined ? {} : { variant },
        )
      ).data.data,
    {
      onSuccess: () => {
        void queryClient.invalidateQueries(keyOf(id));
        void queryClient.invalidateQueries(queryKeys.delivery(id));
      },
    },
  );
};

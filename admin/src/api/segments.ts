// Engagement segments: the saved ones, their size and first members (counted by the server as a delivery prepared
// now would count them), and their changes.
import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation, useQuery, useQueryClient } from 'react-query';
import type { ListResponse } from '../../../shared/contracts/common';
import type { Segment, SegmentInput, SegmentMember, SegmentRules, SegmentSize } from '../../../shared/segments';

export interface SegmentEvaluation {
  size: SegmentSize;
  members: SegmentMember[];
}

const keys = {
  all: ['campaigns', 'segments'] as const,
  one: (id: string) => ['campaigns', 'segments', 'one', id] as const,
  evaluation: (rules: SegmentRules | null) => ['campaigns', 'segments', 'evaluation', rules] as const,
};

export const useSegments = () => {
  const { get } = useFetchClient();
  return useQuery(
    keys.all,
    async () => (await get<ListResponse<Segment>>('/campaigns/segments?page=1&pageSize=100&sort=name:asc')).data,
  );
};

export const useSegment = (id: string | null | undefined) => {
  const { get } = useFetchClient();
  return useQuery(
    keys.one(id ?? ''),
    async () => (await get<{ data: Segment }>(`/campaigns/segments/${id}`)).data.data,
    { enabled: Boolean(id), retry: false },
  );
};

/** Size and first members of rules, saved or not (null: nothing to ask yet). */
export const useSegmentEvaluation = (rules: SegmentRules | null) => {
  const { post } = useFetchClient();
  return useQuery(
    keys.evaluation(rules),
    async () => (await post<{ data: SegmentEvaluation }>('/campaigns/segments/evaluate', { rules })).data.data,
    { enabled: rules !== null, retry: false, keepPreviousData: true },
  );
};

export const useSegmentMutations = () => {
  const { post, put, del } = useFetchClient();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(keys.all);
  return {
    save: useMutation(
      async ({ id, input }: { id?: string; input: SegmentInput }) =>
        id
          ? (await put<{ data: Segment }>(`/campaigns/segments/${id}`, input)).data.data
          : (await post<{ data: Segment }>('/campaigns/segments', input)).data.data,
      { onSuccess: refresh },
    ),
    remove: useMutation(async (id: string) => (await del(`/campaigns/segments/${id}`)).data, { onSuccess: refresh }),
  };
};

/** A delivery's segment by name, with the number of messages a delivery to it would send now. */
export const useSegmentAudience = (id: string | null) => {
  const segment = useSegment(id);
  const evaluation = useSegmentEvaluation(id && segment.data ? segment.data.rules : null);
  return {
    name: segment.data?.name ?? null,
    recipients: evaluation.data?.size.recipients ?? null,
    isLoading: segment.isLoading || evaluation.isLoading,
    isError: segment.isError || evaluation.isError,
  };
};

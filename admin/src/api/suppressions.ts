// The suppression list: a page of it, and adding, importing and lifting suppressions.
import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation, useQuery, useQueryClient } from 'react-query';
import type { ListResponse } from '../../../shared/contracts/common';
import type { SuppressionRow } from '../../../shared/contracts/suppressions';
import type { SuppressionAddInput, SuppressionAddResult } from '../../../shared/suppression-input';
import { toSearch } from './client';

const KEY = ['campaigns', 'suppressions'] as const;

export interface SuppressionParams {
  page: number;
  pageSize: number;
  search?: string;
  reason?: string;
}

export const useSuppressions = (params: SuppressionParams) => {
  const { get } = useFetchClient();
  return useQuery(
    [...KEY, params],
    async () => (await get<ListResponse<SuppressionRow>>(`/campaigns/suppressions?${toSearch({ ...params })}`)).data,
    { keepPreviousData: true },
  );
};

export const useSuppressionMutations = () => {
  const { post, del } = useFetchClient();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(KEY);
  return {
    add: useMutation(
      async (input: SuppressionAddInput) =>
        (await post<{ data: SuppressionAddResult }>('/campaigns/suppressions', input)).data.data,
      { onSuccess: refresh },
    ),
    importFile: useMutation(
      async ({ file, note }: { file: File; note?: string }) => {
        const form = new FormData();
        form.append('file', file);
        if (note) form.append('note', note);
        return (await post<{ data: SuppressionAddResult }>('/campaigns/suppressions/import', form)).data.data;
      },
      { onSuccess: refresh },
    ),
    lift: useMutation(async (documentId: string) => del(`/campaigns/suppressions/${documentId}`), {
      onSuccess: refresh,
    }),
  };
};

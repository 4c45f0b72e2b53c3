// Strapi entries in newsletters: the collection types with their shapes, and deliveries made from entries.
import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation, useQuery, useQueryClient } from 'react-query';
import type {
  DigestInput,
  EntryDeliverySummary,
  EntryPage,
  EntryTypeSummary,
  FromEntryInput,
} from '../../../shared/contracts/authoring';
import type { Delivery } from '../../../shared/contracts/deliveries';
import type { EntryShape } from '../../../shared/entries';
import { queryKeys as deliveryKeys } from './client';

export const entryKeys = {
  types: ['campaigns', 'entry-types'] as const,
  deliveries: (uid: string, documentId: string) => ['campaigns', 'entries', uid, documentId, 'deliveries'] as const,
};

const typePath = (uid: string) => encodeURIComponent(uid);

export const useEntryTypes = () => {
  const { get } = useFetchClient();
  return useQuery(
    entryKeys.types,
    async () => (await get<{ data: EntryTypeSummary[] }>('/campaigns/entry-types')).data.data,
  );
};

/** Published entries of a type, searched by title: the entry card's picker. */
export const useEntryPage = (uid: string, search: string) => {
  const { get } = useFetchClient();
  return useQuery(
    ['campaigns', 'entries', uid, 'page', search],
    async () =>
      (
        await get<EntryPage>(
          `/campaigns/entries/${typePath(uid)}?pageSize=10${search ? `&search=${encodeURIComponent(search)}` : ''}`,
        )
      ).data,
    { enabled: Boolean(uid), keepPreviousData: true },
  );
};

export const useEntryDeliveries = (uid: string, documentId: string) => {
  const { get } = useFetchClient();
  return useQuery(
    entryKeys.deliveries(uid, documentId),
    async () =>
      (await get<{ data: EntryDeliverySummary[] }>(`/campaigns/entries/${typePath(uid)}/${documentId}/deliveries`)).data
        .data,
  );
};

export const useEntryMutations = () => {
  const { post, put } = useFetchClient();
  const queryClient = useQueryClient();
  const created = () => queryClient.invalidateQueries(deliveryKeys.deliveries);
  return {
    fromEntry: useMutation(
      async (input: FromEntryInput) =>
        (await post<{ data: Delivery }>('/campaigns/deliveries/from-entry', input)).data.data,
      { onSuccess: created },
    ),
    digest: useMutation(
      async (input: DigestInput) => (await post<{ data: Delivery }>('/campaigns/deliveries/digest', input)).data.data,
      { onSuccess: created },
    ),
    saveShape: useMutation(
      async ({ contentType, ...shape }: EntryShape) =>
        (await put<{ data: EntryShape }>(`/campaigns/entry-types/${typePath(contentType)}/shape`, shape)).data.data,
      { onSuccess: () => queryClient.invalidateQueries(entryKeys.types) },
    ),
  };
};

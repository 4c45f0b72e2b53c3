// Contacts and lists: fetchers and mutations for the audience part of the admin API, each with its react-query key.
import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation, useQuery, useQueryClient } from 'react-query';
import type { Contact, ContactBulkDeleteResult, ContactInput } from '../../../shared/contracts/contacts';
import type { ContactEraseResult } from '../../../shared/contracts/contact-data';
import type { ContactList, ListInput } from '../../../shared/contracts/lists';

export const audienceKeys = {
  all: ['campaigns', 'audience'] as const,
  contact: (id: string) => ['campaigns', 'audience', 'contact', id] as const,
};

export const useContact = (id: string | undefined) => {
  const { get } = useFetchClient();
  return useQuery(
    audienceKeys.contact(id ?? ''),
    async () => (await get<{ data: Contact }>(`/campaigns/contacts/${id}`)).data.data,
    { enabled: Boolean(id), retry: false },
  );
};

/** Every change refreshes the contacts and the lists (their sizes move with their members). */
const useRefreshAudience = () => {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries(['campaigns', 'contacts']),
      queryClient.invalidateQueries(['campaigns', 'lists']),
      queryClient.invalidateQueries(audienceKeys.all),
    ]);
};

export const useContactMutations = () => {
  const { post, put, del } = useFetchClient();
  const refresh = useRefreshAudience();
  return {
    create: useMutation(
      async (input: ContactInput) => (await post<{ data: Contact }>('/campaigns/contacts', input)).data.data,
      { onSuccess: refresh },
    ),
    update: useMutation(
      async ({ id, input }: { id: string; input: ContactInput }) =>
        (await put<{ data: Contact }>(`/campaigns/contacts/${id}`, input)).data.data,
      { onSuccess: refresh },
    ),
    remove: useMutation(async (id: string) => (await del(`/campaigns/contacts/${id}`)).data, { onSuccess: refresh }),
    /** Erasure on request: the typed address confirms it (audience/contact-erasure.ts). */
    erase: useMutation(
      async ({ id, email }: { id: string; email: string }) =>
        (await post<{ data: ContactEraseResult }>(`/campaigns/contacts/${id}/erase`, { email })).data.data,
      { onSuccess: refresh },
    ),
    removeMany: useMutation(
      async (documentIds: string[]) =>
        (await post<{ data: ContactBulkDeleteResult }>('/campaigns/contacts/delete', { documentIds })).data.data,
      { onSuccess: refresh },
    ),
  };
};

export const useListMutations = () => {
  const { post, put, del } = useFetchClient();
  const refresh = useRefreshAudience();
  return {
    create: useMutation(
      async (input: ListInput) => (await post<{ data: ContactList }>('/campaigns/lists', input)).data.data,
      { onSuccess: refresh },
    ),
    update: useMutation(
      async ({ id, input }: { id: string; input: ListInput }) =>
        (await put<{ data: ContactList }>(`/campaigns/lists/${id}`, input)).data.data,
      { onSuccess: refresh },
    ),
    remove: useMutation(async (id: string) => (await del(`/campaigns/lists/${id}`)).data, { onSuccess: refresh }),
  };
};

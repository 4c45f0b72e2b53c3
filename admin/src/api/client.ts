// Fetchers for the plugin's admin API, each paired with its react-query key.
import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';
import type { ListResponse } from '../../../shared/contracts/common';
import type { Contact } from '../../../shared/contracts/contacts';
import type { ContactList } from '../../../shared/contracts/lists';

export const queryKeys = {
  contacts: (params: Record<string, unknown>) => ['campaigns', 'contacts', params] as const,
  lists: (params: Record<string, unknown>) => ['campaigns', 'lists', params] as const,
  settings: ['campaigns', 'settings'] as const,
};

const toSearch = (params: Record<string, unknown>) =>
  new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)])).toString();

export const useContacts = (params: { page: number; pageSize: number; search?: string }) => {
  const { get } = useFetchClient();
  return useQuery(queryKeys.contacts(params), async () => {
    const { data } = await get<ListResponse<Contact>>(`/campaigns/contacts?${toSearch(params)}`);
    return data;
  }, { keepPreviousData: true });
};

export const useLists = (params: { page: number; pageSize: number; search?: string }) => {
  const { get } = useFetchClient();
  return useQuery(queryKeys.lists(params), async () => {
    const { data } = await get<ListResponse<ContactList>>(`/campaigns/lists?${toSearch(params)}`);
    return data;
  }, { keepPreviousData: true });
};

export const useSettings = () => {
  const { get } = useFetchClient();
  return useQuery(queryKeys.settings, async () => {
    const { data } = await get<{ data: Record<string, unknown> }>('/campaigns/settings');
    return data.data;
  });
};

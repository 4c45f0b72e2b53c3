// The CSV import from the admin: the file sent with the admin's column mapping, then its job read until it ends.
import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation, useQuery, useQueryClient } from 'react-query';
import type { ContactImportJob } from '../../../shared/contracts/contacts';

/** How often a running import is read again for its progress. */
const PROGRESS_MS = 500;

export interface ImportRequest {
  file: File;
  columns: string[];
  list?: string;
  newList?: string;
}

export const useStartImport = () => {
  const { post } = useFetchClient();
  return useMutation(async (request: ImportRequest) => {
    const body = new FormData();
    body.append('file', request.file);
    body.append('columns', JSON.stringify(request.columns));
    if (request.list) body.append('list', request.list);
    if (request.newList) body.append('newList', request.newList);
    return (await post<{ data: ContactImportJob }>('/campaigns/contacts/import', body)).data.data;
  });
};

/** The job, read again while it runs; once it ends, the contacts and lists are refreshed. */
export const useImportJob = (id: string | undefined) => {
  const { get } = useFetchClient();
  const queryClient = useQueryClient();
  return useQuery(
    ['campaigns', 'contact-import', id ?? ''],
    async () => (await get<{ data: ContactImportJob }>(`/campaigns/contacts/imports/${id}`)).data.data,
    {
      enabled: Boolean(id),
      refetchInterval: (job) => (job && job.status !== 'running' ? false : PROGRESS_MS),
      onSuccess: (job) => {
        if (job.status !== 'running') {
          void queryClient.invalidateQueries(['campaigns', 'contacts']);
          void queryClient.invalidateQueries(['campaigns', 'lists']);
        }
      },
    },
  );
};

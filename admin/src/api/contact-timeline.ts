// A contact's timeline (GET /campaigns/contacts/:id/timeline): a page of its history and its engagement score.
import { useFetchClient } from '@strapi/strapi/admin';
import { useQuery } from 'react-query';
import type { ContactTimelineResponse } from '../../../shared/contracts/contact-timeline';
import { audienceKeys } from './audience';
import { toSearch } from './client';

export const useContactTimeline = (id: string, page: number, pageSize = 20) => {
  const { get } = useFetchClient();
  return useQuery(
    [...audienceKeys.contact(id), 'timeline', page, pageSize],
    async () =>
      (await get<ContactTimelineResponse>(`/campaigns/contacts/${id}/timeline?${toSearch({ page, pageSize })}`)).data,
    { keepPreviousData: true },
  );
};

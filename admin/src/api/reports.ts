// Fetchers for hot clicks and reports, each paired with its react-query key.
import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation, useQuery, useQueryClient } from 'react-query';
import type {
  HotClicksResponse,
  ReportQuery,
  ReportQueryResponse,
  ReportSchemaResponse,
  SavedReport,
  SavedReportInput,
  SavedReportListResponse,
  SavedReportResponse,
  ReportSchedule,
} from '../../../shared/contracts/reports';
import type { ReportScheduleInput } from '../../../shared/report-schedule';
import { toSearch } from './client';

export const reportKeys = {
  hotClicks: (id: string, params: Record<string, unknown>) =>
    ['campaigns', 'deliveries', id, 'hot-clicks', params] as const,
  schema: ['campaigns', 'reports', 'schema'] as const,
  all: ['campaigns', 'reports'] as const,
  list: ['campaigns', 'reports', 'list'] as const,
  one: (id: string) => ['campaigns', 'reports', 'one', id] as const,
  schedule: (id: string) => ['campaigns', 'reports', 'schedule', id] as const,
  query: (query: ReportQuery) => ['campaigns', 'reports', 'query', query] as const,
};

/**
 * Reports follow new events by themselves, more slowly than live monitoring: each refresh is a real query. react-query
 * skips interval refetches while the tab is hidden (refetchIntervalInBackground is off), so a hidden tab asks nothing.
 */
export const REPORT_REFRESH_MS = 10_000;

export const useHotClicks = (id: string, params: { mode: 'total' | 'unique'; include: string }, live = false) => {
  const { get } = useFetchClient();
  return useQuery(
    reportKeys.hotClicks(id, params),
    async () => {
      const { data } = await get<HotClicksResponse>(`/campaigns/deliveries/${id}/hot-clicks?${toSearch(params)}`);
      return data;
    },
    { keepPreviousData: true, refetchInterval: live ? REPORT_REFRESH_MS : false },
  );
};

export const useReportSchema = () => {
  const { get } = useFetchClient();
  return useQuery(
    reportKeys.schema,
    async () => (await get<ReportSchemaResponse>('/campaigns/reports/schema')).data.data,
    { staleTime: Infinity },
  );
};

export const useSavedReports = () => {
  const { get } = useFetchClient();
  return useQuery(reportKeys.list, async () => (await get<SavedReportListResponse>('/campaigns/reports')).data.data);
};

export const useSavedReport = (id: string | undefined) => {
  const { get } = useFetchClient();
  return useQuery(
    reportKeys.one(id ?? ''),
    async () => (await get<SavedReportResponse>(`/campaigns/reports/${id}`)).data.data,
    {
      enabled: Boolean(id),
    },
  );
};

/** Runs a report query; refreshes every few seconds while the tab is visible, keeping the last answer on screen. */
export const useReportQuery = (query: ReportQuery | null) => {
  const { post } = useFetchClient();
  return useQuery(
    reportKeys.query(query ?? ({} as ReportQuery)),
    async () => (await post<ReportQueryResponse>('/campaigns/reports/query', query)).data,
    {
      enabled: Boolean(query),
      keepPreviousData: true,
      refetchInterval: REPORT_REFRESH_MS,
      retry: false,
    },
  );
};

export const useReportMutations = () => {
  const { post, put, del } = useFetchClient();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(reportKeys.all);
  return {
    create: useMutation(
      async (input: SavedReportInput) => (await post<SavedReportResponse>('/campaigns/reports', input)).data.data,
      { onSuccess: refresh },
    ),
    update: useMutation(
      async ({ id, input }: { id: string; input: SavedReportInput }) =>
        (await put<SavedReportResponse>(`/campaigns/reports/${id}`, input)).data.data,
      { onSuccess: refresh },
    ),
    duplicate: useMutation(
      async (id: string) => (await post<SavedReportResponse>(`/campaigns/reports/${id}/duplicate`, {})).data.data,
      { onSuccess: refresh },
    ),
    remove: useMutation(async (id: string) => (await del(`/campaigns/reports/${id}`)).data, { onSuccess: refresh }),
  };
};

/** A saved report's email schedule (null when it has none) and what changes it. */
export const useReportSchedule = (id: string) => {
  const { get, put, post, del } = useFetchClient();
  const queryClient = useQueryClient();
  const key = reportKeys.schedule(id);
  const keep = (schedule: ReportSchedule | null) => {
    queryClient.setQueryData(key, schedule);
  };
  return {
    schedule: useQuery(
      key,
      async () => (await get<{ data: ReportSchedule | null }>(`/campaigns/reports/${id}/schedule`)).data.data,
    ),
    save: useMutation(
      async (input: ReportScheduleInput) =>
        (await put<{ data: ReportSchedule }>(`/campaigns/reports/${id}/schedule`, input)).data.data,
      { onSuccess: keep },
    ),
    sendNow: useMutation(
      async () => (await post<{ data: ReportSchedule }>(`/campaigns/reports/${id}/schedule/send`, {})).data.data,
      { onSuccess: keep },
    ),
    remove: useMutation(async () => (await del(`/campaigns/reports/${id}/schedule`)).data, {
      onSuccess: () => keep(null),
    }),
  };
};

export type { SavedReport };

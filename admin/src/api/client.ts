// Fetchers for the plugin's admin API, each paired with its react-query key.
import { useFetchClient } from '@strapi/strapi/admin';
import { useMutation, useQuery, useQueryClient } from 'react-query';
import type { ListResponse } from '../../../shared/contracts/common';
import type { Contact } from '../../../shared/contracts/contacts';
import type {
  Delivery,
  DeliveryInput,
  DeliveryLog,
  RetryFailedResult,
  SendResponse,
  TestSendInput,
  TestSendResult,
} from '../../../shared/contracts/deliveries';
import type { MailboxReviewResponse, MailboxVerifyResult } from '../../../shared/contracts/bounce-mailbox';
import type { ContactList } from '../../../shared/contracts/lists';
import type {
  AlertListResponse,
  IndicatorsResponse,
  MonitoringResponse,
  SettingsPatch,
  TimelineResponse,
} from '../../../shared/contracts/monitoring';
import type { TrackedLinksResponse, TrackingLogResponse } from '../../../shared/contracts/tracking-logs';
import { downloadBlob } from '../utils/download';
import { isActive, isAdvancing } from '../../../shared/lifecycle';

type Params = Record<string, unknown>;

export const queryKeys = {
  contacts: (params: Params) => ['campaigns', 'contacts', params] as const,
  lists: (params: Params) => ['campaigns', 'lists', params] as const,
  deliveries: ['campaigns', 'deliveries'] as const,
  deliveryList: (params: Params) => ['campaigns', 'deliveries', 'list', params] as const,
  delivery: (id: string) => ['campaigns', 'deliveries', id] as const,
  indicators: (id: string, include: string) => ['campaigns', 'deliveries', id, 'indicators', include] as const,
  timeline: (id: string, params: Params) => ['campaigns', 'deliveries', id, 'timeline', params] as const,
  deliveryLogs: (id: string, params: Params) => ['campaigns', 'deliveries', id, 'logs', params] as const,
  trackingLogs: (id: string, params: Params) => ['campaigns', 'deliveries', id, 'tracking', params] as const,
  links: (id: string) => ['campaigns', 'deliveries', id, 'links'] as const,
  monitoring: ['campaigns', 'monitoring'] as const,
  alerts: (params: Params) => ['campaigns', 'alerts', params] as const,
  settings: ['campaigns', 'settings'] as const,
  mailboxReview: ['campaigns', 'bounce-mailbox', 'review'] as const,
};

/** Query string of the defined, non-empty values. */
export const toSearch = (params: Params) =>
  new URLSearchParams(
    Object.entries(params)
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => [k, String(v)]),
  ).toString();

/** How often live views refresh themselves. */
export const LIVE_REFRESH_MS = 3000;

// --- audience ---

export interface ContactListParams {
  page: number;
  pageSize: number;
  search?: string;
  status?: string;
  list?: string;
  sort?: string;
}

export const useContacts = (params: ContactListParams) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.contacts(params as unknown as Params),
    async () => {
      const { data } = await get<ListResponse<Contact>>(`/campaigns/contacts?${toSearch(params as unknown as Params)}`);
      return data;
    },
    { keepPreviousData: true },
  );
};

export const useLists = (params: { page: number; pageSize: number; search?: string; sort?: string }) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.lists(params),
    async () => {
      const { data } = await get<ListResponse<ContactList>>(`/campaigns/lists?${toSearch(params)}`);
      return data;
    },
    { keepPreviousData: true },
  );
};

// --- deliveries ---

export interface DeliveryListParams {
  page: number;
  pageSize: number;
  search?: string;
  status?: string;
  sort?: string;
}

export const useDeliveries = (params: DeliveryListParams) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.deliveryList(params as unknown as Params),
    async () => {
      const { data } = await get<ListResponse<Delivery>>(
        `/campaigns/deliveries?${toSearch(params as unknown as Params)}`,
      );
      return data;
    },
    {
      keepPreviousData: true,
      refetchInterval: (data) => (data?.data.some((d) => isAdvancing(d.status)) ? LIVE_REFRESH_MS : false),
    },
  );
};

export const useDelivery = (id: string | undefined, options: { live?: boolean } = {}) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.delivery(id ?? ''),
    async () => {
      const { data } = await get<{ data: Delivery }>(`/campaigns/deliveries/${id}`);
      return data.data;
    },
    {
      enabled: Boolean(id),
      refetchInterval: (data) => (options.live && data && isActive(data.status) ? LIVE_REFRESH_MS : false),
    },
  );
};

/** Indicators: bots and machine opens left out unless `include` names them ("bots", "machine", "bots,machine"). */
export const useIndicators = (id: string, options: { include?: string; enabled?: boolean; live?: boolean } = {}) => {
  const { get } = useFetchClient();
  const include = options.include ?? '';
  return useQuery(
    queryKeys.indicators(id, include),
    async () => {
      const { data } = await get<IndicatorsResponse>(`/campaigns/deliveries/${id}/indicators?${toSearch({ include })}`);
      return data;
    },
    {
      enabled: options.enabled ?? true,
      refetchInterval: options.live ? LIVE_REFRESH_MS : false,
      keepPreviousData: true,
    },
  );
};

export const useTimeline = (id: string, params: { bucket: 'hour' | 'day'; include?: string }, live = false) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.timeline(id, params),
    async () => {
      const { data } = await get<TimelineResponse>(`/campaigns/deliveries/${id}/timeline?${toSearch(params)}`);
      return data;
    },
    { keepPreviousData: true, refetchInterval: live ? LIVE_REFRESH_MS : false },
  );
};

export interface DeliveryLogParams {
  page: number;
  pageSize: number;
  search?: string;
  status?: string;
  failureType?: string;
  failureReason?: string;
  exclusionReason?: string;
  sort?: string;
}

export const deliveryLogsUrl = (id: string, params: Params) => `/campaigns/deliveries/${id}/logs?${toSearch(params)}`;

export const useDeliveryLogs = (id: string, params: DeliveryLogParams, live = false) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.deliveryLogs(id, params as unknown as Params),
    async () => {
      const { data } = await get<ListResponse<DeliveryLog>>(deliveryLogsUrl(id, params as unknown as Params));
      return data;
    },
    { keepPreviousData: true, refetchInterval: live ? LIVE_REFRESH_MS : false },
  );
};

export interface TrackingLogParams {
  page: number;
  pageSize: number;
  type?: string;
  isBot?: string;
  isMachineOpen?: string;
  link?: string;
  device?: string;
}

export const trackingLogsUrl = (id: string, params: Params) =>
  `/campaigns/deliveries/${id}/tracking?${toSearch(params)}`;

export const useTrackingLogs = (id: string, params: TrackingLogParams, live = false) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.trackingLogs(id, params as unknown as Params),
    async () => {
      const { data } = await get<TrackingLogResponse>(trackingLogsUrl(id, params as unknown as Params));
      return data;
    },
    { keepPreviousData: true, refetchInterval: live ? LIVE_REFRESH_MS : false },
  );
};

export const useDeliveryLinks = (id: string, live = false) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.links(id),
    async () => {
      const { data } = await get<TrackedLinksResponse>(`/campaigns/deliveries/${id}/links`);
      return data;
    },
    { refetchInterval: live ? LIVE_REFRESH_MS : false },
  );
};

/** Creating, editing, deleting and the actions that move a delivery; each refreshes what it changed. */
export const useDeliveryMutations = () => {
  const { post, put, del } = useFetchClient();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(queryKeys.deliveries);
  const useAction = <T>(name: string) =>
    useMutation(
      async ({ id, body }: { id: string; body?: unknown }) =>
        (await post<T>(`/campaigns/deliveries/${id}/${name}`, body ?? {})).data,
      {
        onSuccess: refresh,
      },
    );

  return {
    create: useMutation(
      async (input: DeliveryInput) => (await post<{ data: Delivery }>('/campaigns/deliveries', input)).data.data,
      { onSuccess: refresh },
    ),
    update: useMutation(
      async ({ id, input }: { id: string; input: DeliveryInput }) =>
        (await put<{ data: Delivery }>(`/campaigns/deliveries/${id}`, input)).data.data,
      {
        onSuccess: refresh,
      },
    ),
    remove: useMutation(async (id: string) => (await del(`/campaigns/deliveries/${id}`)).data, { onSuccess: refresh }),
    send: useAction<SendResponse>('send'),
    pause: useAction<{ data: Delivery }>('pause'),
    resume: useAction<{ data: Delivery }>('resume'),
    cancel: useAction<{ data: Delivery }>('cancel'),
    retryFailed: useAction<{ data: RetryFailedResult }>('retry-failed'),
    test: useMutation(
      async ({ id, body }: { id: string; body: TestSendInput }) =>
        (await post<{ data: TestSendResult }>(`/campaigns/deliveries/${id}/test`, body)).data.data,
    ),
  };
};

/** Downloads an admin API CSV (the request needs the admin's token, so a plain link cannot). */
export const useCsvDownload = () => {
  const { get } = useFetchClient();
  return async (url: string, fallbackName: string) => {
    const response = await get(url, { responseType: 'blob' });
    const disposition = response.headers?.get('content-disposition') ?? '';
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
    downloadBlob(response.data, filename);
  };
};

// --- monitoring, alerts, settings ---

export const useMonitoring = () => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.monitoring,
    async () => {
      const { data } = await get<MonitoringResponse>('/campaigns/monitoring');
      return data;
    },
    { refetchInterval: LIVE_REFRESH_MS, keepPreviousData: true },
  );
};

export const useAlerts = (params: { page: number; pageSize: number; delivery?: string }, live = false) => {
  const { get } = useFetchClient();
  return useQuery(
    queryKeys.alerts(params),
    async () => {
      const { data } = await get<AlertListResponse>(`/campaigns/alerts?${toSearch(params)}`);
      return data;
    },
    { keepPreviousData: true, refetchInterval: live ? LIVE_REFRESH_MS : false },
  );
};

export type PublicSettings = Record<string, unknown>;

export const useSettings = () => {
  const { get } = useFetchClient();
  return useQuery(queryKeys.settings, async () => {
    const { data } = await get<{ data: PublicSettings }>('/campaigns/settings');
    return data.data;
  });
};

/** The bounce mailbox's messages kept for review (server/src/tracking/bounce-mailbox.ts). */
export const useMailboxReview = () => {
  const { get } = useFetchClient();
  return useQuery(queryKeys.mailboxReview, async () => {
    const { data } = await get<MailboxReviewResponse>('/campaigns/bounce-mailbox/review');
    return data.data;
  });
};

export const useVerifyBounceMailbox = () => {
  const { post } = useFetchClient();
  return useMutation(
    async () => (await post<{ data: MailboxVerifyResult }>('/campaigns/settings/verify-bounce-mailbox', {})).data.data,
  );
};

export const useSettingsMutations = () => {
  const { post, put } = useFetchClient();
  const queryClient = useQueryClient();
  return {
    save: useMutation(
      async (patch: SettingsPatch) => (await put<{ data: PublicSettings }>('/campaigns/settings', patch)).data.data,
      {
        onSuccess: (data) => {
          queryClient.setQueryData(queryKeys.settings, data);
        },
      },
    ),
    verifyTransport: useMutation(
      async () =>
        (
          await post<{ data: { ok: boolean; error?: string; messenger: string } }>(
            '/campaigns/settings/verify-transport',
            {},
          )
        ).data.data,
    ),
  };
};

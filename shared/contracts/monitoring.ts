// Indicators, timeline, live monitoring, alerts, retention and settings: the shapes of their admin API answers.
import type { AlertCriterion, DeliveryStatus, EditableKey } from '../constants';
import type { PluginConfig } from '../config-schema';
import type { Indicators } from './indicators';
import type { DeliveryCounters, PauseReason } from './deliveries';
import type { Pagination } from './common';

export type { Indicators, AlertCriterion };

/** Which flagged events count: both false by default (bots and machine opens left out). */
export interface IndicatorsInclude {
  bots: boolean;
  machine: boolean;
}

/** `?include=bots,machine` (either, both, or nothing). */
export interface IndicatorsQuery {
  include?: string;
}

export interface LeftOut {
  /** Events not counted: `bots` (flagged as bots or link scanners) + `machineOpens` (e.g. Apple Mail Privacy Protection). */
  events: number;
  bots: number;
  machineOpens: number;
  /** Recipients who would count as opener / clicker if the left-out events counted. */
  recipients: { opens: number; clicks: number };
}

/** GET /campaigns/deliveries/:id/indicators */
export interface IndicatorsResponse {
  data: Indicators;
  meta: {
    delivery: { id: number; documentId: string; name: string; status: DeliveryStatus };
    include: IndicatorsInclude;
    leftOut: LeftOut;
    computedAt: string;
  };
}

/** GET /campaigns/deliveries/:id/timeline?bucket=hour|day&include=&from=&to= */
export interface TimelineQuery {
  bucket?: 'hour' | 'day';
  include?: string;
  from?: string;
  to?: string;
}

export interface TimelineResponse {
  data: Array<{ at: string; opens: number; clicks: number }>;
  meta: { bucket: 'hour' | 'day'; include: IndicatorsInclude; timeZone: string };
}

export interface AlertRecipientResult {
  email: string;
  sent: boolean;
  error?: string;
}

export interface Alert {
  id: number;
  documentId: string;
  criterion: AlertCriterion;
  deliveryId: number | null;
  delivery: { documentId: string; name: string } | null;
  message: string;
  recipients: AlertRecipientResult[];
  at: string;
}

/** The payload of the `campaigns.alert` event on strapi.eventHub (and of the CAMPAIGNS_ALERT webhook). */
export interface AlertEvent extends Alert {
  details: Record<string, unknown>;
}

/** GET /campaigns/alerts?page&pageSize&criterion&delivery */
export interface AlertListQuery {
  page: number;
  pageSize: number;
  criterion?: AlertCriterion;
  /** documentId of a delivery */
  delivery?: string;
}

export interface AlertListResponse {
  data: Alert[];
  meta: { pagination: Pagination };
}

export interface MonitoredDelivery {
  id: number;
  documentId: string;
  name: string;
  status: DeliveryStatus;
  scheduledAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  sendAfter: string | null;
  sendRate: number | null;
  estimatedRecipients: number | null;
  lastError: string | null;
  /** Paused by the system because the relay failed, and when it is tried next (shared/contracts/deliveries.ts). */
  pauseReason: PauseReason | null;
  nextProbeAt: string | null;
  counters: DeliveryCounters;
  /** (sent + failed + bounced) / (targeted - excluded), 0..1. */
  progress: number;
  /** Messages sent per minute over the last 5 minutes (from the logs' sentAt). */
  throughputPerMinute: number;
  errors: {
    failedHard: number;
    failedSoft: number;
    bounced: number;
    /** Pending recipients that failed softly and wait for their next attempt. */
    retrying: number;
  };
  alerts: Alert[];
}

export interface TransportHealth {
  ok: boolean;
  error?: string;
  messenger: string;
  checkedAt: string;
}

/** GET /campaigns/monitoring */
export interface MonitoringResponse {
  data: {
    deliveries: MonitoredDelivery[];
    /** Alerts of the last 24 hours, newest first (at most 50). */
    alerts: Alert[];
    transport: TransportHealth;
    /** What this Strapi process is doing (each replica answers for itself). */
    process: { sending: number[]; preparing: number[]; tracking: { recorded: number; failed: number; queued: number } };
  };
  meta: { at: string };
}

/** POST /campaigns/settings/retention/run */
export interface RetentionReport {
  trackingLogs: number;
  deliveryLogs: number;
  deliveries: number;
  trackedLinks: number;
  alerts: number;
  /** Contacts newly flagged inactive, and contacts no longer inactive. */
  inactiveContacts: number;
  reactivatedContacts: number;
  /** DELETE statements run (each at most retention.batchSize rows). */
  batches: number;
  durationMs: number;
}

type DeepPartial<T> =
  T extends Array<infer U> ? Array<U> : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** PUT /campaigns/settings: any part of the editable sections; smtp.pass "********" keeps the stored password. */
export type SettingsPatch = DeepPartial<Pick<PluginConfig, EditableKey>>;

// The tracking events of one delivery and its links with their clicks, as the admin API answers them.
import type { DeviceType, FlagReason, TrackedLinkKind, TrackingEventType } from '../constants';
import type { Pagination } from './common';

/** One row of GET /campaigns/deliveries/:id/tracking. */
export interface TrackingEvent {
  id: number;
  type: TrackingEventType;
  at: string;
  /** The recipient's address (from the delivery log); null when individual tracking was off. */
  email: string | null;
  deliveryLogId: number | null;
  /** The clicked link (clicks only). */
  link: { id: number; documentId: string; url: string; label: string | null; position: number } | null;
  device: DeviceType;
  os: string | null;
  client: string | null;
  isBot: boolean;
  isMachineOpen: boolean;
  /** Why isBot or isMachineOpen is set; null when neither is, and on events stored before reasons were kept. */
  flagReason: FlagReason | null;
  userAgent: string | null;
  /** Only when tracking.storeIp is on (anonymised unless tracking.anonymizeIp is off). */
  ip: string | null;
}

export interface TrackingLogQuery {
  page: number;
  pageSize: number;
  sort: string;
  type?: TrackingEventType;
  isBot?: boolean;
  isMachineOpen?: boolean;
  /** documentId of a tracked link of the delivery. */
  link?: string;
  device?: DeviceType;
  format?: 'json' | 'csv';
}

export interface TrackingLogResponse {
  data: TrackingEvent[];
  meta: { pagination: Pagination };
}

/** One row of GET /campaigns/deliveries/:id/links: a link of the message, in the order of the HTML. */
export interface TrackedLinkStats {
  id: number;
  documentId: string;
  url: string;
  /** The anchor's text (or the alt text of the image it wraps); null when it has neither. */
  label: string | null;
  /** 0-based index among the message's anchors, as in tracking events and hot clicks. */
  position: number;
  kind: TrackedLinkKind;
  tracked: boolean;
  /** Click events, bots left out. */
  clicks: number;
  /** Messages with at least one click on this link, bots left out. */
  uniqueClicks: number;
  /** Click events flagged as bots or link scanners. */
  botClicks: number;
}

export interface TrackedLinksResponse {
  data: TrackedLinkStats[];
  meta: { totalClicks: number; uniqueClicks: number; botClicks: number };
}

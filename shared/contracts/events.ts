// Events the plugin puts on Strapi's event hub (strapi.eventHub) and offers to Strapi's webhooks (Settings > Webhooks).
// Every payload is small, carries `version: 1` and is emitted once its write is committed. A webhook receives the
// payload's fields next to Strapi's own `event` and `createdAt`.

/** Event name (on the event hub and in a webhook's body) by kind. */
export const CAMPAIGNS_EVENTS = {
  deliveryScheduled: 'campaigns.delivery.scheduled',
  deliveryStarted: 'campaigns.delivery.started',
  deliveryPrepared: 'campaigns.delivery.prepared',
  deliveryPaused: 'campaigns.delivery.paused',
  deliveryResumed: 'campaigns.delivery.resumed',
  deliveryFinished: 'campaigns.delivery.finished',
  deliveryFailed: 'campaigns.delivery.failed',
  deliveryCancelled: 'campaigns.delivery.cancelled',
  messageSent: 'campaigns.message.sent',
  messageFailed: 'campaigns.message.failed',
  messageBounced: 'campaigns.message.bounced',
  contactOpened: 'campaigns.contact.opened',
  contactClicked: 'campaigns.contact.clicked',
  contactUnsubscribed: 'campaigns.contact.unsubscribed',
  contactComplained: 'campaigns.contact.complained',
  contactSubscribed: 'campaigns.contact.subscribed',
  contactConfirmed: 'campaigns.contact.confirmed',
  alertRaised: 'campaigns.alert',
} as const;

export type CampaignsEventKind = keyof typeof CAMPAIGNS_EVENTS;
export type CampaignsEventName = (typeof CAMPAIGNS_EVENTS)[CampaignsEventKind];

/** The key under which Strapi's webhook settings list an event: CAMPAIGNS_DELIVERY_STARTED for campaigns.delivery.started. */
export const webhookKeyOf = (name: CampaignsEventName): string => name.replace(/[.]/g, '_').toUpperCase();

/** The delivery an event is about. */
export interface EventDelivery {
  id: number;
  documentId: string;
  name: string;
}

export interface DeliveryEventCounters {
  targeted: number;
  excluded: number;
  pending: number;
  sent: number;
  failedHard: number;
  failedSoft: number;
  bounced: number;
  unknown: number;
}

/** campaigns.delivery.*: a status change of a delivery. */
export interface DeliveryEvent {
  version: 1;
  delivery: EventDelivery;
  status: string;
  previousStatus: string;
  /** ISO 8601. */
  at: string;
  /** Recipients so far (prepared, finished, failed, cancelled, paused). */
  counters?: DeliveryEventCounters;
  /** Why it failed (failed), or what it waits for (scheduled: scheduledAt). */
  error?: string;
  scheduledAt?: string;
  /** failed: 'preparation' when the message could not be composed or the audience not resolved. */
  stage?: 'preparation' | 'sending';
}

/** campaigns.message.*: one message of a delivery. */
export interface MessageEvent {
  version: 1;
  deliveryId: number;
  deliveryDocumentId: string;
  deliveryLogId: number;
  contactId: number | null;
  email: string;
  messageId: string | null;
  at: string;
  /** failed and bounced. */
  failureType?: 'hard' | 'soft' | 'ignored' | null;
  failureReason?: string | null;
  failureMessage?: string | null;
}

/** campaigns.contact.*: a recipient's reaction to a message. */
export interface ContactEvent {
  version: 1;
  /** The delivery whose message the reaction came from; null for an unsubscription through the programmatic API. */
  deliveryId: number | null;
  deliveryDocumentId: string | null;
  /** null when individual tracking is off (tracking.individualTracking = false). */
  deliveryLogId: number | null;
  contactId: number | null;
  email: string | null;
  at: string;
  /** opened, clicked: a link scanner or a crawler (left out of the indicators by default). */
  isBot?: boolean;
  /** opened: an image proxy fetched the pixel (Apple Mail Privacy Protection and the like). */
  isMachineOpen?: boolean;
  /** clicked. */
  url?: string;
  trackedLinkId?: number;
  /** unsubscribed: the one-click POST, the unsubscribe page, or the programmatic API. */
  source?: 'one_click' | 'page' | 'api';
}

/** campaigns.contact.subscribed / confirmed: a sign-up from a public form, and its confirmation (double opt-in). */
export interface SignupEvent {
  version: 1;
  contactId: number;
  email: string;
  /** documentIds of the lists joined now. */
  lists: string[];
  /** subscribed: documentIds of the lists that wait for the confirmation email's link. */
  pendingLists?: string[];
  /** The form it came from (its `source` field). */
  source: string | null;
  at: string;
}

export interface EventPayloads {
  'campaigns.delivery.scheduled': DeliveryEvent;
  'campaigns.delivery.started': DeliveryEvent;
  'campaigns.delivery.prepared': DeliveryEvent;
  'campaigns.delivery.paused': DeliveryEvent;
  'campaigns.delivery.resumed': DeliveryEvent;
  'campaigns.delivery.finished': DeliveryEvent;
  'campaigns.delivery.failed': DeliveryEvent;
  'campaigns.delivery.cancelled': DeliveryEvent;
  'campaigns.message.sent': MessageEvent;
  'campaigns.message.failed': MessageEvent;
  'campaigns.message.bounced': MessageEvent;
  'campaigns.contact.opened': ContactEvent;
  'campaigns.contact.clicked': ContactEvent;
  'campaigns.contact.unsubscribed': ContactEvent;
  'campaigns.contact.complained': ContactEvent;
  'campaigns.contact.subscribed': SignupEvent;
  'campaigns.contact.confirmed': SignupEvent;
  /** The alert as recorded (see shared/contracts/monitoring.ts AlertEvent). */
  'campaigns.alert': import('./monitoring').AlertEvent;
}

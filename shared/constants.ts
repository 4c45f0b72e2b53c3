// Names the plugin declares once, for the server and the admin alike: content-type UIDs, statuses, failure reasons,
// alert criteria, editable settings and RBAC actions. Imports nothing, so both sides can read it.

export const PLUGIN_ID = 'campaigns' as const;

/** What every content-type UID of the plugin starts with. */
export const UID_PREFIX = `plugin::${PLUGIN_ID}.` as const;

export const UID = {
  contact: 'plugin::campaigns.contact',
  list: 'plugin::campaigns.list',
  delivery: 'plugin::campaigns.delivery',
  trackedLink: 'plugin::campaigns.tracked-link',
  deliveryLog: 'plugin::campaigns.delivery-log',
  trackingLog: 'plugin::campaigns.tracking-log',
  eventCount: 'plugin::campaigns.event-count',
  messageCount: 'plugin::campaigns.message-count',
  messageDay: 'plugin::campaigns.message-day',
  dayCount: 'plugin::campaigns.day-count',
  hourCount: 'plugin::campaigns.hour-count',
  placeCount: 'plugin::campaigns.place-count',
  report: 'plugin::campaigns.report',
  alert: 'plugin::campaigns.alert',
  suppression: 'plugin::campaigns.suppression',
  layout: 'plugin::campaigns.layout',
  reportSchedule: 'plugin::campaigns.report-schedule',
  consent: 'plugin::campaigns.consent',
  segment: 'plugin::campaigns.segment',
} as const;
export type ContentTypeName = keyof typeof UID;

/** unconfirmed: signed up through the public form for a double opt-in list and has not confirmed yet; never mailed. */
export const CONTACT_STATUSES = ['subscribed', 'unconfirmed', 'unsubscribed', 'bounced', 'quarantined'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

export const DELIVERY_STATUSES = [
  'draft',
  'scheduled',
  'preparing',
  'sending',
  'paused',
  'sent',
  'failed',
  'cancelled',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DELIVERY_LOG_STATUSES = ['pending', 'sent', 'failed', 'bounced', 'excluded', 'unknown'] as const;
export type DeliveryLogStatus = (typeof DELIVERY_LOG_STATUSES)[number];

export const FAILURE_TYPES = ['hard', 'soft', 'ignored'] as const;
export type FailureType = (typeof FAILURE_TYPES)[number];

/** Failure reasons as Adobe Campaign names them. */
export const FAILURE_REASONS = [
  'user_unknown',
  'invalid_domain',
  'unreachable',
  'account_disabled',
  'mailbox_full',
  'refused',
  'not_connected',
  'other',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export const EXCLUSION_REASONS = [
  'duplicate',
  'unsubscribed',
  'quarantined',
  'bounced',
  'invalid_address',
  'suppressed',
  'unconfirmed',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** Why an address is suppressed (audience/suppressions.ts): kept by address, whatever happens to its contact. */
export const SUPPRESSION_REASONS = ['unsubscribed', 'hard_bounce', 'complaint', 'manual', 'erased'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export const TRACKED_LINK_KINDS = ['tracked', 'unsubscribe', 'mirror', 'untracked'] as const;
export type TrackedLinkKind = (typeof TRACKED_LINK_KINDS)[number];

export const TRACKING_EVENT_TYPES = ['open', 'click', 'unsubscribe', 'mirror'] as const;
export type TrackingEventType = (typeof TRACKING_EVENT_TYPES)[number];

/**
 * Why a tracking event is flagged as a bot's or as a machine open (server/src/tracking/classify.ts decides, the
 * tracker stores it with the event): the rule that flagged it first.
 */
export const FLAG_REASONS = [
  'botUserAgent',
  'headlessBrowser',
  'linkScanner',
  'noUserAgent',
  'scannerWindow',
  'clickBurst',
  'applePrivacyProtection',
] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet', 'unknown'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** RBAC actions: registered once in register(), mirrored by the admin's PERMISSIONS. */
export const ACTIONS = {
  read: 'plugin::campaigns.read',
  send: 'plugin::campaigns.send',
  reports: 'plugin::campaigns.reports',
  settings: 'plugin::campaigns.settings',
} as const;
export type ActionName = keyof typeof ACTIONS;

/** Delivery alert criteria (Adobe Campaign's delivery alerting), decided in server/src/monitoring/alert-rules.ts. */
export const ALERT_CRITERIA = [
  'deliveryFailed',
  'preparationFailed',
  'softBounceRatio',
  'hardBounceRatio',
  'scheduledNotStarted',
  'throughputBelow',
  'deliveryStarted',
  'deliveryFinished',
] as const;
export type AlertCriterion = (typeof ALERT_CRITERIA)[number];

/** Top-level config keys the settings page may change. The rest (publicUrl, tokenKeys, webhooks) stay in the file. */
export const EDITABLE_KEYS = [
  'messenger',
  'smtp',
  'defaultFrom',
  'listUnsubscribeMailto',
  'sending',
  'tracking',
  'alerts',
  'retention',
  'bounceMailbox',
  'subscribe',
] as const;
export type EditableKey = (typeof EDITABLE_KEYS)[number];

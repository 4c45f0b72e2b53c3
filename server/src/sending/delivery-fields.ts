// What the deliveries service (sending/deliveries.ts) reads of a delivery document: the fields the API answers with.
import type { Delivery } from '../../../shared/contracts/deliveries';

export const DELIVERY_FIELDS = [
  'name',
  'subject',
  'fromName',
  'fromEmail',
  'replyTo',
  'contentMode',
  'content',
  'sourceEntry',
  'html',
  'text',
  'audienceFilter',
  'audienceSegments',
  'status',
  'scheduledAt',
  'sendAfter',
  'startedAt',
  'finishedAt',
  'preparedAt',
  'trackOpens',
  'trackLinks',
  'utmTags',
  'utmSource',
  'utmMedium',
  'utmCampaign',
  'linkTracking',
  'sendRate',
  'estimatedRecipients',
  'lastError',
  'pauseReason',
  'outageSince',
  'nextProbeAt',
  'parentDeliveryId',
  'followUpKind',
  'createdAt',
  'updatedAt',
] as const;

/** A delivery document as load() reads it: DELIVERY_FIELDS, its lists and its layout. */
export type LoadedDelivery = Omit<Delivery, 'counters'>;

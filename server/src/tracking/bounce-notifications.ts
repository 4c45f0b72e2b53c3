// Bounce and complaint notifications from mail providers, read into one shape: which message, hard or soft, why.
//
// Formats:
// - generic: our own JSON, for any provider or script: one notice, an array, or { "notifications": [...] }, each
//   { "type": "bounce" | "complaint", "messageId": "<id@host>", "bounceType"?: "hard" | "soft", "email"?,
//     "diagnostic"?: "550 5.1.1 user unknown", "at"?: ISO date }.
// - ses: Amazon SES notifications delivered by Amazon SNS (an envelope whose Message is the SES JSON). SES rewrites
//   the Message-ID header when it sends; the original one is in mail.commonHeaders / mail.headers (when the
//   configuration set includes headers), SES's own id in mail.messageId: every candidate is tried.
// - sendgrid: the SendGrid Event Webhook (an array of events). "smtp-id" is the Message-ID header we sent.
//   event "bounce" with type "bounce" is hard, type "blocked" soft; "dropped" for a "Bounced Address" is hard;
//   "spamreport" is a complaint. Other events (delivered, open, click, deferred, ...) are ignored.
import type { FailureReason } from '../../../shared/constants';
import { classifySendError } from '../sending/smtp-failures';

export type BounceProvider = 'generic' | 'ses' | 'sendgrid';
export const BOUNCE_PROVIDERS: readonly BounceProvider[] = ['generic', 'ses', 'sendgrid'];

export interface BounceNotice {
  kind: 'bounce' | 'complaint';
  /** Message-ID candidates, without angle brackets, most specific first. */
  messageIds: string[];
  /**
   * The X-Campaigns-Delivery header of the returned message, when a report quotes it (tracking/dsn-report.ts): with
   * `email`, it finds the log when the Message-ID was lost on the way.
   */
  deliveryDocumentId?: string | null;
  /** The recipient the provider names, when it does (a message to several recipients is matched on it). */
  email: string | null;
  bounceType: 'hard' | 'soft' | null;
  failureReason: FailureReason | null;
  /** The provider's diagnostic, one line. */
  message: string | null;
  at: Date | null;
}

export interface ParsedNotifications {
  notices: BounceNotice[];
  /** Well-formed events that are not bounces or complaints (deliveries, opens, deferrals...). */
  ignored: number;
  /** An SNS subscription waiting to be confirmed: the URL to visit (we never fetch it ourselves). */
  subscribeUrl?: string;
}

export class NotificationFormatError extends Error {}

const MAX_MESSAGE = 1000;
const MAX_ID = 500;

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/** "<abc@host>" and "abc@host" name the same message; control characters never belong in one. */
export const normalizeMessageId = (value: unknown): string | null => {
  const raw = text(value);
  // eslint-disable-next-line no-control-regex -- a Message-ID never holds control characters
  if (!raw || raw.length > MAX_ID || /[\u0000-\u001f\u007f]/.test(raw)) return null;
  const bare = raw.replace(/^<+/, '').replace(/>+$/, '').trim();
  return bare === '' ? null : bare;
};

const messageIds = (...candidates: unknown[]): string[] => {
  const ids: string[] = [];
  for (const candidate of candidates) {
    const id = normalizeMessageId(candidate);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
};

const oneLine = (value: unknown): string | null => {
  const line = text(value)?.replace(/\s+/g, ' ');
  return line ? line.slice(0, MAX_MESSAGE) : null;
};

const toDate = (value: unknown): Date | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value < 1e12 ? value * 1000 : value);
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** The Adobe Campaign failure reason of a diagnostic ("smtp; 550 5.1.1 user unknown"), read like a send error. */
export const reasonOf = (diagnostic: string | null, status?: string | null): FailureReason | null => {
  const reply = [status, diagnostic?.replace(/^smtp;\s*/i, '')].filter(Boolean).join(' ');
  if (!reply) return null;
  return classifySendError({ response: reply, command: 'RCPT TO', message: reply }).failureReason;
};

const parseGeneric = (body: unknown): ParsedNotifications => {
  const list = Array.isArray(body)
    ? body
    : isObject(body) && Array.isArray(body.notifications)
      ? body.notifications
      : [body];
  const notices: BounceNotice[] = [];
  for (const item of list) {
    if (!isObject(item)) throw new NotificationFormatError('each notification must be a JSON object');
    const kind = item.type;
    if (kind !== 'bounce' && kind !== 'complaint') {
      throw new NotificationFormatError('"type" must be "bounce" or "complaint"');
    }
    const ids = messageIds(item.messageId);
    if (ids.length === 0)
      throw new NotificationFormatError('"messageId" is required (the Message-ID header of the message)');
    const bounceType = kind === 'bounce' ? (item.bounceType === 'soft' ? 'soft' : 'hard') : null;
    if (
      kind === 'bounce' &&
      item.bounceType !== undefined &&
      item.bounceType !== 'hard' &&
      item.bounceType !== 'soft'
    ) {
      throw new NotificationFormatError('"bounceType" must be "hard" or "soft"');
    }
    const message = oneLine(item.diagnostic) ?? oneLine(item.reason);
    notices.push({
      kind,
      messageIds: ids,
      email: text(item.email),
      bounceType,
      failureReason: kind === 'bounce' ? (reasonOf(message) ?? 'other') : null,
      message,
      at: toDate(item.at),
    });
  }
  return { notices, ignored: 0 };
};

const headerValue = (headers: unknown, name: string): unknown => {
  if (!Array.isArray(headers)) return undefined;
  const found = headers.find((h) => isObject(h) && typeof h.name === 'string' && h.name.toLowerCase() === name);
  return found?.value;
};

const SES_HARD_SUBTYPES: Record<string, FailureReason> = {
  NoEmail: 'user_unknown',
  Suppressed: 'refused',
  OnAccountSuppressionList: 'refused',
};
const SES_SOFT_SUBTYPES: Record<string, FailureReason> = {
  MailboxFull: 'mailbox_full',
  MessageTooLarge: 'other',
  ContentRejected: 'refused',
  AttachmentRejected: 'refused',
};

const parseSes = (body: unknown): ParsedNotifications => {
  // SNS posts JSON with Content-Type text/plain: the body may still be a string here.
  let envelope: unknown = body;
  if (typeof envelope === 'string') {
    try {
      envelope = JSON.parse(envelope);
    } catch {
      throw new NotificationFormatError('the body is not JSON');
    }
  }
  if (!isObject(envelope)) throw new NotificationFormatError('expected an Amazon SNS message');
  if (envelope.Type === 'SubscriptionConfirmation' || envelope.Type === 'UnsubscribeConfirmation') {
    return { notices: [], ignored: 1, subscribeUrl: text(envelope.SubscribeURL) ?? undefined };
  }
  // SNS "raw message delivery" posts the SES notification itself, without the envelope.
  let notification: unknown = envelope;
  if (envelope.Type === 'Notification') {
    try {
      notification = typeof envelope.Message === 'string' ? JSON.parse(envelope.Message) : envelope.Message;
    } catch {
      throw new NotificationFormatError('the SNS Message is not JSON');
    }
  }
  if (!isObject(notification)) throw new NotificationFormatError('expected an Amazon SES notification');
  const type = notification.notificationType ?? notification.eventType;
  if (type !== 'Bounce' && type !== 'Complaint') {
    if (typeof type === 'string') return { notices: [], ignored: 1 };
    throw new NotificationFormatError('expected an Amazon SES notification (notificationType)');
  }
  const mail = isObject(notification.mail) ? notification.mail : {};
  const commonHeaders = isObject(mail.commonHeaders) ? mail.commonHeaders : {};
  const ids = messageIds(commonHeaders.messageId, headerValue(mail.headers, 'message-id'), mail.messageId);
  if (ids.length === 0) throw new NotificationFormatError('the notification names no message (mail.messageId)');

  const notices: BounceNotice[] = [];
  if (type === 'Bounce') {
    const bounce = isObject(notification.bounce) ? notification.bounce : {};
    // Undetermined bounces are treated as soft: quarantining on a guess would lose good addresses.
    const bounceType = bounce.bounceType === 'Permanent' ? 'hard' : 'soft';
    const subtype = typeof bounce.bounceSubType === 'string' ? bounce.bounceSubType : '';
    const recipients =
      Array.isArray(bounce.bouncedRecipients) && bounce.bouncedRecipients.length > 0 ? bounce.bouncedRecipients : [{}];
    for (const recipient of recipients) {
      const r = isObject(recipient) ? recipient : {};
      const message = oneLine(r.diagnosticCode) ?? (subtype ? `${bounce.bounceType ?? 'Bounce'}: ${subtype}` : null);
      const bySubtype = (bounceType === 'hard' ? SES_HARD_SUBTYPES : SES_SOFT_SUBTYPES)[subtype];
      notices.push({
        kind: 'bounce',
        messageIds: ids,
        email: text(r.emailAddress),
        bounceType,
        failureReason: bySubtype ?? reasonOf(oneLine(r.diagnosticCode), text(r.status)) ?? 'other',
        message,
        at: toDate(bounce.timestamp),
      });
    }
  } else {
    const complaint = isObject(notification.complaint) ? notification.complaint : {};
    const recipients =
      Array.isArray(complaint.complainedRecipients) && complaint.complainedRecipients.length > 0
        ? complaint.complainedRecipients
        : [{}];
    for (const recipient of recipients) {
      notices.push({
        kind: 'complaint',
        messageIds: ids,
        email: text(isObject(recipient) ? recipient.emailAddress : null),
        bounceType: null,
        failureReason: null,
        message: oneLine(complaint.complaintFeedbackType),
        at: toDate(complaint.timestamp),
      });
    }
  }
  return { notices, ignored: 0 };
};

const parseSendgrid = (body: unknown): ParsedNotifications => {
  const events = Array.isArray(body) ? body : [body];
  const notices: BounceNotice[] = [];
  let ignored = 0;
  for (const event of events) {
    if (!isObject(event) || typeof event.event !== 'string') {
      throw new NotificationFormatError('expected SendGrid events: a JSON array of objects with an "event"');
    }
    let kind: BounceNotice['kind'] | null = null;
    let bounceType: BounceNotice['bounceType'] = null;
    if (event.event === 'bounce') {
      kind = 'bounce';
      bounceType = event.type === 'blocked' ? 'soft' : 'hard';
    } else if (event.event === 'dropped' && /bounced address/i.test(String(event.reason ?? ''))) {
      kind = 'bounce';
      bounceType = 'hard';
    } else if (event.event === 'spamreport') {
      kind = 'complaint';
    }
    const ids = messageIds(event['smtp-id']);
    if (kind === null || ids.length === 0) {
      ignored += 1;
      continue;
    }
    const message = oneLine(event.reason);
    notices.push({
      kind,
      messageIds: ids,
      email: text(event.email),
      bounceType,
      failureReason: kind === 'bounce' ? (reasonOf(message, text(event.status)) ?? 'other') : null,
      message,
      at: toDate(event.timestamp),
    });
  }
  return { notices, ignored };
};

/** Reads a provider's payload; throws NotificationFormatError (answered 400) when it is not of that format. */
export const parseBounceNotifications = (provider: BounceProvider, body: unknown): ParsedNotifications => {
  switch (provider) {
    case 'generic':
      return parseGeneric(body);
    case 'ses':
      return parseSes(body);
    case 'sendgrid':
      return parseSendgrid(body);
  }
};

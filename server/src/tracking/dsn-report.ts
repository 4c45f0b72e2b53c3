// A message found in the bounce mailbox, read into the notices the webhooks produce (tracking/bounce-notifications.ts),
// so that one path records every bounce and complaint (tracking/bounces.ts).
//
// What is read:
// - delivery status notifications (RFC 3464): multipart/report; report-type=delivery-status, whose
//   message/delivery-status part holds one block of fields per recipient (Final-Recipient, Action, Status,
//   Diagnostic-Code). Postfix, Exim, Exchange / Office 365 and Gmail send these.
// - complaint reports (ARF, RFC 5965): multipart/report; report-type=feedback-report, whose message/feedback-report
//   part says Feedback-Type: abuse (Outlook.com / Hotmail's JMRP, Yahoo, Comcast...). Their recipient is often
//   redacted: the Message-ID is what matches.
// - a bounce without a report part (old Gmail, Exim without DSN): the text, with the original headers inline after
//   it; the status is read from the SMTP reply quoted in the text.
// The original message comes back as message/rfc822, text/rfc822-headers or inline text: its Message-ID (ours,
// sending/composer.ts messageIdFor) and X-Campaigns-Delivery header say which delivery log it was.
//
// Hard or soft, and why, are decided as for a refusal while sending (sending/smtp-failures.ts): a 5.x.x status is
// hard and a 4.x.x one soft, except a full mailbox (5.2.2), a refusal of our sender and a message too large, which
// say nothing bad about the address and stay soft, as they do when the relay answers them directly.
import type { BounceNotice } from './bounce-notifications';
import { normalizeMessageId } from './bounce-notifications';
import { classifySendError } from '../sending/smtp-failures';
import { firstField, parseFields, parseMime, type MimePart } from './mime-parts';

export type MailboxReport =
  /** A bounce or complaint about a message, to record. */
  | { kind: 'notices'; notices: BounceNotice[] }
  /** A well-formed report that records nothing: a delay warning, a success notice, another feedback type. */
  | { kind: 'nothing-to-record'; why: string }
  /** Not a report this reader understands, or one that names no message: kept for a person to read. */
  | { kind: 'unreadable'; why: string };

const MAX_MESSAGE = 1000;
const STATUS = /^([245])\.(\d{1,3})\.(\d{1,3})/;

const oneLine = (value: string | null): string | null => {
  const line = value?.replace(/\s+/g, ' ').trim();
  return line ? line.slice(0, MAX_MESSAGE) : null;
};

/** The parts of the report itself: a returned message's own parts are not the report's. */
const reportParts = (part: MimePart): MimePart[] =>
  part.contentType.startsWith('message/') && part.parts.length ? [part] : [part, ...part.parts.flatMap(reportParts)];

/** Blocks of fields separated by empty lines: a delivery status has one per message, then one per recipient. */
const fieldBlocks = (text: string): Array<Map<string, string[]>> =>
  text
    .split(/\r?\n[ \t]*\r?\n/)
    .map(parseFields)
    .filter((block) => block.size > 0);

/** "rfc822; ada@example.com" -> ada@example.com */
const addressOf = (value: string | null): string | null => {
  const address = value?.split(';').pop()?.trim().replace(/^<|>$/g, '') ?? '';
  return /^[^\s@]+@[^\s@]+$/.test(address) ? address.toLowerCase() : null;
};

const toDate = (value: string | null): Date | null => {
  if (!value) return null;
  const date = new Date(value.replace(/\s*\([^)]*\)\s*$/, ''));
  return Number.isNaN(date.getTime()) ? null : date;
};

interface Original {
  messageIds: string[];
  deliveryDocumentId: string | null;
}

const originalFromHeaders = (headers: Map<string, string[]>): Original => ({
  messageIds: [firstField(headers, 'message-id')]
    .map((id) => normalizeMessageId(id))
    .filter((id): id is string => id !== null),
  deliveryDocumentId: oneLine(firstField(headers, 'x-campaigns-delivery')),
});

/** The returned message's headers: a message/rfc822 part, a text/rfc822-headers part, or inline in the text. */
const originalOf = (parts: MimePart[], text: string): Original => {
  for (const part of parts) {
    if ((part.contentType === 'message/rfc822' || part.contentType === 'message/global') && part.parts[0]) {
      const found = originalFromHeaders(part.parts[0].headers);
      if (found.messageIds.length || found.deliveryDocumentId) return found;
    }
    if (part.contentType === 'text/rfc822-headers' || part.contentType === 'message/rfc822-headers') {
      const found = originalFromHeaders(parseFields(part.body.toString('latin1')));
      if (found.messageIds.length || found.deliveryDocumentId) return found;
    }
  }
  // Inline: header lines of the returned message at the start of a line in the text (indented by some MTAs).
  const messageId = text.match(/^[ \t]*Message-ID:[ \t]*(<[^>\s]+>)/im)?.[1] ?? null;
  const delivery = text.match(/^[ \t]*X-Campaigns-Delivery:[ \t]*(\S+)/im)?.[1] ?? null;
  const id = normalizeMessageId(messageId);
  return { messageIds: id ? [id] : [], deliveryDocumentId: delivery };
};

/** Hard or soft and the reason, as a refusal with this status and text would be judged while sending. */
const judge = (status: string, diagnostic: string | null) => {
  const reply = [status, diagnostic?.replace(/^smtp;\s*/i, '')].filter(Boolean).join(' ');
  const failure = classifySendError({ response: reply, command: 'RCPT TO', message: reply });
  return { bounceType: failure.failureType, failureReason: failure.failureReason };
};

const readDeliveryStatus = (part: MimePart, original: Original, at: Date | null): MailboxReport => {
  const [perMessage, ...recipients] = fieldBlocks(part.body.toString('utf8'));
  if (!perMessage || recipients.length === 0)
    return { kind: 'unreadable', why: 'the delivery status names no recipient' };
  const notices: BounceNotice[] = [];
  const actions: string[] = [];
  for (const fields of recipients) {
    const action = (firstField(fields, 'action') ?? '').toLowerCase();
    const status = firstField(fields, 'status')?.match(STATUS)?.[0] ?? null;
    actions.push(action || 'none');
    // "delayed" is a warning (the MTA still tries), "delivered", "relayed", "expanded" are successes (RFC 3464 2.3.3).
    if (action !== 'failed') continue;
    if (!status || status.startsWith('2')) continue;
    const diagnostic = oneLine(firstField(fields, 'diagnostic-code'));
    notices.push({
      kind: 'bounce',
      messageIds: original.messageIds,
      deliveryDocumentId: original.deliveryDocumentId,
      email: addressOf(firstField(fields, 'final-recipient')) ?? addressOf(firstField(fields, 'original-recipient')),
      ...judge(status, diagnostic),
      message: diagnostic ?? status,
      at: toDate(firstField(fields, 'last-attempt-date')) ?? at,
    });
  }
  if (notices.length) return { kind: 'notices', notices };
  if (actions.every((action) => action === 'none'))
    return { kind: 'unreadable', why: 'the delivery status has no Action field' };
  return { kind: 'nothing-to-record', why: `delivery status: ${[...new Set(actions)].join(', ')}` };
};

const readFeedbackReport = (part: MimePart, original: Original, at: Date | null): MailboxReport => {
  const fields = parseFields(part.body.toString('utf8'));
  const type = (firstField(fields, 'feedback-type') ?? '').toLowerCase();
  if (!type) return { kind: 'unreadable', why: 'the feedback report has no Feedback-Type' };
  // abuse is a complaint; fraud, virus, auth-failure, not-spam... say nothing about the recipient's wish.
  if (type !== 'abuse') return { kind: 'nothing-to-record', why: `feedback report: ${type}` };
  return {
    kind: 'notices',
    notices: [
      {
        kind: 'complaint',
        messageIds: original.messageIds,
        deliveryDocumentId: original.deliveryDocumentId,
        email: addressOf(firstField(fields, 'original-rcpt-to')),
        bounceType: null,
        failureReason: null,
        message: `feedback report: ${type}${firstField(fields, 'user-agent') ? ` (${firstField(fields, 'user-agent')})` : ''}`,
        at: toDate(firstField(fields, 'arrival-date') ?? firstField(fields, 'received-date')) ?? at,
      },
    ],
  };
};

/** A bounce told in words only: the SMTP reply quoted in the text ("550-5.1.1 The email account ... does not exist"). */
const readPlainBounce = (text: string, original: Original, at: Date | null): MailboxReport => {
  const reply = text.match(/\b([45]\d\d)[ -]([45]\.\d{1,3}\.\d{1,3})\b[^\n]*/);
  if (!reply) return { kind: 'unreadable', why: 'not a delivery status or feedback report' };
  const status = reply[2];
  const diagnostic = oneLine(reply[0].replace(/^(\d{3})-/, '$1 '));
  const recipient = text.match(/^[ \t]*<?([^\s<>@]+@[^\s<>@]+?)>?:?[ \t]*$/m)?.[1] ?? null;
  return {
    kind: 'notices',
    notices: [
      {
        kind: 'bounce',
        messageIds: original.messageIds,
        deliveryDocumentId: original.deliveryDocumentId,
        email: recipient ? recipient.toLowerCase() : null,
        ...judge(status, diagnostic),
        message: diagnostic,
        at,
      },
    ],
  };
};

/** The text of the report's text/plain parts, decoded as UTF-8 (bounces are ASCII but for quoted names). */
const textOf = (parts: MimePart[]): string =>
  parts
    .filter((part) => part.contentType === 'text/plain' || part.contentType === 'text/rfc822-headers')
    .map((part) => part.body.toString('utf8'))
    .join('\n');

/** Reads one raw message of the bounce mailbox; never throws (what cannot be read is 'unreadable'). */
export const readMailboxReport = (raw: Buffer | string): MailboxReport => {
  let root: MimePart;
  try {
    root = parseMime(raw);
  } catch (error) {
    return { kind: 'unreadable', why: `not a MIME message (${(error as Error).message})` };
  }
  const parts = reportParts(root);
  const at = toDate(firstField(root.headers, 'date'));
  const original = originalOf(parts, textOf(parts));
  const status = parts.find(
    (part) => part.contentType === 'message/delivery-status' || part.contentType === 'message/global-delivery-status',
  );
  const feedback = parts.find((part) => part.contentType === 'message/feedback-report');
  const report = status
    ? readDeliveryStatus(status, original, at)
    : feedback
      ? readFeedbackReport(feedback, original, at)
      : readPlainBounce(textOf(parts), original, at);
  if (report.kind === 'notices' && !original.messageIds.length && !original.deliveryDocumentId)
    return { kind: 'unreadable', why: 'the report names no message (no Message-ID of the returned message)' };
  return report;
};

// The SMTP messenger: a pooled nodemailer transport behind the Messenger interface.
import net from 'net';
import type { Readable } from 'stream';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type Mail from 'nodemailer/lib/mailer';
import { redactPassword } from '../smtp-credentials';
import {
  assertSafeHeaders,
  formatMessageId,
  MessengerClosedError,
  type Messenger,
  type OutgoingMessage,
  type SendResult,
} from './types';

export interface SmtpMessengerOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  auth?: { user: string; pass: string } | null;
  /** AUTH only after STARTTLS: a server that does not offer it fails the connection (sending/smtp-credentials.ts). */
  requireTLS?: boolean;
  /** Connections kept open in parallel (nodemailer's maxConnections). */
  pool: number;
  /** Messages per connection before it is replaced (nodemailer's default: 100). */
  maxMessages?: number;
  /** Time allowed to connect and to receive the server's greeting. */
  connectionTimeoutMs?: number;
  /** Idle time allowed on an open connection before it is given up. */
  socketTimeoutMs?: number;
  tls?: { rejectUnauthorized?: boolean };
}

// nodemailer's own defaults (2 min to connect, 10 min of socket inactivity) would stall a send loop for minutes
// behind a dead relay; these fail fast and let the sender retry with backoff.
const DEFAULT_CONNECTION_TIMEOUT_MS = 15_000;
const DEFAULT_SOCKET_TIMEOUT_MS = 60_000;

/** The transport options as plain data (they can cross to a worker thread); the socket is opened by noDelaySocket. */
export const smtpTransportOptions = (options: SmtpMessengerOptions): SMTPPool.Options & { maxRequeues: number } => {
  if (!Number.isInteger(options.pool) || options.pool < 1) {
    throw new RangeError(`smtp pool must be a positive integer, got ${String(options.pool)}`);
  }
  const connectionTimeout = options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
  return {
    pool: true,
    host: options.host,
    port: options.port,
    secure: options.secure,
    auth: options.auth ?? undefined,
    requireTLS: options.requireTLS ?? false,
    maxConnections: options.pool,
    maxMessages: options.maxMessages ?? 100,
    connectionTimeout,
    greetingTimeout: connectionTimeout,
    socketTimeout: options.socketTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS,
    tls: options.tls,
    // By default the pool silently re-sends, without limit, a message whose connection closed mid-send. The server
    // may have accepted it already (a duplicate), and retries belong to the sender, which counts attempts and backs
    // off: fail at once instead, and let classifySendError call it a soft 'not_connected' failure.
    maxRequeues: 0,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
};

/**
 * nodemailer's getSocket: Nagle's algorithm holds the last small segment of each message until the server's delayed
 * ACK (~40 ms): the server says nothing between DATA's 354 and the end of the message, so every message stalls once,
 * which caps a pooled connection near 25 messages per second. nodemailer has no option for it: we open each socket
 * ourselves with noDelay and hand it over at once, still connecting. nodemailer then treats it as its own: a refused
 * or silent connection fails through its usual path (socket error, greeting timeout), which frees the pool slot;
 * failing in getSocket's callback instead would leak the slot and stall the pool. STARTTLS, or TLS for `secure`,
 * runs over it.
 */
export const noDelaySocket =
  (host: string, port: number) =>
  (_options: unknown, callback: (err: Error | null, socketOptions?: { connection: net.Socket }) => void) =>
    callback(null, { connection: net.connect({ host, port, noDelay: true }) });

// nodemailer sends a part built beforehand from `{ raw }` (its mail composer reads it for text and html alike);
// its type declarations know `raw` only on attachments.
const rawPart = (raw: string) => ({ raw }) as unknown as Mail.AttachmentLike;

/** The nodemailer message for one OutgoingMessage (headers checked, Message-ID in header form). */
export const toNodemailerMail = (message: OutgoingMessage): Mail.Options => {
  assertSafeHeaders(message.headers);
  return {
    from: message.from,
    to: message.to,
    replyTo: message.replyTo,
    subject: message.subject,
    // The parts as encoded once per delivery when the composer did, instead of encoding each body again here; an
    // empty body stays empty, which nodemailer leaves out.
    html: message.html && message.encodedParts?.html !== undefined ? rawPart(message.encodedParts.html) : message.html,
    text: message.text && message.encodedParts ? rawPart(message.encodedParts.text) : message.text,
    headers: message.headers,
    // The sender chooses the Message-ID so that a bounce or a complaint can be matched to its delivery log.
    messageId: formatMessageId(message.messageId),
    ...(message.textEncoding ? { textEncoding: message.textEncoding } : {}),
    ...(message.attachments?.length ? { attachments: message.attachments } : {}),
    // Templates come from editors: never let them make the server read its files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
};

/**
 * A nodemailer 'stream' plugin: notes on the mail's `handover` when the connection has read the whole message (the
 * end of its data stream). A connection that then drops before the relay answers leaves the message in doubt: the
 * relay may have accepted it (sending/smtp-failures.ts, inDoubt). Self-contained, so that the worker threads run
 * this same function from its source (sending/messengers/smtp-thread.ts).
 */
export function noteHandover(
  mail: {
    data: { handover?: { done: boolean } };
    message: { processFunc: (process: (input: Readable) => Readable) => void };
  },
  done: () => void,
) {
  const handover = mail.data.handover;
  if (handover)
    mail.message.processFunc((input) => {
      input.once('end', () => {
        handover.done = true;
      });
      return input;
    });
  done();
}

/** The transport's error without the password, should a server quote it back in a reply (it is shown and logged). */
export const withoutPassword = <T>(error: T, auth: SmtpMessengerOptions['auth']): T => {
  if (!auth?.pass || typeof error !== 'object' || error === null) return error;
  const record = error as Record<string, unknown>;
  for (const key of ['message', 'response', 'stack']) {
    if (typeof record[key] === 'string') record[key] = redactPassword(record[key] as string, auth);
  }
  return error;
};

export const createSmtpMessenger = (options: SmtpMessengerOptions): Messenger => {
  const transportOptions = { ...smtpTransportOptions(options), getSocket: noDelaySocket(options.host, options.port) };
  const transporter = nodemailer.createTransport(transportOptions);
  // nodemailer's plugin type does not know the mail's `handover` field.
  transporter.use('stream', noteHandover as unknown as Parameters<typeof transporter.use>[1]);

  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  const send = async (message: OutgoingMessage): Promise<SendResult> => {
    if (closed) throw new MessengerClosedError('smtp');
    const handover = { done: false };
    const sending = transporter.sendMail({ ...toNodemailerMail(message), handover } as Mail.Options);
    inFlight.add(sending);
    try {
      const info = await sending;
      return { messageId: info.messageId, response: info.response };
    } catch (err) {
      if (handover.done && err && typeof err === 'object') Object.assign(err, { afterData: true });
      throw withoutPassword(err, options.auth);
    } finally {
      inFlight.delete(sending);
    }
  };

  return {
    name: 'smtp',
    send,
    async verify() {
      try {
        await transporter.verify();
        return { ok: true };
      } catch (err) {
        return { ok: false, error: redactPassword(err instanceof Error ? err.message : String(err), options.auth) };
      }
    },
    async close() {
      closed = true;
      // A shutdown loses nothing: messages already handed to the pool finish (or fail) before connections close.
      await Promise.allSettled([...inFlight]);
      transporter.close();
    },
  };
};

// The narrow interface the send engine delivers messages through (as listmonk's manager depends on a Messenger).

/** One rendered message for one recipient, ready to hand to a transport. */
export interface OutgoingMessage {
  /** RFC 5322 From, e.g. `"Acme News" <news@acme.test>`. */
  from: string;
  /** The recipient's address: one message, one recipient, so a failure belongs to exactly one delivery log. */
  to: string;
  replyTo?: string;
  subject: string;
  html?: string;
  text?: string;
  /** Extra headers sent as given: List-Unsubscribe, List-Unsubscribe-Post, X-Campaigns-Delivery, ... */
  headers: Record<string, string>;
  /** The Message-ID header, with or without angle brackets; lets bounces be matched to their delivery log. */
  messageId: string;
  /**
   * Transfer encoding of the text parts when they need one, chosen once per delivery (preferredTextEncoding).
   * Absent: the transport decides per message (nodemailer scans each body, a large share of its CPU time).
   */
  textEncoding?: 'quoted-printable' | 'base64';
  /**
   * `html` and `text` already encoded as MIME parts (headers, then a quoted-printable body that decodes to exactly
   * `html` and `text`), encoded once per delivery but for each recipient's values (sending/encoded-parts.ts). A
   * transport that builds MIME may send them as they are; one that does not reads `html` and `text`.
   */
  encodedParts?: { html?: string; text: string };
  /** Files carried as text (a scheduled report's CSV): never a path or a URL to read. */
  attachments?: Array<{ filename: string; content: string; contentType: string }>;
}

export interface SendResult {
  /** The Message-ID the transport reports having sent (ours, unless a provider replaced it). */
  messageId: string;
  /** The server's or provider's acceptance reply, e.g. "250 2.0.0 Ok: queued as 4F2A1". */
  response?: string;
  /** Which of several transports sent it (messengers/failover.ts); absent with a single one. */
  transport?: string;
}

export type VerifyResult = { ok: true } | { ok: false; error: string };

export interface Messenger {
  readonly name: string;
  /** Resolves once the message was accepted; throws the transport's error otherwise (see classifySendError). */
  send(message: OutgoingMessage): Promise<SendResult>;
  /** Checks that messages can be sent (connects and authenticates for SMTP), without sending one. */
  verify(): Promise<VerifyResult>;
  /** Waits for messages in flight, then releases connections. Sending after close() throws. */
  close(): Promise<void>;
}

/** Thrown by send() after close(): the message was not sent and may be retried by whoever owns it next. */
export class MessengerClosedError extends Error {
  readonly code = 'EMESSENGERCLOSED';
  constructor(name: string) {
    super(`${name} messenger is closed`);
    this.name = 'MessengerClosedError';
  }
}

/** Header names as RFC 5322 allows them (printable ASCII, no colon): anything else would corrupt the message. */
const HEADER_NAME = /^[!-9;-~]+$/;
/** A line break inside a value would start a new header: header injection. */
const LINE_BREAK = /[\r\n]/;

/**
 * Throws on a header that would corrupt the message or inject another header. Transports strip line breaks
 * silently (nodemailer turns them into spaces); refusing them makes a bad template fail loudly instead.
 */
export const assertSafeHeaders = (headers: Record<string, string>): void => {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
    if (typeof value !== 'string') throw new TypeError(`header ${name} must be a string`);
    if (LINE_BREAK.test(value)) throw new TypeError(`header ${name} contains a line break`);
  }
};

/**
 * nodemailer's own rule (quoted-printable when Latin letters outnumber 8-bit and control characters, else base64),
 * applied once to a delivery's template instead of to every rendered message.
 */
export const preferredTextEncoding = (source: string): 'quoted-printable' | 'base64' => {
  // eslint-disable-next-line no-control-regex -- control characters are what quoted-printable encodes badly
  const nonLatin = source.match(/[\x00-\x08\x0B\x0C\x0E-\x1F\u0080-\uFFFF]/g)?.length ?? 0;
  const latin = source.match(/[a-z]/gi)?.length ?? 0;
  return nonLatin < latin ? 'quoted-printable' : 'base64';
};

/** The Message-ID in its header form: angle brackets added when missing. */
export const formatMessageId = (messageId: string): string => {
  const bare = messageId.trim().replace(/^<|>$/g, '');
  if (!bare || /[\s<>]/.test(bare) || !bare.includes('@')) {
    throw new TypeError(`invalid Message-ID ${JSON.stringify(messageId)}`);
  }
  return `<${bare}>`;
};

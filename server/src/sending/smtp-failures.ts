// Turns a send error (a nodemailer SMTP error, or anything thrown) into a failure type, an Adobe Campaign failure
// reason and a retry decision, and computes the retry backoff.
//
// What we read from a nodemailer error (nodemailer/lib/smtp-connection):
// - responseCode: the SMTP reply code (550), set whenever the server answered;
// - response: the reply text, usually with an RFC 3463 enhanced status code ("550 5.1.1 <x@y>: ... User unknown");
// - code: ECONNECTION (refused, dropped: nodemailer reports a socket closed mid-session this way), ETIMEDOUT,
//   ESOCKET (socket errors: the OS code such as ECONNREFUSED is only left in the message), EDNS, ETLS, EAUTH,
//   EENVELOPE (MAIL FROM / RCPT TO / DATA refused), EMESSAGE (message refused after DATA), EPROTOCOL, ...;
// - command: the SMTP command that failed: CONN, EHLO, AUTH PLAIN, MAIL FROM, RCPT TO, DATA, API (client side).
//
// Decisions (the design follows Adobe Campaign: hard failures quarantine the address, soft ones are retried):
// - 4xx is soft and retryable. 5xx is hard and not retried, except "mailbox full" (5.2.2 / 552), which Adobe treats
//   as soft: a full mailbox empties, the address is good.
// - Only the recipient is punished for what concerns the recipient. A refusal of the session or of our sender (the
//   greeting, EHLO, AUTH, TLS, MAIL FROM, a Postfix "Sender address rejected" delayed to RCPT TO, 5.1.7 / 5.1.8) is
//   soft whatever its code: quarantining every contact because our relay password expired would be a disaster. It is
//   retried when the reply was temporary (4xx) or when there was no reply at all, not when it was a 5xx: the same
//   message will be refused again until someone changes the configuration ("retry failed" exists for that).
// - A message the server refuses for its size (5.3.4, 5.2.3) is soft and not retried: the message is at fault, not
//   the address, and sending it again would fail the same way.
// - An error with no SMTP reply and no known code (a bug, an unexpected exception) is soft, retryable, 'other': it
//   says nothing about the address, and the sender's maximum number of attempts bounds the retries.
// - 553 ("mailbox name not allowed" in RFC 5321) is ambiguous in practice: qmail says "553 sorry, that domain isn't in
//   my list of allowed rcpthosts", others "553 5.1.2 domain not found", "553 5.1.3 bad address syntax" or
//   "553 mailbox name not allowed". The enhanced code decides when there is one (5.1.1 / 5.1.3 user unknown, 5.1.2
//   invalid domain), then the text ("mailbox name not allowed" / "no such user" name the mailbox: user unknown);
//   a bare 553 is invalid_domain, after the qmail wording that is by far the most common one.
// - Refusals for spam, a denylist or a policy (5.7.x, 554) are hard, like any permanent refusal. Beware: a content-
//   or IP-reputation block is about us, not the address; the sender may prefer not to quarantine on 'refused'.
import type { FailureReason, FailureType } from '../../../shared/constants';
import type { PauseReason } from '../../../shared/contracts/deliveries';

export type SendFailureType = Exclude<FailureType, 'ignored'>;

export interface SendFailure {
  failureType: SendFailureType;
  failureReason: FailureReason;
  /** Whether the sender should try this recipient again later (with backoffDelayMs). */
  retryable: boolean;
  /** One line for the delivery log: the server's reply when there was one, else the error message. */
  message: string;
  /**
   * Set when the relay failed rather than the recipient (sending/outage.ts): 'outage' (unreachable, connection
   * refused or dropped, 421 / 454, TLS), 'login' (our credentials refused), 'sender' (our sender refused for good).
   * The recipient keeps its attempt, and the delivery pauses once the relay keeps failing.
   */
  relay?: RelayFailure;
  /**
   * The relay went silent after the whole message had been handed to it (the connection dropped while the answer to
   * the end of DATA was awaited): it may have accepted it. The log becomes 'unknown' and is never sent again on its
   * own (retry-failed with includeUnknown re-sends it, with the same Message-ID).
   */
  inDoubt?: boolean;
  /**
   * The recipient's domain says we send too fast (Gmail's 4.7.28 "rate limited", Yahoo's "deferred due to unexpected
   * volume", Outlook's "server busy"): neither the recipient's fault nor the relay's. The domain rests
   * (sending/domain-pacer.ts) and the recipient keeps its attempt.
   */
  throttled?: boolean;
}

/** The relay's failures are the reasons a delivery pauses by itself (shared/contracts/deliveries.ts). */
export type RelayFailure = PauseReason;

const MAX_MESSAGE_LENGTH = 1000;

/** Socket-level failures: no SMTP session, so nothing is known about the address. */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKET',
  'EPIPE',
  'EPROXY',
]);
/** Name resolution and routing failures: the host could not be found or reached. */
const UNREACHABLE_CODES = new Set(['EDNS', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Failures of our own session (credentials, TLS): never the recipient's fault. */
const SESSION_CODES = new Set(['EAUTH', 'NoAuth', 'ETLS', 'EREQUIRETLS']);
const SESSION_COMMANDS = /^(CONN|EHLO|HELO|LHLO|STARTTLS|AUTH\b.*|MAIL FROM|RSET)$/i;

// Messages nodemailer (and Node's net module) produce without a useful code: the pool's own errors, socket errors
// after nodemailer replaced their code with ESOCKET.
const CONNECTION_MESSAGE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|connection (closed|timeout|refused|reset)|greeting never received|connection pool was closed|after connection was closed|socket (hang up|closed)/i;
const UNREACHABLE_MESSAGE = /ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|getaddrinfo/i;

// Reply texts, tried in this order when the enhanced status code did not decide. Order matters: "domain ... does
// not exist" must be read as a domain problem before "does not exist" is read as a user problem, and "mailbox name
// not allowed" as a mailbox problem before "not allowed" is read as a policy refusal.
const SENDER_TEXT = /sender address rejected|sender domain|client host rejected/i;
/** A domain's answer that we send too fast (never a relay's own "too many connections"). */
const THROTTLE_TEXT =
  /rate.?limit|unusual rate|too many (messages|emails|recipients)|throttl|unexpected volume|server busy|deferred due to/i;
const THROTTLE_CODES = new Set([421, 450, 451, 452]);
const TOO_LARGE_TEXT =
  /(message|mail) (is )?too (large|big)|message size|size (limit|exceeds)|exceeds? (the )?(maximum )?(message )?size/i;
const MAILBOX_FULL_TEXT =
  /mailbox (is )?full|over ?quota|quota (exceeded|full)|exceeded (its )?(storage|quota)|insufficient (system |disk )?(storage|space)|storage (allocation|limit)|mailbox size limit/i;
const ACCOUNT_DISABLED_TEXT =
  /disabled|inactive|deactivated|suspended|account (has been |is )?(locked|closed|expired)|no longer (active|in use)/i;
const INVALID_DOMAIN_TEXT =
  /domain (name )?(not found|does not exist|doesn't exist|unknown|is invalid|invalid)|(unknown|no such|invalid) domain|host (or domain name )?not found|unroutea?ble|no mx|null mx|no mail hosts|(isn't|not) in my list of allowed rcpthosts|name service error|domain does not accept mail/i;
const USER_UNKNOWN_TEXT =
  /user unknown|unknown (user|recipient|mailbox|address)|no such (user|mailbox|recipient|address|account)|(user|mailbox|recipient|address|account) (does not|doesn't|not) exist|does not exist|(user|mailbox|recipient|address) not found|recipnotfound|invalid (recipient|mailbox|address)|not a valid (recipient|mailbox|address)|bad destination mailbox|mailbox unavailable|mailbox name not allowed|recipient address rejected: access denied/i;
const REFUSED_TEXT =
  /spam|junk|unsolicited|block(ed|list|ing)?|deny ?list|black ?list|denied|reputation|policy|prohibited|not allowed|spamhaus|dnsbl|\brbl\b|listed|abuse|dmarc|\bspf\b|dkim/i;

interface SmtpErrorFields {
  responseCode?: number;
  response?: string;
  code?: string;
  command?: string;
  message: string;
}

const readFields = (err: unknown): SmtpErrorFields => {
  if (typeof err === 'string') return { message: err };
  if (!err || typeof err !== 'object') return { message: String(err) };
  const record = err as Record<string, unknown>;
  const response = typeof record.response === 'string' ? record.response : undefined;
  const replyInText = response?.match(/^\s*([2-5]\d\d)\b/);
  const responseCode =
    typeof record.responseCode === 'number' && Number.isInteger(record.responseCode)
      ? record.responseCode
      : replyInText
        ? Number(replyInText[1])
        : undefined;
  return {
    responseCode,
    response,
    code: typeof record.code === 'string' ? record.code : undefined,
    command: typeof record.command === 'string' ? record.command : undefined,
    message: typeof record.message === 'string' ? record.message : String(err),
  };
};

interface EnhancedStatus {
  klass: 4 | 5;
  subject: number;
  detail: number;
}

/**
 * The RFC 3463 enhanced status code of a reply: at the start of the text, after the reply code ("550 5.1.1 ..."),
 * or after nodemailer's "...: " prefix in an error message. Codes elsewhere in the text are ignored on purpose:
 * qmail's "(#5.7.1)" trailer contradicts its own wording, and an IP address ("[192.0.2.1]") is not a status.
 */
export const parseEnhancedStatus = (text: string | undefined): EnhancedStatus | null => {
  if (!text) return null;
  const match = text.match(/(?:^|:\s|\n)\s*(?:[245]\d\d[ -])?([45])\.(\d{1,3})\.(\d{1,3})(?![\d.])/);
  if (!match) return null;
  return { klass: Number(match[1]) as 4 | 5, subject: Number(match[2]), detail: Number(match[3]) };
};

type Verdict = { reason: FailureReason } | { tooLarge: true } | { senderSide: true } | null;

/** What the enhanced status code alone says, when it is specific enough to decide. */
const fromEnhancedStatus = (status: EnhancedStatus, text: string): Verdict => {
  const { klass, subject, detail } = status;
  if (subject === 1) {
    if (detail === 1 || detail === 3 || detail === 6) return { reason: 'user_unknown' };
    // 5.1.10 is a null MX (RFC 7505), but Microsoft 365 answers it for an address it does not know
    // ("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup").
    if (detail === 10 && USER_UNKNOWN_TEXT.test(text)) return { reason: 'user_unknown' };
    if (detail === 2 || detail === 10) return { reason: 'invalid_domain' };
    if (detail === 7 || detail === 8) return { senderSide: true };
  }
  if (subject === 2) {
    // 4.2.1 is "mailbox temporarily unavailable" (Gmail: receiving mail too fast), not a disabled account.
    if (detail === 1 && klass === 5) return { reason: 'account_disabled' };
    if (detail === 2) return { reason: 'mailbox_full' };
    if (detail === 3) return { tooLarge: true };
  }
  if (subject === 3 && detail === 4) return { tooLarge: true };
  if (subject === 4) {
    // Microsoft answers "550 5.4.1 Recipient address rejected: Access denied" for an address that does not exist.
    if (detail === 1 && USER_UNKNOWN_TEXT.test(text)) return { reason: 'user_unknown' };
    if (detail === 4) return { reason: klass === 5 ? 'invalid_domain' : 'unreachable' };
    if (detail === 7) return { reason: 'unreachable' };
  }
  if (subject === 7) {
    if (SENDER_TEXT.test(text)) return { senderSide: true };
    // Greylisting (451 4.7.1 "greylisted, try again later") is routine, not a judgement on us or the address.
    if (klass === 4 && /grey ?list|gray ?list/i.test(text)) return { reason: 'other' };
    return { reason: 'refused' };
  }
  return null;
};

const fromText = (text: string): Verdict => {
  if (SENDER_TEXT.test(text)) return { senderSide: true };
  if (TOO_LARGE_TEXT.test(text) && !MAILBOX_FULL_TEXT.test(text)) return { tooLarge: true };
  if (MAILBOX_FULL_TEXT.test(text)) return { reason: 'mailbox_full' };
  if (ACCOUNT_DISABLED_TEXT.test(text)) return { reason: 'account_disabled' };
  if (INVALID_DOMAIN_TEXT.test(text)) return { reason: 'invalid_domain' };
  if (USER_UNKNOWN_TEXT.test(text)) return { reason: 'user_unknown' };
  if (REFUSED_TEXT.test(text)) return { reason: 'refused' };
  return null;
};

/** The reason a bare reply code gives when neither the enhanced code nor the text said more. */
const fromReplyCode = (replyCode: number, command: string | undefined): FailureReason => {
  const atRecipient = command === undefined || /^RCPT/i.test(command);
  switch (replyCode) {
    case 421:
      return 'not_connected'; // service not available, closing the channel
    case 452:
      return 'mailbox_full';
    case 550:
    case 551:
      return atRecipient ? 'user_unknown' : 'other';
    case 552:
      return 'mailbox_full';
    case 553:
      return 'invalid_domain'; // see the file header
    case 521:
    case 556:
      return 'invalid_domain'; // RFC 7504: the domain does not accept mail
    case 554:
      return 'refused';
    default:
      return 'other';
  }
};

const oneLine = (text: string): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_MESSAGE_LENGTH ? `${line.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : line;
};

/** The failure, with what it says of the relay (see SendFailure.relay and inDoubt). */
export const classifySendError = (err: unknown): SendFailure => {
  const failure = classifyRecipientFailure(err);
  const { responseCode, command, response } = readFields(err);
  // At RCPT TO, a domain asking us to slow down: its domain rests, the relay and the recipient are fine.
  if (
    responseCode !== undefined &&
    THROTTLE_CODES.has(responseCode) &&
    /^RCPT TO$/i.test(command ?? '') &&
    THROTTLE_TEXT.test(response ?? '')
  )
    return { ...failure, throttled: true };
  const relay = relayFailureOf(err, failure);
  if (!relay) return failure;
  const handedOver = Boolean((err as { afterData?: unknown } | null)?.afterData);
  return relay === 'outage' && handedOver && readFields(err).responseCode === undefined
    ? {
        ...failure,
        relay,
        inDoubt: true,
        message: oneLine(
          `The relay closed the connection after the message was handed over, without saying whether it accepted it: not sent again on its own. ${failure.message}`,
        ),
      }
    : { ...failure, relay };
};

/** Replies that say the relay itself cannot serve now: 454 refuses TLS or login for now. */
const RELAY_UNAVAILABLE_CODES = new Set([454]);

const relayFailureOf = (err: unknown, failure: SendFailure): RelayFailure | null => {
  const { responseCode, code, command, response, message } = readFields(err);
  if (failure.failureType === 'hard') return null;
  if (responseCode === undefined) {
    if (failure.failureReason === 'unreachable' || failure.failureReason === 'not_connected')
      return code === 'EAUTH' || code === 'NoAuth' ? 'login' : 'outage';
    return null;
  }
  // 421 closes the channel, whatever the command it answers (a relay shutting down answers it to RCPT TO too).
  if (responseCode === 421) return 'outage';
  // At RCPT TO any other temporary refusal is about the recipient (greylisting, a full mailbox); anywhere else in the
  // session it is the relay's own trouble. Without a command (a registered messenger's error) nothing says it is the
  // relay.
  const inSession = command !== undefined && !/^RCPT TO$/i.test(command);
  if (inSession && (RELAY_UNAVAILABLE_CODES.has(responseCode) || responseCode === 451)) return 'outage';
  if (code === 'EAUTH' || /^AUTH\b/i.test(command ?? '')) return responseCode >= 500 ? 'login' : 'outage';
  // A soft refusal in the session, or one at RCPT TO that names our sender or our host (Postfix delays those to
  // RCPT TO), is about us whoever the recipient (hard refusals, 5.7.x spam, are the message's).
  if (failure.failureReason === 'refused' && (inSession || SENDER_TEXT.test(response ?? message)))
    return responseCode >= 500 ? 'sender' : 'outage';
  if (inSession && failure.failureReason === 'not_connected') return 'outage';
  return null;
};

const classifyRecipientFailure = (err: unknown): SendFailure => {
  const fields = readFields(err);
  const { responseCode, response, code, command } = fields;
  const text = response ?? fields.message;
  const message = oneLine(response ? `${response}` : fields.message) || 'unknown error';
  const enhanced = parseEnhancedStatus(response) ?? parseEnhancedStatus(fields.message);
  const replyClass =
    responseCode !== undefined && responseCode >= 400 && responseCode < 600
      ? Math.floor(responseCode / 100)
      : enhanced?.klass;

  const soft = (failureReason: FailureReason, retryable: boolean): SendFailure => ({
    failureType: 'soft',
    failureReason,
    retryable,
    message,
  });

  if (replyClass === undefined) {
    // No SMTP reply at all: the message never reached the point where the address could be judged.
    if (code !== undefined && UNREACHABLE_CODES.has(code)) return soft('unreachable', true);
    if (UNREACHABLE_MESSAGE.test(fields.message)) return soft('unreachable', true);
    if (code !== undefined && (CONNECTION_CODES.has(code) || SESSION_CODES.has(code)))
      return soft('not_connected', true);
    if (CONNECTION_MESSAGE.test(fields.message)) return soft('not_connected', true);
    if (code === 'EENVELOPE' && /recipient/i.test(fields.message)) {
      // nodemailer found the address unusable (CR, LF, <, > or empty) before any SMTP exchange: it never will be.
      return { failureType: 'hard', failureReason: 'user_unknown', retryable: false, message };
    }
    if (code === 'EMESSAGE' || code === 'ESTREAM' || code === 'EENVELOPE') return soft('other', false);
    return soft('other', true);
  }

  // Our session or our sender was refused: never the address's fault (see the file header).
  if ((code !== undefined && SESSION_CODES.has(code)) || (command !== undefined && SESSION_COMMANDS.test(command))) {
    const ownCredentials = (code !== undefined && SESSION_CODES.has(code)) || /^(AUTH|STARTTLS)/i.test(command ?? '');
    const refused =
      !ownCredentials && (/^MAIL FROM$/i.test(command ?? '') || SENDER_TEXT.test(text) || REFUSED_TEXT.test(text));
    return soft(refused ? 'refused' : 'not_connected', replyClass === 4);
  }

  const verdict = (enhanced && fromEnhancedStatus(enhanced, text)) || fromText(text);
  if (verdict && 'senderSide' in verdict) return soft('refused', replyClass === 4);
  if (verdict && 'tooLarge' in verdict) return soft('other', replyClass === 4);
  const reason =
    verdict && 'reason' in verdict ? verdict.reason : fromReplyCode(responseCode ?? replyClass * 100, command);

  if (replyClass === 4) return soft(reason, true);
  if (reason === 'mailbox_full') return soft(reason, true);
  return { failureType: 'hard', failureReason: reason, retryable: false, message };
};

/**
 * Delay before retry number `attempt` (1 for the first retry): base, then doubling, capped at maxMs. Deterministic
 * (no jitter) so tests and the UI can state when the next try happens; the sender spreads load by its send rate.
 */
export const backoffDelayMs = (attempt: number, baseMs = 1000, maxMs = 300000): number => {
  if (!(baseMs > 0) || !(maxMs > 0)) return 0;
  const n = Number.isNaN(attempt) ? 1 : Math.max(1, Math.floor(attempt));
  // The exponent is bounded so that 2^(n-1) stays finite; the cap applies long before that anyway.
  return Math.min(maxMs, baseMs * 2 ** Math.min(n - 1, 1000));
};

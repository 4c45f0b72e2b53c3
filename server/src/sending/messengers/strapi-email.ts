// The Strapi email messenger: sends through the app's configured email provider (plugin::email).
//
// How the extra headers and the Message-ID get through: @strapi/email's service `send(options)` hands `options`
// unchanged to `provider.send(options)`; what happens next depends on the provider:
// - nodemailer (@strapi/provider-email-nodemailer): picks known fields; recent versions include `headers`, older
//   ones drop it. A 'Message-ID' entry in `headers` is kept by nodemailer (it only generates one when absent).
// - sendmail (the default): spreads every option into a nodemailer message, so `headers` (and Message-ID) pass.
// - sendgrid: spreads options into the SendGrid request, whose `headers` field takes custom headers; SendGrid
//   may still set its own Message-ID.
// - mailgun: spreads options into the Mailgun form, where custom headers are `h:Name` fields; a `headers` object
//   would be meaningless there, so for this provider the headers are sent as `h:` fields.
// - amazon-ses: uses SES SendEmail, which has no custom headers: List-Unsubscribe and our Message-ID are lost
//   (SES sets its own). Prefer the SMTP messenger (SES has an SMTP interface) for tracked deliveries.
// Whatever the provider, the result's messageId is the one the provider reports when it reports one, else ours.
import {
  assertSafeHeaders,
  formatMessageId,
  MessengerClosedError,
  type Messenger,
  type OutgoingMessage,
  type SendResult,
} from './types';

interface EmailService {
  send(options: Record<string, unknown>): Promise<unknown>;
}

/** What the messenger reads of Strapi: the email plugin's service and config, either of which may be missing. */
interface StrapiWithEmail {
  plugin(name: string): { service(name: string): unknown } | undefined;
  config: { get(key: string): unknown };
}

const emailService = (strapi: StrapiWithEmail): EmailService | null => {
  const plugin = strapi?.plugin?.('email');
  const service = plugin?.service?.('email') as Partial<EmailService> | undefined;
  return service && typeof service.send === 'function' ? (service as EmailService) : null;
};

const providerName = (strapi: StrapiWithEmail): string => {
  const config = strapi?.config?.get?.('plugin::email') as { provider?: unknown } | undefined;
  return typeof config?.provider === 'string' ? config.provider.toLowerCase() : '';
};

/** The provider's answer, read defensively: nodemailer returns { messageId, response }, Mailgun { id, message }. */
const readProviderResult = (result: unknown, ourMessageId: string): SendResult => {
  const record = result && typeof result === 'object' ? (result as Record<string, unknown>) : {};
  const reportedId = [record.messageId, record.id].find((value): value is string => typeof value === 'string');
  const response = [record.response, record.message].find((value): value is string => typeof value === 'string');
  return { messageId: reportedId ?? ourMessageId, ...(response !== undefined ? { response } : {}) };
};

export const createStrapiEmailMessenger = (strapi: StrapiWithEmail): Messenger => {
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  const send = async (message: OutgoingMessage): Promise<SendResult> => {
    if (closed) throw new MessengerClosedError('strapi-email');
    const service = emailService(strapi);
    if (!service) throw new Error('the Strapi email plugin (plugin::email) is not available');
    assertSafeHeaders(message.headers);
    const messageId = formatMessageId(message.messageId);
    const headers = { ...message.headers, 'Message-ID': messageId };
    const headerFields = /mailgun/.test(providerName(strapi))
      ? Object.fromEntries(Object.entries(headers).map(([name, value]) => [`h:${name}`, value]))
      : { headers };

    const sending = service.send({
      to: message.to,
      from: message.from,
      ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      subject: message.subject,
      // Only the parts we have (the nodemailer provider would send the HTML source as the text part if text were
      // missing: the composer always derives one).
      ...(message.html !== undefined ? { html: message.html } : {}),
      ...(message.text !== undefined ? { text: message.text } : {}),
      ...(message.attachments?.length ? { attachments: message.attachments } : {}),
      ...headerFields,
    });
    inFlight.add(sending);
    try {
      return readProviderResult(await sending, messageId);
    } finally {
      inFlight.delete(sending);
    }
  };

  return {
    name: 'strapi-email',
    send,
    async verify() {
      // A provider cannot be checked without sending a message: the email plugin being there is all we can know.
      return emailService(strapi)
        ? { ok: true }
        : { ok: false, error: 'the Strapi email plugin (plugin::email) is not available' };
    },
    async close() {
      closed = true;
      // The provider belongs to the email plugin: nothing to release, only the messages in flight to wait for.
      await Promise.allSettled([...inFlight]);
    },
  };
};

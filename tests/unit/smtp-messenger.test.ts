// The messengers against a real SMTP server on 127.0.0.1: what arrives, and how refusals are classified.
import sendmailProvider from '@strapi/provider-email-sendmail';
import { classifySendError } from '../../server/src/sending/smtp-failures';
import { createSmtpMessenger, type SmtpMessengerOptions } from '../../server/src/sending/messengers/smtp';
import { createThreadedSmtpMessenger } from '../../server/src/sending/messengers/smtp-thread';
import { createStrapiEmailMessenger } from '../../server/src/sending/messengers/strapi-email';
import type { Messenger, OutgoingMessage } from '../../server/src/sending/messengers/types';
import {
  closedPort,
  startTestSmtpServer,
  type ParsedMessage,
  type SmtpFault,
  type TestSmtpServer,
} from '../helpers/smtp-server';

const UNSUBSCRIBE_URL =
  'https://news.example.test/api/campaigns/u/eyJkIjoiZGVsaXZlcnktMSIsImwiOiJsb2ctNDIifQ.c2lnbmF0dXJl';

const message = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  from: '"Acme News" <news@acme.test>',
  to: 'ada@example.test',
  replyTo: 'help@acme.test',
  subject: 'Spring offers',
  html: '<p>Hello <b>Ada</b></p>',
  text: 'Hello Ada',
  headers: {
    'List-Unsubscribe': `<${UNSUBSCRIBE_URL}>, <mailto:unsubscribe@acme.test?subject=log-42>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'X-Campaigns-Delivery': 'delivery-1',
  },
  messageId: '<log-42.delivery-1@acme.test>',
  ...overrides,
});

/** A header as received, unfolded (RFC 5322 2.2.3): mailparser turns List-* headers into objects, so read the line. */
const headerValue = (received: ParsedMessage, name: string): string | undefined => {
  const line = received.headerLines.find((header) => header.key === name.toLowerCase())?.line;
  return line
    ?.slice(name.length + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .trim();
};

/** Runs the failing send and returns what it threw, so a test can assert on the error itself. */
const sendError = async (messenger: Messenger, outgoing: OutgoingMessage): Promise<unknown> => {
  try {
    await messenger.send(outgoing);
  } catch (err) {
    return err;
  }
  throw new Error('send() resolved, a refusal was expected');
};

describe('SMTP messenger', () => {
  let server: TestSmtpServer;
  let messenger: Messenger;
  const faults: Record<string, SmtpFault> = {
    'unknown@example.test': {
      code: 550,
      message: '5.1.1 <unknown@example.test>: Recipient address rejected: User unknown in virtual mailbox table',
    },
    'busy@example.test': { code: 451, message: '4.3.0 Temporary local problem, please try again later' },
    'full@example.test': {
      code: 452,
      message: '4.2.2 The email account that you tried to reach is over quota',
      at: 'data',
    },
    'cut@example.test': 'drop',
    'silent@example.test': 'drop-after-data',
  };

  const connect = (options: Partial<SmtpMessengerOptions> = {}): Messenger =>
    createSmtpMessenger({
      host: server.host,
      port: server.port,
      secure: false,
      pool: 2,
      connectionTimeoutMs: 2000,
      ...options,
    });

  beforeAll(async () => {
    server = await startTestSmtpServer({ faults: (rcpt) => faults[rcpt] ?? null });
  });
  beforeEach(() => {
    messenger = connect();
  });
  afterEach(async () => {
    await messenger.close();
  });
  afterAll(async () => {
    await server.close();
  });

  it('delivers the message with our Message-ID, the unsubscribe headers verbatim, HTML and text', async () => {
    const before = server.messages.length;

    const result = await messenger.send(message());

    const received = server.messages[before];
    expect(result.messageId).toBe('<log-42.delivery-1@acme.test>');
    expect(result.response).toMatch(/^250\b/);
    expect(received.envelopeTo).toEqual(['ada@example.test']);
    expect(received.envelopeFrom).toBe('news@acme.test');
    expect(received.messageId).toBe('<log-42.delivery-1@acme.test>');
    // nodemailer folds long header lines at spaces; unfolded, each header is exactly what we gave.
    expect(headerValue(received, 'List-Unsubscribe')).toBe(
      `<${UNSUBSCRIBE_URL}>, <mailto:unsubscribe@acme.test?subject=log-42>`,
    );
    expect(headerValue(received, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(headerValue(received, 'X-Campaigns-Delivery')).toBe('delivery-1');
    expect(received.subject).toBe('Spring offers');
    expect(received.html).toContain('<p>Hello <b>Ada</b></p>');
    expect(received.text?.trim()).toBe('Hello Ada');
    expect(received.replyTo?.text).toBe('help@acme.test');
  });

  it('adds the angle brackets a bare Message-ID needs', async () => {
    const before = server.messages.length;

    await messenger.send(message({ messageId: 'log-43.delivery-1@acme.test' }));

    expect(server.messages[before].messageId).toBe('<log-43.delivery-1@acme.test>');
  });

  it('sends in parallel over the pool and every message arrives once', async () => {
    const before = server.messages.length;
    const recipients = Array.from({ length: 6 }, (_, i) => `reader${i}@example.test`);

    await Promise.all(recipients.map((to, i) => messenger.send(message({ to, messageId: `<log-${i}@acme.test>` }))));

    const arrived = server.messages.slice(before).flatMap((received) => received.envelopeTo);
    expect(arrived.sort()).toEqual([...recipients].sort());
  });

  it('a "550 5.1.1 user unknown" recipient makes send() throw an error classified hard user_unknown', async () => {
    const err = await sendError(messenger, message({ to: 'unknown@example.test' }));

    expect(err).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    expect(classifySendError(err)).toEqual({
      failureType: 'hard',
      failureReason: 'user_unknown',
      retryable: false,
      message: '550 5.1.1 <unknown@example.test>: Recipient address rejected: User unknown in virtual mailbox table',
    });
  });

  it('a "451" recipient is a soft failure to retry later', async () => {
    const err = await sendError(messenger, message({ to: 'busy@example.test' }));

    expect(classifySendError(err)).toMatchObject({ failureType: 'soft', failureReason: 'other', retryable: true });
  });

  it('a mailbox over quota refused at the end of DATA is a soft mailbox_full failure', async () => {
    const err = await sendError(messenger, message({ to: 'full@example.test' }));

    expect(err).toMatchObject({ responseCode: 452, command: 'DATA' });
    expect(classifySendError(err)).toMatchObject({
      failureType: 'soft',
      failureReason: 'mailbox_full',
      retryable: true,
    });
  });

  it('a connection dropped mid-session is a soft not_connected failure, and the message is not re-sent behind our back', async () => {
    const attemptsBefore = server.attemptsFor('cut@example.test');

    const err = await sendError(messenger, message({ to: 'cut@example.test' }));

    expect(classifySendError(err)).toMatchObject({
      failureType: 'soft',
      failureReason: 'not_connected',
      retryable: true,
    });
    expect(server.attemptsFor('cut@example.test')).toBe(attemptsBefore + 1);
    expect(classifySendError(err).inDoubt).toBeUndefined();
  });

  it('a connection dropped after the whole message was handed over leaves it in doubt: the relay may have it', async () => {
    const err = await sendError(messenger, message({ to: 'silent@example.test' }));
    expect(classifySendError(err)).toMatchObject({ relay: 'outage', inDoubt: true });
    expect(server.messages.filter((m) => m.envelopeTo.includes('silent@example.test'))).toHaveLength(1);
  });

  it('after a refusal the pool keeps delivering to other recipients', async () => {
    await sendError(messenger, message({ to: 'unknown@example.test' }));
    const before = server.messages.length;

    await messenger.send(message({ to: 'grace@example.test' }));

    expect(server.messages[before].envelopeTo).toEqual(['grace@example.test']);
  });

  it('verify() is ok against a running server', async () => {
    await expect(messenger.verify()).resolves.toEqual({ ok: true });
  });

  it('refuses a header value with a line break instead of letting it inject a header', async () => {
    const outgoing = message({ headers: { 'X-Campaigns-Delivery': 'delivery-1\r\nBcc: victim@example.test' } });

    await expect(messenger.send(outgoing)).rejects.toThrow(/line break/);
  });

  it('close() waits for the messages in flight, then send() refuses', async () => {
    const before = server.messages.length;
    const sending = messenger.send(message({ to: 'last@example.test' }));

    await messenger.close();

    await expect(sending).resolves.toMatchObject({ messageId: '<log-42.delivery-1@acme.test>' });
    expect(server.messages.length).toBe(before + 1);
    await expect(messenger.send(message())).rejects.toMatchObject({ code: 'EMESSENGERCLOSED' });
  });
});

describe('SMTP messenger when the server is down', () => {
  it('send() throws an error classified soft not_connected, to retry later', async () => {
    const messenger = createSmtpMessenger({ host: '127.0.0.1', port: await closedPort(), secure: false, pool: 1 });

    const err = await sendError(messenger, message());
    await messenger.close();

    expect(classifySendError(err)).toMatchObject({
      failureType: 'soft',
      failureReason: 'not_connected',
      retryable: true,
    });
  });

  it('verify() is not ok and says why', async () => {
    const port = await closedPort();
    const messenger = createSmtpMessenger({ host: '127.0.0.1', port, secure: false, pool: 1 });

    const result = await messenger.verify();
    await messenger.close();

    expect(result).toEqual({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('SMTP messenger with authentication', () => {
  it('authenticates with the configured credentials, and verify() reports wrong ones', async () => {
    const server = await startTestSmtpServer({ auth: { user: 'relay', pass: 'secret' } });
    const good = createSmtpMessenger({
      host: server.host,
      port: server.port,
      secure: false,
      pool: 1,
      auth: { user: 'relay', pass: 'secret' },
    });
    const bad = createSmtpMessenger({
      host: server.host,
      port: server.port,
      secure: false,
      pool: 1,
      auth: { user: 'relay', pass: 'wrong' },
    });

    try {
      await good.send(message());
      const refused = await sendError(bad, message());

      expect(server.messages).toHaveLength(1);
      expect(await bad.verify()).toEqual({ ok: false, error: expect.stringContaining('535') });
      // Our credentials were refused: not the recipient's fault, so never a hard failure.
      expect(classifySendError(refused)).toMatchObject({
        failureType: 'soft',
        failureReason: 'not_connected',
        retryable: false,
      });
    } finally {
      await Promise.all([good.close(), bad.close()]);
      await server.close();
    }
  });
});

describe('SMTP messengers and a server that quotes the password back', () => {
  it.each([
    ['on the main thread', createSmtpMessenger],
    ['on worker threads', createThreadedSmtpMessenger],
  ])('%s: the error shown and logged never holds the password', async (_name, create) => {
    const server = await startTestSmtpServer({
      auth: { user: 'relay', pass: 'right' },
      authRefusal: ({ pass }) => `5.7.8 password ${pass} (${Buffer.from(pass).toString('base64')}) refused`,
    });
    const messenger = create({
      host: server.host,
      port: server.port,
      secure: false,
      pool: 1,
      auth: { user: 'relay', pass: 'wr0ng-s3cret' },
    });

    try {
      const verified = await messenger.verify();
      const refused = (await sendError(messenger, message())) as Error & { response?: string };

      expect(server.authAttempts.map((given) => given.pass)).toContain('wr0ng-s3cret');
      expect(verified).toEqual({ ok: false, error: expect.stringContaining('password ******** (********) refused') });
      expect(refused.message).toContain('password ******** (********) refused');
      expect(JSON.stringify([verified, refused.message, refused.response, refused.stack])).not.toMatch(
        /wr0ng-s3cret|d3IwbmctczNjcmV0/,
      );
    } finally {
      await messenger.close();
      await server.close();
    }
  });
});

/** The part of Strapi the email messenger uses: plugin('email').service('email') and the email plugin's config. */
const fakeStrapi = (provider: string, send: ((options: Record<string, unknown>) => Promise<unknown>) | null) => ({
  plugin: (name: string) =>
    name === 'email' && send ? { service: (id: string) => (id === 'email' ? { send } : undefined) } : undefined,
  config: { get: (key: string) => (key === 'plugin::email' ? { provider } : undefined) },
});

describe('Strapi email messenger', () => {
  let server: TestSmtpServer;

  beforeAll(async () => {
    server = await startTestSmtpServer({
      faults: (rcpt) => (rcpt === 'unknown@example.test' ? { code: 550, message: '5.1.1 User unknown' } : null),
    });
  });
  afterAll(async () => {
    await server.close();
  });

  // Strapi's default provider (sendmail), pointed at the test server with its devPort option: the real code path
  // from plugin::email's service to an SMTP server.
  const throughSendmail = () => {
    const provider = sendmailProvider.init(
      { devPort: server.port, devHost: server.host },
      {
        defaultFrom: 'noreply@acme.test',
        defaultReplyTo: 'noreply@acme.test',
      },
    );
    return createStrapiEmailMessenger(fakeStrapi('sendmail', (options) => provider.send(options as never)));
  };

  it("delivers through the app's email provider with our Message-ID and unsubscribe headers", async () => {
    const messenger = throughSendmail();
    const before = server.messages.length;

    const result = await messenger.send(message({ to: 'lin@example.test' }));
    await messenger.close();

    const received = server.messages[before];
    expect(result).toEqual({ messageId: '<log-42.delivery-1@acme.test>' });
    expect(received.envelopeTo).toEqual(['lin@example.test']);
    expect(received.messageId).toBe('<log-42.delivery-1@acme.test>');
    expect(headerValue(received, 'List-Unsubscribe')).toBe(
      `<${UNSUBSCRIBE_URL}>, <mailto:unsubscribe@acme.test?subject=log-42>`,
    );
    expect(headerValue(received, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(received.html).toContain('<p>Hello <b>Ada</b></p>');
    expect(received.text?.trim()).toBe('Hello Ada');
  });

  it('a refusal still throws, but the sendmail provider hides the SMTP reply: only a soft, retryable failure is known', async () => {
    const messenger = throughSendmail();

    const err = await sendError(messenger, message({ to: 'unknown@example.test' }));
    await messenger.close();

    expect(classifySendError(err)).toMatchObject({ failureType: 'soft', failureReason: 'other', retryable: true });
  });

  it('hands Mailgun its headers as h: fields, the only form its API reads', async () => {
    const sent: Record<string, unknown>[] = [];
    const messenger = createStrapiEmailMessenger(
      fakeStrapi('mailgun', async (options) => {
        sent.push(options);
        return { id: '<20260101.1@mg.acme.test>', message: 'Queued. Thank you.' };
      }),
    );

    const result = await messenger.send(message());

    expect(sent[0]).toMatchObject({
      'h:Message-ID': '<log-42.delivery-1@acme.test>',
      'h:List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'h:X-Campaigns-Delivery': 'delivery-1',
    });
    expect(sent[0]).not.toHaveProperty('headers');
    expect(result).toEqual({ messageId: '<20260101.1@mg.acme.test>', response: 'Queued. Thank you.' });
  });

  it('verify() is ok when the email plugin is there, and says so when it is not', async () => {
    const withPlugin = createStrapiEmailMessenger(fakeStrapi('sendmail', async () => undefined));
    const withoutPlugin = createStrapiEmailMessenger(fakeStrapi('sendmail', null));

    await expect(withPlugin.verify()).resolves.toEqual({ ok: true });
    await expect(withoutPlugin.verify()).resolves.toEqual({
      ok: false,
      error: expect.stringContaining('plugin::email'),
    });
  });
});

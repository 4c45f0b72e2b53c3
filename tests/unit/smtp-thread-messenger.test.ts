// The SMTP messenger on a worker thread behaves as the main-thread one: same messages, same errors to classify.
import { classifySendError } from '../../server/src/sending/smtp-failures';
import { createThreadedSmtpMessenger, splitPool } from '../../server/src/sending/messengers/smtp-thread';
import { MessengerClosedError, type Messenger, type OutgoingMessage } from '../../server/src/sending/messengers/types';
import { closedPort, startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';

const message = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  from: '"Acme News" <news@acme.test>',
  to: 'ada@example.test',
  subject: 'Spring offers',
  html: '<p>Hello <b>Ada</b></p>',
  text: 'Hello Ada',
  headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'X-Campaigns-Delivery': 'delivery-1' },
  messageId: '<log-42.delivery-1@acme.test>',
  textEncoding: 'quoted-printable',
  ...overrides,
});

describe('splitting the SMTP pool over threads', () => {
  it.each([
    [5, 2, [3, 2]],
    [5, 1, [5]],
    [2, 4, [1, 1]],
    [1, 2, [1]],
    [10, 3, [4, 3, 3]],
  ])('%i connections over %i threads: %j', (pool, threads, expected) => {
    expect(splitPool(pool, threads)).toEqual(expected);
  });
});

describe('SMTP messenger on worker threads', () => {
  let server: TestSmtpServer;
  let messenger: Messenger;

  beforeAll(async () => {
    server = await startTestSmtpServer({
      faults: (rcpt) =>
        rcpt === 'unknown@example.test'
          ? { code: 550, message: '5.1.1 <unknown@example.test>: Recipient address rejected: User unknown' }
          : rcpt === 'busy@example.test'
            ? { code: 451, message: '4.3.0 Temporary local problem' }
            : rcpt === 'silent@example.test'
              ? 'drop-after-data'
              : rcpt === 'cut@example.test'
                ? 'drop'
                : null,
    });
  });
  beforeEach(() => {
    messenger = createThreadedSmtpMessenger(
      { host: server.host, port: server.port, secure: false, pool: 3, connectionTimeoutMs: 2000 },
      2,
    );
  });
  afterEach(async () => {
    await messenger.close();
  });
  afterAll(async () => {
    await server.close();
  });

  it('delivers messages in parallel with our Message-ID, headers and both parts', async () => {
    const before = server.messages.length;
    const results = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        messenger.send(message({ to: `reader${i}@example.test`, messageId: `<log-${i}@acme.test>` })),
      ),
    );
    expect(results.map((r) => r.messageId)).toEqual([
      '<log-0@acme.test>',
      '<log-1@acme.test>',
      '<log-2@acme.test>',
      '<log-3@acme.test>',
    ]);
    const received = server.messages.slice(before);
    expect(received.map((m) => m.envelopeTo[0]).sort()).toEqual([
      'reader0@example.test',
      'reader1@example.test',
      'reader2@example.test',
      'reader3@example.test',
    ]);
    expect(received[0].html).toContain('<p>Hello <b>Ada</b></p>');
    expect(received[0].text?.trim()).toBe('Hello Ada');
    expect(received[0].headers.get('x-campaigns-delivery')).toBe('delivery-1');
  });

  it('throws refusals with the SMTP reply, classified like the main-thread messenger', async () => {
    const hard = await messenger.send(message({ to: 'unknown@example.test' })).catch((error) => error);
    expect(hard).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    expect(classifySendError(hard)).toMatchObject({ failureType: 'hard', failureReason: 'user_unknown' });
    const soft = await messenger.send(message({ to: 'busy@example.test' })).catch((error) => error);
    expect(classifySendError(soft)).toMatchObject({ failureType: 'soft', retryable: true });
  });

  it('tells a connection dropped after the whole message was handed over (in doubt) from one dropped before', async () => {
    const silent = await messenger.send(message({ to: 'silent@example.test' })).catch((error: unknown) => error);
    expect(classifySendError(silent)).toMatchObject({ relay: 'outage', inDoubt: true });
    const cut = await messenger.send(message({ to: 'cut@example.test' })).catch((error: unknown) => error);
    expect(classifySendError(cut)).toMatchObject({ relay: 'outage' });
    expect(classifySendError(cut).inDoubt).toBeUndefined();
  });

  it('refuses a header with a line break before anything leaves', async () => {
    await expect(messenger.send(message({ headers: { 'X-Evil': 'a\r\nBcc: x@y.test' } }))).rejects.toThrow(
      /line break/,
    );
  });

  it('verifies the server, and reports a server that is down as soft "not connected" on send', async () => {
    expect(await messenger.verify()).toEqual({ ok: true });
    const down = createThreadedSmtpMessenger({
      host: '127.0.0.1',
      port: await closedPort(),
      secure: false,
      pool: 1,
      connectionTimeoutMs: 1000,
    });
    try {
      expect((await down.verify()).ok).toBe(false);
      const error = await down.send(message()).catch((e) => e);
      expect(classifySendError(error)).toMatchObject({
        failureType: 'soft',
        failureReason: 'not_connected',
        retryable: true,
      });
    } finally {
      await down.close();
    }
  });

  it('lets messages in flight finish on close, then refuses new ones', async () => {
    const before = server.messages.length;
    const sending = messenger.send(message({ to: 'last@example.test' }));
    await messenger.close();
    await expect(sending).resolves.toMatchObject({ messageId: '<log-42.delivery-1@acme.test>' });
    expect(server.messages.length).toBe(before + 1);
    await expect(messenger.send(message())).rejects.toBeInstanceOf(MessengerClosedError);
  });
});

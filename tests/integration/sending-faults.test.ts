// What happens to recipients when the SMTP server refuses, drops the connection or is down: soft failures of the
// recipient are retried with backoff then failed as soft, hard ones fail at once with their reason and quarantine
// the contact; failures of the relay itself (421, a dropped connection, nobody listening) cost the recipient no
// attempt, and a relay that keeps failing pauses the delivery (tests/integration/relay-outage.test.ts).
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type SmtpFault, type TestSmtpServer } from '../helpers/smtp-server';
import {
  allLogs,
  api,
  createContacts,
  createDelivery,
  createList,
  rawHeader,
  waitForStatus,
} from '../helpers/campaigns';

const FAULTS: Record<string, (attempt: number) => SmtpFault> = {
  'busy@example.test': (attempt) =>
    attempt === 1 ? { code: 421, message: '4.7.0 Too many connections, try again later' } : null,
  'greylisted@example.test': (attempt) =>
    attempt < 3 ? { code: 451, message: '4.7.1 Greylisted, please try again' } : null,
  'full@example.test': () => ({ code: 452, message: '4.2.2 Mailbox full' }),
  'unknown@example.test': () => ({
    code: 550,
    message: '5.1.1 <unknown@example.test>: Recipient address rejected: User unknown',
  }),
  'nodomain@example.test': () => ({ code: 553, message: '5.1.2 Domain not found' }),
  'spam@example.test': () => ({ code: 554, message: '5.7.1 Message refused as spam', at: 'data' }),
  'dropped@example.test': (attempt) => (attempt === 1 ? 'drop' : null),
  'indoubt@example.test': (attempt) => (attempt === 1 ? 'drop-after-data' : null),
};

describe('sending through an SMTP server that refuses or fails', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let list: string;
  let logs: Map<string, any>;
  let delivery: { documentId: string };
  let finalStatus: any;

  const received = (email: string) =>
    smtp.messages.filter(
      (m) => m.envelopeTo.includes(email) && rawHeader(m, 'X-Campaigns-Delivery') === delivery.documentId,
    );

  beforeAll(async () => {
    smtp = await startTestSmtpServer({ faults: (rcpt, attempt) => FAULTS[rcpt]?.(attempt) ?? null });
    app = await bootTestApp({
      pluginConfig: {
        smtp: { host: smtp.host, port: smtp.port, pool: 2 },
        sending: { retryBaseMs: 50, maxAttempts: 3, batchSize: 10 },
        defaultFrom: { name: 'Acme', email: 'news@acme.example.test' },
      },
    });
    token = await app.superAdminToken();
    list = await createList(app, token, 'Everyone');
    await createContacts(
      app,
      token,
      [...Object.keys(FAULTS), 'fine1@example.test', 'fine2@example.test'].map((email) => ({
        email,
        firstName: 'Pat',
      })),
      [list],
    );
    delivery = await createDelivery(app, token, { html: '<p>Hi {{firstName}}</p>', lists: [list] });
    await api(app, token).post(`/deliveries/${delivery.documentId}/send`);
    finalStatus = await waitForStatus(app, token, delivery.documentId, ['sent', 'failed'], 30_000);
    logs = new Map((await allLogs(app, token, delivery.documentId)).map((log) => [log.email, log]));
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('tries a 421 again without spending an attempt, retries a 451 with backoff, and sends each message once accepted', () => {
    expect(logs.get('busy@example.test')).toMatchObject({ status: 'sent', attempts: 1, failureType: null });
    expect(logs.get('greylisted@example.test')).toMatchObject({ status: 'sent', attempts: 3 });
    expect(received('busy@example.test')).toHaveLength(1);
    expect(received('greylisted@example.test')).toHaveLength(1);
    expect(smtp.attemptsFor('greylisted@example.test')).toBe(3);
  });

  it('fails a recipient as soft after the maximum number of attempts', () => {
    expect(logs.get('full@example.test')).toMatchObject({
      status: 'failed',
      failureType: 'soft',
      failureReason: 'mailbox_full',
      attempts: 3,
    });
    expect(logs.get('full@example.test').failureMessage).toMatch(/452 4\.2\.2 Mailbox full/);
    expect(smtp.attemptsFor('full@example.test')).toBe(3);
  });

  it('fails a 550 user unknown and a 553 unknown domain at once as hard, and quarantines those contacts', async () => {
    expect(logs.get('unknown@example.test')).toMatchObject({
      status: 'failed',
      failureType: 'hard',
      failureReason: 'user_unknown',
      attempts: 1,
    });
    expect(logs.get('nodomain@example.test')).toMatchObject({
      status: 'failed',
      failureType: 'hard',
      failureReason: 'invalid_domain',
      attempts: 1,
    });
    expect(smtp.attemptsFor('unknown@example.test')).toBe(1);
    const contacts = await api(app, token).get('/contacts?status=quarantined');
    expect(contacts.body.data.map((c: any) => c.email).sort()).toEqual([
      'nodomain@example.test',
      'unknown@example.test',
    ]);
    // Remembered by address, so deleting and re-adding the contact does not make it reachable again.
    const suppressions = await api(app, token).get('/suppressions?reason=hard_bounce');
    expect(suppressions.body.data.map((s: any) => s.email).sort()).toEqual([
      'nodomain@example.test',
      'unknown@example.test',
    ]);
  });

  it('fails a message refused as spam as hard without quarantining the address', async () => {
    expect(logs.get('spam@example.test')).toMatchObject({
      status: 'failed',
      failureType: 'hard',
      failureReason: 'refused',
      attempts: 1,
    });
    const contact = await api(app, token).get('/contacts?search=spam%40example.test');
    expect(contact.body.data[0].status).toBe('subscribed');
  });

  it('tries a recipient whose connection dropped again without spending an attempt, and it gets exactly one message', () => {
    expect(logs.get('dropped@example.test')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(received('dropped@example.test')).toHaveLength(1);
  });

  it('keeps a message the relay went silent on after taking it whole as unknown, and never sends it again on its own', async () => {
    const log = logs.get('indoubt@example.test');
    expect(log).toMatchObject({ status: 'unknown', attempts: 1 });
    expect(log.failureMessage).toMatch(/^The relay closed the connection after the message was handed over/);
    expect(received('indoubt@example.test')).toHaveLength(1);
    expect(smtp.attemptsFor('indoubt@example.test')).toBe(1);
  });

  it('ends the delivery as sent with counters matching the logs', () => {
    expect(finalStatus.status).toBe('sent');
    expect(finalStatus.counters).toEqual({
      targeted: 10,
      excluded: 0,
      pending: 0,
      sent: 5,
      failedHard: 3,
      failedSoft: 1,
      bounced: 0,
      unknown: 1,
    });
  });

  it('does not retry quarantined recipients on retry-failed, only the soft failure', async () => {
    const retry = await api(app, token).post(`/deliveries/${delivery.documentId}/retry-failed`);
    expect(retry.body.data).toEqual({ retried: 2 });
    const done = await waitForStatus(app, token, delivery.documentId, ['sent'], 30_000);
    // full@ fails again (3 more attempts), spam@ is refused again: both are failed, the quarantined ones untouched.
    expect(done.counters).toMatchObject({ sent: 5, failedHard: 3, failedSoft: 1, pending: 0 });
    expect(smtp.attemptsFor('unknown@example.test')).toBe(1);
  });

  it('when the server is down, fails nobody: the delivery pauses with the reason, every recipient pending', async () => {
    await smtp.close();
    const down = await createDelivery(app, token, { name: 'Nobody home', html: '<p>Hi</p>', lists: [list] });
    await api(app, token).post(`/deliveries/${down.documentId}/send`);
    const paused = await waitForStatus(app, token, down.documentId, ['paused', 'sent', 'failed'], 30_000);
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'outage' });
    expect(paused.lastError).toMatch(/^The relay is not answering: .*ECONNREFUSED/);
    const eligible = (await allLogs(app, token, down.documentId)).filter((log) => log.status !== 'excluded');
    expect(eligible.length).toBeGreaterThan(0);
    for (const log of eligible) expect(log).toMatchObject({ status: 'pending', attempts: 0 });
    expect(paused.counters).toMatchObject({ failedSoft: 0, failedHard: 0, pending: eligible.length });
  });
});

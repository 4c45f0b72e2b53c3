// Fallback transports: when the main relay dies or refuses our login, the next one takes the same messages at once,
// the delivery never pauses and nobody loses an attempt; a message the main relay may have accepted is not handed to
// another; each log says which transport sent it, and the delivery counts them.
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import {
  allLogs,
  api,
  createContacts,
  createDelivery,
  createList,
  receivedPerRecipient,
  waitForStatus,
} from '../helpers/campaigns';

const RECIPIENTS = 200;

describe('fallback transports', () => {
  let main: TestSmtpServer;
  let backup: TestSmtpServer;
  const servers: TestSmtpServer[] = [];
  let app: TestApp;
  let token: string;
  let everyone: string;

  const send = async (name: string) => {
    const made = await createDelivery(app, token, { name, html: '<p>Hi {{firstName}}</p>', lists: [everyone] });
    expect((await api(app, token).post(`/deliveries/${made.documentId}/send`)).status).toBe(200);
    return made.documentId as string;
  };
  const mainLabel = () => `smtp ${main.host}:${main.port}`;

  beforeAll(async () => {
    main = await startTestSmtpServer();
    backup = await startTestSmtpServer({ auth: { user: 'backup', pass: 'backup-secret-123' } });
    servers.push(main, backup);
    app = await bootTestApp({
      pluginConfig: {
        smtp: { host: main.host, port: main.port, pool: 2 },
        fallbackTransports: [
          {
            name: 'backup relay',
            smtp: { host: backup.host, port: backup.port, pool: 2, user: 'backup', pass: 'backup-secret-123' },
          },
        ],
        sending: {
          retryBaseMs: 50,
          maxAttempts: 3,
          batchSize: 20,
          outage: { pauseAfter: 4, probeFirstSeconds: 30, probeMaxSeconds: 60 },
        },
        defaultFrom: { name: 'Acme', email: 'news@acme.example.test' },
      },
    });
    token = await app.superAdminToken();
    everyone = await createList(app, token, 'Everyone');
    await createContacts(
      app,
      token,
      Array.from({ length: RECIPIENTS }, (_, i) => ({ email: `reader${i}@example.test`, firstName: `R${i}` })),
      [everyone],
    );
  }, 180_000);

  afterAll(async () => {
    await app?.destroy();
    for (const server of servers) await server.close().catch(() => undefined);
  });

  it('sends through the main relay while it answers, and says so on each log', async () => {
    const id = await send('Main up');
    const done = await waitForStatus(app, token, id, ['sent', 'failed', 'paused'], 60_000);

    expect(done).toMatchObject({ status: 'sent', sentBy: [{ transport: mainLabel(), sent: RECIPIENTS }] });
    expect(receivedPerRecipient(id, [backup]).size).toBe(0);
    expect(new Set((await allLogs(app, token, id)).map((log) => log.transport))).toEqual(new Set([mainLabel()]));
  });

  it('hands the messages to the backup when the main relay dies mid-delivery: no pause, nobody twice', async () => {
    const id = await send('Main dies');
    await main.waitFor(RECIPIENTS + 40, 30_000);
    await main.close();

    const done = await waitForStatus(app, token, id, ['sent', 'failed'], 60_000);
    expect(done).toMatchObject({ status: 'sent', pauseReason: null });
    expect(done.counters).toMatchObject({ sent: RECIPIENTS, failedSoft: 0, failedHard: 0, unknown: 0, pending: 0 });
    const counts = receivedPerRecipient(id, [main, backup]);
    expect(counts.size).toBe(RECIPIENTS);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    // Who sent what, as the dashboard shows it, agrees with what each server received.
    const fromMain = receivedPerRecipient(id, [main]).size;
    const fromBackup = receivedPerRecipient(id, [backup]).size;
    expect(fromMain).toBeGreaterThanOrEqual(40);
    expect(fromBackup).toBeGreaterThan(0);
    expect(done.sentBy).toEqual([
      { transport: 'backup relay', sent: fromBackup },
      { transport: mainLabel(), sent: fromMain },
    ]);
    // The outage cost nobody an attempt.
    expect((await allLogs(app, token, id)).every((log) => log.attempts === 1)).toBe(true);
  });

  it('hands them to the backup when the main relay refuses our login', async () => {
    const guarded = await startTestSmtpServer({ auth: { user: 'news', pass: 'right' } });
    servers.push(guarded);
    main = guarded;
    const set = await api(app, token).put('/settings', {
      smtp: { host: guarded.host, port: guarded.port, user: 'news', pass: 'wrong' },
    });
    expect(set.status).toBe(200);
    const before = backup.messages.length;

    const id = await send('Wrong password');
    const done = await waitForStatus(app, token, id, ['sent', 'failed', 'paused'], 60_000);

    expect(done).toMatchObject({ status: 'sent', sentBy: [{ transport: 'backup relay', sent: RECIPIENTS }] });
    expect(guarded.messages).toHaveLength(0);
    expect(backup.messages.length - before).toBe(RECIPIENTS);
  });

  it('never hands another transport a message the main relay may have accepted', async () => {
    const flaky = await startTestSmtpServer({
      faults: (rcpt) => (rcpt === 'reader7@example.test' ? 'drop-after-data' : null),
    });
    servers.push(flaky);
    main = flaky;
    expect(
      (await api(app, token).put('/settings', { smtp: { host: flaky.host, port: flaky.port, user: '' } })).status,
    ).toBe(200);

    const id = await send('In doubt');
    const done = await waitForStatus(app, token, id, ['sent', 'failed', 'paused'], 60_000);

    expect(done.counters).toMatchObject({ sent: RECIPIENTS - 1, unknown: 1, failedSoft: 0, failedHard: 0 });
    const unknown = (await allLogs(app, token, id)).filter((log) => log.status === 'unknown');
    expect(unknown.map((log) => log.email)).toEqual(['reader7@example.test']);
    expect(receivedPerRecipient(id, [backup]).has('reader7@example.test')).toBe(false);
  });

  it('shows the fallback transports by name in the settings, never their passwords', async () => {
    const res = await api(app, token).get('/settings');

    expect(res.body.data.fallbackTransports).toEqual(['backup relay']);
    expect(JSON.stringify(res.body)).not.toContain('backup-secret-123');
  });
});

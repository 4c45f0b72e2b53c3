// When the relay fails rather than the recipients, nobody's message is lost or failed: a real SMTP server goes away in
// the middle of a delivery and comes back on the same port; the delivery pauses with the reason, probes the relay,
// resumes by itself and ends sent, each recipient received exactly once. A refused login pauses at once and resumes
// once the password is fixed; an outage past its limit ends the delivery failed with its recipients still pending.
import { UID } from '../../shared/constants';
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

describe('a relay outage pauses the delivery instead of failing its recipients', () => {
  let first: TestSmtpServer;
  const servers: TestSmtpServer[] = [];
  let app: TestApp;
  let token: string;
  let everyone: string;
  let few: string;

  const delivery = async (name: string, list: string) => {
    const made = await createDelivery(app, token, { name, html: '<p>Hi {{firstName}}</p>', lists: [list] });
    expect((await api(app, token).post(`/deliveries/${made.documentId}/send`)).status).toBe(200);
    return made.documentId as string;
  };

  beforeAll(async () => {
    first = await startTestSmtpServer();
    servers.push(first);
    app = await bootTestApp({
      pluginConfig: {
        smtp: { host: first.host, port: first.port, pool: 2 },
        sending: {
          retryBaseMs: 50,
          maxAttempts: 3,
          batchSize: 20,
          outage: { pauseAfter: 4, probeFirstSeconds: 1, probeMaxSeconds: 2 },
        },
        defaultFrom: { name: 'Acme', email: 'news@acme.example.test' },
      },
    });
    token = await app.superAdminToken();
    everyone = await createList(app, token, 'Everyone');
    few = await createList(app, token, 'Few');
    await createContacts(
      app,
      token,
      Array.from({ length: RECIPIENTS }, (_, i) => ({ email: `reader${i}@example.test`, firstName: `R${i}` })),
      [everyone],
    );
    await createContacts(
      app,
      token,
      Array.from({ length: 5 }, (_, i) => ({ email: `few${i}@example.test`, firstName: `F${i}` })),
      [few],
    );
  }, 180_000);

  afterAll(async () => {
    await app?.destroy();
    for (const server of servers) await server.close().catch(() => undefined);
  });

  it('pauses when the relay goes away mid-delivery, resumes by itself when it is back, and everyone gets one message', async () => {
    const id = await delivery('Outage', everyone);
    await first.waitFor(40, 30_000);
    await first.close();

    const paused = await waitForStatus(app, token, id, ['paused', 'sent', 'failed'], 30_000);
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'outage' });
    expect(paused.lastError).toMatch(/^The relay is not answering/);
    expect(paused.nextProbeAt).toEqual(expect.any(String));
    const whilePaused = await allLogs(app, token, id);
    expect(whilePaused.filter((log) => log.status === 'failed' || log.status === 'unknown')).toEqual([]);
    // Those not sent are pending, their attempts undone: the outage cost nobody a try.
    for (const log of whilePaused.filter((l) => l.status === 'pending')) expect(log.attempts).toBe(0);
    expect(paused.counters.sent).toBeLessThan(RECIPIENTS);

    // Still down at the next probe: still paused, with the probe's answer.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const probed = (await api(app, token).get(`/deliveries/${id}`)).body.data;
    expect(probed).toMatchObject({ status: 'paused', pauseReason: 'outage' });

    const back = await startTestSmtpServer({ port: first.port });
    servers.push(back);
    const done = await waitForStatus(app, token, id, ['sent', 'failed'], 60_000);
    expect(done).toMatchObject({ status: 'sent', pauseReason: null, nextProbeAt: null, lastError: null });
    expect(done.counters).toMatchObject({ sent: RECIPIENTS, failedSoft: 0, failedHard: 0, unknown: 0, pending: 0 });
    const counts = receivedPerRecipient(id, servers);
    expect(counts.size).toBe(RECIPIENTS);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    expect(back.messages.length).toBeGreaterThan(0);
  });

  it('pauses at the first refused login, and resumes once the password is fixed', async () => {
    const guarded = await startTestSmtpServer({ auth: { user: 'news', pass: 'right' } });
    servers.push(guarded);
    const set = await api(app, token).put('/settings', {
      smtp: { host: guarded.host, port: guarded.port, user: 'news', pass: 'wrong' },
    });
    expect(set.status).toBe(200);
    const id = await delivery('Wrong password', few);
    const paused = await waitForStatus(app, token, id, ['paused', 'sent', 'failed'], 30_000);
    expect(paused).toMatchObject({ status: 'paused', pauseReason: 'login' });
    expect(paused.lastError).toMatch(/^The relay refused our login/);
    expect(paused.counters).toMatchObject({ failedSoft: 0, failedHard: 0, pending: 5 });

    expect((await api(app, token).put('/settings', { smtp: { pass: 'right' } })).status).toBe(200);
    const done = await waitForStatus(app, token, id, ['sent', 'failed'], 30_000);
    expect(done).toMatchObject({ status: 'sent', pauseReason: null });
    expect(receivedPerRecipient(id, [guarded]).size).toBe(5);
  });

  it('ends failed after the outage limit with its recipients still pending, and "retry" sends them once the relay is back', async () => {
    const guarded = servers[servers.length - 1];
    const port = guarded.port;
    await guarded.close();
    const id = await delivery('Long outage', few);
    await waitForStatus(app, token, id, ['paused'], 30_000);
    // A day goes by: the outage started 25 hours ago, and the next probe is due.
    await app.strapi.db.query(UID.delivery).update({
      where: { documentId: id },
      data: { outageSince: new Date(Date.now() - 25 * 3600_000), nextProbeAt: new Date() },
    });
    const failed = await waitForStatus(app, token, id, ['failed', 'sent'], 30_000);
    expect(failed.status).toBe('failed');
    expect(failed.lastError).toMatch(/The relay is not answering for 24 h .* still pending/);
    expect(failed.counters).toMatchObject({ pending: 5, failedSoft: 0, failedHard: 0 });

    const back = await startTestSmtpServer({ port, auth: { user: 'news', pass: 'right' } });
    servers.push(back);
    expect((await api(app, token).post(`/deliveries/${id}/retry-failed`, {})).status).toBe(200);
    const done = await waitForStatus(app, token, id, ['sent'], 30_000);
    expect(done.counters).toMatchObject({ sent: 5, pending: 0 });
    expect(receivedPerRecipient(id, [back]).size).toBe(5);
  });
});

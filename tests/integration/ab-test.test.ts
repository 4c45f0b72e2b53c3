// An A/B test of the subject from start to end: three variants to 30% of the audience, split at random; recipients of
// variant B open and click more (real tracking routes, human user agents); the winner check sends B's subject to the
// rest, and every recipient gets exactly one message.
import { ACTIONS, UID } from '../../shared/constants';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { api, createContacts, createDelivery, createList, trackingPathsOf, waitForStatus } from '../helpers/campaigns';
import { UA } from '../helpers/fixtures';

const PUBLIC_URL = 'https://news.example.test';
const HTML = `<h1>Hello {{firstName}}</h1><p><a href="https://shop.example.test/spring">Spring offers</a></p>`;
const PEOPLE = 61;
const SUBJECTS = ['Spring is here', 'Our spring offers, {{firstName}}', 'Spring: 20% off'];
/** 30% of 61 is 18: six per variant. */
const TEST_SIZE = 18;

describe('an A/B test of the subject', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let delivery: { documentId: string; id: number };
  let logs: Array<{ id: number; email: string; variant: number | null; abRest: boolean | null; status: string }>;

  const readLogs = async () =>
    (await app.strapi.db.query(UID.deliveryLog).findMany({
      where: { deliveryId: delivery.id },
      select: ['id', 'email', 'variant', 'abRest', 'status'],
    })) as typeof logs;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: { publicUrl: PUBLIC_URL, smtp: { host: smtp.host, port: smtp.port, pool: 2 } },
    });
    token = await app.superAdminToken();
    const list = await createList(app, token, 'Readers');
    await createContacts(
      app,
      token,
      Array.from({ length: PEOPLE }, (_, i) => ({ email: `reader${i}@example.test`, firstName: `Reader${i}` })),
      [list],
    );
    delivery = await createDelivery(app, token, {
      name: 'Spring',
      subject: SUBJECTS[0],
      fromEmail: 'news@example.test',
      html: HTML,
      lists: [list],
      abTest: { subjects: SUBJECTS.slice(1), share: 30, metric: 'opens', waitMinutes: 120, autoSend: true },
    });
  }, 120_000);

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('refuses a test with one subject or a share of 0, with the field at fault', async () => {
    const bad = await api(app, token).put(`/deliveries/${delivery.documentId}`, {
      abTest: { subjects: [], share: 0, metric: 'opens', waitMinutes: 60, autoSend: true },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('give at least one other subject');
    expect(JSON.stringify(bad.body.error)).toContain('at least 2%');
  });

  it('sends the test share only, split at random in cells of equal size, and holds the rest', async () => {
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    await smtp.waitFor(TEST_SIZE, 30_000);
    logs = await readLogs();
    expect(logs).toHaveLength(PEOPLE);
    const cells = [0, 1, 2].map((variant) => logs.filter((log) => log.variant === variant && !log.abRest));
    expect(cells.map((cell) => cell.length)).toEqual([6, 6, 6]);
    const rest = logs.filter((log) => log.abRest);
    expect(rest).toHaveLength(PEOPLE - TEST_SIZE);
    expect(rest.every((log) => log.variant === null && log.status === 'pending')).toBe(true);
    // Random, not the first rows: the test cells are spread over the contacts' order.
    const ranks = cells.flat().map((log) => Number(log.email.replace(/\D/g, '')));
    expect(Math.max(...ranks) - Math.min(...ranks)).toBeGreaterThan(TEST_SIZE);
    // Each got its variant's subject; nothing reached the rest.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.messages).toHaveLength(TEST_SIZE);
    for (const [variant, cell] of cells.entries()) {
      for (const log of cell) {
        const message = smtp.messages.find((m) => m.envelopeTo[0] === log.email)!;
        expect(message.subject).toBe(
          SUBJECTS[variant].replace('{{firstName}}', `Reader${log.email.replace(/\D/g, '')}`),
        );
      }
    }
    expect((await api(app, token).get(`/deliveries/${delivery.documentId}`)).body.data.status).toBe('sending');
  });

  it('shows each variant with its figures; the winner is B, whose readers opened more', async () => {
    // People read an hour later (a click as the message arrives would be a scanner's).
    await app.strapi.db.query(UID.deliveryLog).updateMany({
      where: { deliveryId: delivery.id, abRest: false },
      data: { sentAt: new Date(Date.now() - 3600_000) },
    });
    const byEmail = new Map(smtp.messages.map((m) => [m.envelopeTo[0], m]));
    const cell = (variant: number) => logs.filter((log) => log.variant === variant && !log.abRest);
    for (const log of cell(1).slice(0, 5)) {
      const links = trackingPathsOf(byEmail.get(log.email)!);
      expect((await app.http().get(links.pixel).set('User-Agent', UA.iphoneSafari)).status).toBe(200);
    }
    for (const log of cell(1).slice(0, 2)) {
      const links = trackingPathsOf(byEmail.get(log.email)!);
      expect((await app.http().get(links.click).set('User-Agent', UA.iphoneSafari)).status).toBe(302);
    }
    const opener = trackingPathsOf(byEmail.get(cell(0)[0].email)!);
    expect((await app.http().get(opener.pixel).set('User-Agent', UA.outlookWindows)).status).toBe(200);
    // A machine open (Apple's prefetch) on C counts for nothing.
    const prefetched = trackingPathsOf(byEmail.get(cell(2)[0].email)!);
    expect((await app.http().get(prefetched.pixel).set('User-Agent', UA.applePrefetch)).status).toBe(200);

    const reader = await app.adminTokenWith([ACTIONS.read]);
    const res = await api(app, reader).get(`/deliveries/${delivery.documentId}/ab-test`);
    expect(res.status).toBe(200);
    const results = res.body.data;
    expect(results.variants.map((v: any) => [v.variant, v.sent, v.opened, v.clicked])).toEqual([
      [0, 6, 1, 0],
      [1, 6, 5, 2],
      [2, 6, 0, 0],
    ]);
    expect(results).toMatchObject({ leader: 1, winner: null, rest: PEOPLE - TEST_SIZE });
    expect(results.variants[1].confidence).toBeGreaterThan(0.95);
    expect(results.variants[1].significant).toBe(true);
    expect(results.decidesAt).not.toBeNull();
    // Picking needs the send action.
    expect((await api(app, reader).post(`/deliveries/${delivery.documentId}/ab-test/winner`, {})).status).toBe(403);
  });

  it('waits for the waiting time, then sends B to the rest, each once', async () => {
    const abTests = app.strapi.plugin('campaigns').service('ab-tests');
    expect(await abTests.sendDueWinners(new Date())).toBe(0);
    expect(await abTests.sendDueWinners(new Date(Date.now() + 121 * 60_000))).toBe(1);
    // A second check, as another process's cron would run it, chooses nothing again.
    expect(await abTests.sendDueWinners(new Date(Date.now() + 121 * 60_000))).toBe(0);
    const sent = await waitForStatus(app, token, delivery.documentId, ['sent'], 60_000);
    expect(sent).toMatchObject({ abWinner: 1, counters: { targeted: PEOPLE, sent: PEOPLE } });
    await smtp.waitFor(PEOPLE, 10_000);
    expect(smtp.messages).toHaveLength(PEOPLE);
    const recipients = smtp.messages.map((m) => m.envelopeTo[0]);
    expect(new Set(recipients).size).toBe(PEOPLE);
    const rest = new Set(logs.filter((log) => log.abRest).map((log) => log.email));
    for (const message of smtp.messages.filter((m) => rest.has(m.envelopeTo[0])))
      expect(message.subject).toBe(`Our spring offers, Reader${message.envelopeTo[0].replace(/\D/g, '')}`);
    // The figures stay those of the test cells.
    const results = (await api(app, token).get(`/deliveries/${delivery.documentId}/ab-test`)).body.data;
    expect(results.variants.map((v: any) => v.recipients)).toEqual([6, 6, 6]);
    expect(results.winner).toBe(1);
    const again = await api(app, token).post(`/deliveries/${delivery.documentId}/ab-test/winner`, { variant: 0 });
    expect(again.status).toBe(400);
  });
});

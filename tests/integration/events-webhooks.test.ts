// Events of a real send and of real reactions: on Strapi's event hub, delivered as Strapi webhooks (Settings >
// Webhooks) to a local HTTP server, and the delivery started / finished alerts emailed as soon as they happen, with
// the minute's periodic check switched off.
import http from 'http';
import type { AddressInfo } from 'net';
import type { CampaignsApi } from '../../server/src';
import { UID } from '../../shared/constants';
import { CAMPAIGNS_EVENTS, webhookKeyOf, type CampaignsEventName } from '../../shared/contracts/events';
import { api, createContacts, createDelivery, createList, waitForStatus } from '../helpers/campaigns';
import { startTestSmtpServer, type ParsedMessage, type TestSmtpServer } from '../helpers/smtp-server';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { UA } from '../helpers/fixtures';

const PUBLIC_URL = 'https://news.example.test';
const OPS = 'ops@events.test';
const GONE = 'gone@example.test';
const SECRET = 'webhook-secret-for-events-0123456789';
const HTML = '<p>Hello {{firstName}}</p><p><a href="https://shop.example.test/spring">Spring offers</a></p>';

interface Received {
  event: string;
  createdAt: string;
  [key: string]: any;
}

/** A stand-in for the app's webhook consumer: records every JSON body Strapi posts. */
const startReceiver = async () => {
  const bodies: Received[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      try {
        bodies.push({ ...JSON.parse(text), header: req.headers['x-strapi-event'] });
      } catch {
        bodies.push({ event: 'unparsable', createdAt: '', text });
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    bodies,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/campaigns-events`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const until = async <T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const pathOf = (url: string) => url.slice(PUBLIC_URL.length);

describe('events on the event hub and as Strapi webhooks', () => {
  let smtp: TestSmtpServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let app: TestApp;
  let token: string;
  let list: string;
  const onHub: Array<{ name: string; payload: any }> = [];
  const campaigns = () => app.strapi.plugin('campaigns').service('api') as CampaignsApi;
  const webhooksOf = (name: CampaignsEventName) => receiver.bodies.filter((body) => body.event === name);
  const alertMails = (subject: string) =>
    smtp.messages.filter((m) => m.subject === subject && m.envelopeTo.includes(OPS));

  beforeAll(async () => {
    smtp = await startTestSmtpServer({
      faults: (rcpt) =>
        rcpt === GONE ? { code: 550, message: `5.1.1 <${GONE}>: Recipient address rejected: User unknown` } : null,
    });
    receiver = await startReceiver();
    app = await bootTestApp({
      pluginConfig: {
        publicUrl: PUBLIC_URL,
        smtp: { host: smtp.host, port: smtp.port, pool: 2 },
        defaultFrom: { name: 'Acme news', email: 'news@acme.test' },
        webhooks: { secret: SECRET },
        alerts: {
          recipients: [OPS],
          roles: [],
          criteria: { deliveryStarted: { enabled: true }, deliveryFinished: { enabled: true } },
        },
      },
    });
    // No periodic check: the alerts below can only come from the status changes themselves.
    app.strapi.cron.remove('campaigns::alerts');
    token = await app.superAdminToken();

    // Settings > Webhooks, through the admin API: one webhook for every campaigns event.
    const created = await app
      .http()
      .post('/admin/webhooks')
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'Campaigns events', url: receiver.url, headers: {}, events: Object.values(CAMPAIGNS_EVENTS) });
    expect(created.status).toBe(201);

    campaigns().events.subscribe(Object.values(CAMPAIGNS_EVENTS), (payload, name) => {
      onHub.push({ name, payload });
    });
    list = await createList(app, token, 'Readers');
    await createContacts(
      app,
      token,
      [
        { email: 'ada@example.test', firstName: 'Ada' },
        { email: 'bob@example.test', firstName: 'Bob' },
        { email: GONE, firstName: 'Gone' },
      ],
      [list],
    );
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
    await receiver?.close();
  });

  it('offers every event in Settings > Webhooks under its key', async () => {
    const allowed = (app.strapi.get('webhookStore') as any).allowedEvents as Map<string, string>;
    for (const name of Object.values(CAMPAIGNS_EVENTS)) expect(allowed.get(webhookKeyOf(name))).toBe(name);
  });

  describe('a real send', () => {
    let delivery: { documentId: string; id: number };
    let sentAt: number;

    beforeAll(async () => {
      delivery = await createDelivery(app, token, {
        name: 'Spring news',
        subject: 'Hi {{firstName}}',
        html: HTML,
        lists: [list],
      });
      sentAt = Date.now();
      expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
      await waitForStatus(app, token, delivery.documentId, ['sent']);
    });

    it('emails the started and the finished alerts within seconds, with no periodic check', async () => {
      const started = await until(
        'the started alert',
        () => alertMails('[Campaigns] Delivery started: Spring news')[0],
        5_000,
      );
      const finished = await until(
        'the finished alert',
        () => alertMails('[Campaigns] Delivery finished: Spring news')[0],
        5_000,
      );
      expect(started.text).toContain('Delivery "Spring news" started sending');
      expect(finished.text).toContain('Delivery "Spring news" finished');
      expect(Date.now() - sentAt).toBeLessThan(15_000);
      const rows = await app.strapi.db.query(UID.alert).findMany({ where: { deliveryId: delivery.id } });
      expect(rows.map((row: any) => row.criterion).sort()).toEqual(['deliveryFinished', 'deliveryStarted']);
    });

    it('posts the delivery and message events to the webhook with small versioned payloads', async () => {
      const finished = await until('delivery.finished', () => webhooksOf(CAMPAIGNS_EVENTS.deliveryFinished)[0]);
      const sent = await until(
        'two message.sent',
        () => webhooksOf(CAMPAIGNS_EVENTS.messageSent).length === 2 && webhooksOf(CAMPAIGNS_EVENTS.messageSent),
      );
      const started = webhooksOf(CAMPAIGNS_EVENTS.deliveryStarted)[0];
      const prepared = webhooksOf(CAMPAIGNS_EVENTS.deliveryPrepared)[0];
      const ref = { id: delivery.id, documentId: delivery.documentId, name: 'Spring news' };

      expect(started).toMatchObject({
        event: 'campaigns.delivery.started',
        header: 'campaigns.delivery.started',
        version: 1,
        delivery: ref,
        status: 'preparing',
        previousStatus: 'draft',
      });
      expect(prepared).toMatchObject({
        version: 1,
        delivery: ref,
        status: 'sending',
        previousStatus: 'preparing',
        counters: { targeted: 3, excluded: 0, pending: 3 },
      });
      expect(finished).toMatchObject({
        version: 1,
        delivery: ref,
        status: 'sent',
        previousStatus: 'sending',
        counters: { targeted: 3, sent: 2, failedHard: 1, pending: 0 },
      });
      expect(new Date(finished.at).getTime()).toBeGreaterThanOrEqual(new Date(started.at).getTime());

      const logs = await app.strapi.db.query(UID.deliveryLog).findMany({ where: { deliveryId: delivery.id } });
      expect(sent.map((body) => body.email).sort()).toEqual(['ada@example.test', 'bob@example.test']);
      for (const body of sent) {
        const log = logs.find((l: any) => l.email === body.email);
        expect(body).toMatchObject({
          version: 1,
          deliveryId: delivery.id,
          deliveryDocumentId: delivery.documentId,
          deliveryLogId: log.id,
          contactId: log.contactId,
          messageId: log.messageId,
        });
        expect(Number.isNaN(Date.parse(body.at))).toBe(false);
      }

      // The refused address: one message.failed, final (a hard failure is not retried).
      const failed = await until('message.failed', () => webhooksOf(CAMPAIGNS_EVENTS.messageFailed)[0]);
      const goneLog = logs.find((l: any) => l.email === GONE);
      expect(webhooksOf(CAMPAIGNS_EVENTS.messageFailed)).toHaveLength(1);
      expect(failed).toMatchObject({
        version: 1,
        deliveryId: delivery.id,
        deliveryLogId: goneLog.id,
        email: GONE,
        messageId: goneLog.messageId,
        failureType: 'hard',
        failureReason: 'user_unknown',
      });
      expect(failed.failureMessage).toContain('User unknown');
    });

    it('gives event hub subscribers the same payloads', async () => {
      await until('hub events', () => onHub.filter((e) => e.name === CAMPAIGNS_EVENTS.messageSent).length === 2);
      const hubFinished = onHub.find((e) => e.name === CAMPAIGNS_EVENTS.deliveryFinished)!;
      const { event, createdAt, header, ...fromWebhook } = webhooksOf(CAMPAIGNS_EVENTS.deliveryFinished)[0];
      expect(hubFinished.payload).toEqual(fromWebhook);
    });

    describe('reactions', () => {
      const messageTo = (email: string): ParsedMessage =>
        smtp.messages.find((m) => m.envelopeTo[0] === email && m.subject?.startsWith('Hi'))!;
      const linksOf = (message: ParsedMessage) => {
        const html = message.html as string;
        const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
        return {
          pixel: /<img src="([^"]+\/api\/campaigns\/o\/[^"]+)"/.exec(html)![1],
          click: hrefs.find((h) => h.includes('/api/campaigns/c/'))!,
          unsubscribe: hrefs.find((h) => h.includes('/api/campaigns/u/'))!,
        };
      };

      it('an open and a click reach the webhook once stored, with the reader, the link and the flags', async () => {
        // The reader comes back an hour later: a click on arrival would be taken for a link scanner's.
        const before = await app.strapi.db
          .query(UID.deliveryLog)
          .findOne({ where: { deliveryId: delivery.id, email: 'ada@example.test' } });
        await app.strapi.db
          .query(UID.deliveryLog)
          .update({ where: { id: before.id }, data: { sentAt: new Date(Date.now() - 3600_000) } });
        const links = linksOf(messageTo('ada@example.test'));
        expect((await app.http().get(pathOf(links.pixel)).set('User-Agent', UA.outlookWindows)).status).toBe(200);
        expect((await app.http().get(pathOf(links.click)).set('User-Agent', UA.chromeWindows)).status).toBe(302);

        const opened = await until('contact.opened', () => webhooksOf(CAMPAIGNS_EVENTS.contactOpened)[0]);
        const clicked = await until('contact.clicked', () => webhooksOf(CAMPAIGNS_EVENTS.contactClicked)[0]);
        const log = await app.strapi.db
          .query(UID.deliveryLog)
          .findOne({ where: { deliveryId: delivery.id, email: 'ada@example.test' } });
        const stored = {
          version: 1,
          deliveryId: delivery.id,
          deliveryDocumentId: delivery.documentId,
          deliveryLogId: log.id,
          contactId: log.contactId,
          email: 'ada@example.test',
        };
        expect(opened).toMatchObject({ ...stored, isBot: false, isMachineOpen: false });
        expect(clicked).toMatchObject({ ...stored, isBot: false, url: 'https://shop.example.test/spring' });
        // Emitted after the commit: the events are in the tracking log already.
        const rows = await app.strapi.db.query(UID.trackingLog).findMany({ where: { deliveryLogId: log.id } });
        expect(rows.map((row: any) => row.type).sort()).toEqual(['click', 'open']);
      });

      it('a one-click unsubscribe, a bounce and a complaint reach the webhook', async () => {
        const links = linksOf(messageTo('bob@example.test'));
        expect(
          (await app.http().post(pathOf(links.unsubscribe)).type('form').send('List-Unsubscribe=One-Click')).status,
        ).toBe(200);
        const adaLog = await app.strapi.db
          .query(UID.deliveryLog)
          .findOne({ where: { deliveryId: delivery.id, email: 'ada@example.test' } });
        const bounce = await app.http().post('/api/campaigns/webhooks/generic').set('X-Campaigns-Secret', SECRET).send({
          type: 'bounce',
          bounceType: 'hard',
          messageId: adaLog.messageId,
          email: 'ada@example.test',
          diagnostic: '550 5.1.1 user unknown',
        });
        expect(bounce.status).toBe(200);
        const complaint = await app
          .http()
          .post('/api/campaigns/webhooks/generic')
          .set('X-Campaigns-Secret', SECRET)
          .send({ type: 'complaint', messageId: adaLog.messageId, email: 'ada@example.test' });
        expect(complaint.status).toBe(200);

        const unsubscribed = await until(
          'contact.unsubscribed',
          () => webhooksOf(CAMPAIGNS_EVENTS.contactUnsubscribed)[0],
        );
        expect(unsubscribed).toMatchObject({
          version: 1,
          deliveryId: delivery.id,
          deliveryDocumentId: delivery.documentId,
          email: 'bob@example.test',
          source: 'one_click',
        });
        const bounced = await until('message.bounced', () => webhooksOf(CAMPAIGNS_EVENTS.messageBounced)[0]);
        expect(bounced).toMatchObject({
          version: 1,
          deliveryId: delivery.id,
          deliveryDocumentId: delivery.documentId,
          deliveryLogId: adaLog.id,
          email: 'ada@example.test',
          messageId: adaLog.messageId,
          failureType: 'hard',
        });
        const complained = await until('contact.complained', () => webhooksOf(CAMPAIGNS_EVENTS.contactComplained)[0]);
        expect(complained).toMatchObject({
          version: 1,
          deliveryLogId: adaLog.id,
          email: 'ada@example.test',
          deliveryDocumentId: delivery.documentId,
        });
        // A repeated complaint changes nothing and is not announced twice.
        await app
          .http()
          .post('/api/campaigns/webhooks/generic')
          .set('X-Campaigns-Secret', SECRET)
          .send({ type: 'complaint', messageId: adaLog.messageId });
        await (app.strapi.plugin('campaigns').service('events') as any).settled();
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(webhooksOf(CAMPAIGNS_EVENTS.contactComplained)).toHaveLength(1);
      });
    });
  });

  it('a slow delivery paused, resumed and cancelled announces each change', async () => {
    const slow = await createDelivery(app, token, {
      name: 'Slow news',
      subject: 'Hi {{firstName}}',
      html: HTML,
      lists: [list],
      sendRate: 1,
    });
    // Both readers of the list reacted above (one unsubscribed); one more keeps the send going long enough.
    await createContacts(
      app,
      token,
      [{ email: 'cy@example.test' }, { email: 'dee@example.test' }, { email: 'eve@example.test' }],
      [list],
    );
    expect((await api(app, token).post(`/deliveries/${slow.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, slow.documentId, ['sending']);
    expect((await api(app, token).post(`/deliveries/${slow.documentId}/pause`)).status).toBe(200);
    expect((await api(app, token).post(`/deliveries/${slow.documentId}/resume`)).status).toBe(200);
    expect((await api(app, token).post(`/deliveries/${slow.documentId}/cancel`)).status).toBe(200);

    const of = (name: CampaignsEventName) =>
      webhooksOf(name).filter((body) => body.delivery?.documentId === slow.documentId);
    const paused = await until('paused', () => of(CAMPAIGNS_EVENTS.deliveryPaused)[0]);
    const resumed = await until('resumed', () => of(CAMPAIGNS_EVENTS.deliveryResumed)[0]);
    const cancelled = await until('cancelled', () => of(CAMPAIGNS_EVENTS.deliveryCancelled)[0]);
    expect(paused).toMatchObject({ status: 'paused', previousStatus: 'sending' });
    expect(resumed).toMatchObject({ status: 'sending', previousStatus: 'paused' });
    expect(cancelled).toMatchObject({ status: 'cancelled', previousStatus: 'sending' });
    expect(cancelled.counters.pending).toBeGreaterThan(0);
  });
});

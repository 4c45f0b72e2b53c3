// From send to reaction: a delivery goes through a real SMTP server, the received messages are parsed, and their
// real links are followed the way a desktop reader, Apple Mail Privacy Protection and a link scanner do; then the
// opens the delivery reports, counted as Adobe Campaign counts them.
import { UID } from '../../shared/constants';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type ParsedMessage, type TestSmtpServer } from '../helpers/smtp-server';
import { api, createContacts, createDelivery, createList, rawHeader, waitForStatus } from '../helpers/campaigns';
import { UA, contactOf, eventsOf, logOf } from '../helpers/fixtures';

const PUBLIC_URL = 'https://news.example.test';
const HTML = `<h1>Hello {{firstName}}</h1>
<p><a href="https://shop.example.test/spring?utm_source=mail">Spring offers</a></p>
<p><a href="https://blog.example.test/post/42">Read the story</a></p>`;

/** The path of a tracking URL (the public host is this Strapi). */
const pathOf = (url: string) => {
  expect(url.startsWith(`${PUBLIC_URL}/api/campaigns/`)).toBe(true);
  return url.slice(PUBLIC_URL.length);
};

const linksOf = (message: ParsedMessage) => {
  const html = message.html as string;
  const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  return {
    pixel: /<img src="([^"]+\/api\/campaigns\/o\/[^"]+)"/.exec(html)![1],
    clicks: hrefs.filter((h) => h.includes('/api/campaigns/c/')),
    unsubscribe: hrefs.find((h) => h.includes('/api/campaigns/u/'))!,
    mirror: hrefs.find((h) => h.includes('/api/campaigns/m/'))!,
    listUnsubscribe: /<(https:[^>]+)>/.exec(rawHeader(message, 'List-Unsubscribe') ?? '')![1],
  };
};

describe('a sent delivery, read, prefetched and scanned', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let received: Map<string, ParsedMessage>;
  let logIdOf: Map<string, number>;
  let deliveryId: number;
  let documentId: string;
  let token: string;

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
      [
        { email: 'desk@example.test', firstName: 'Desk' },
        { email: 'apple@example.test', firstName: 'Apple' },
        { email: 'scanned@corp.example.test', firstName: 'Scanned' },
        { email: 'blocked@example.test', firstName: 'Blocked' },
        { email: 'twice@example.test', firstName: 'Twice' },
      ],
      [list],
    );
    const delivery = await createDelivery(app, token, {
      name: 'Scenario',
      subject: 'Hi {{firstName}}',
      fromEmail: 'news@example.test',
      html: HTML,
      lists: [list],
    });
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, delivery.documentId, ['sent']);
    await smtp.waitFor(5);
    received = new Map(smtp.messages.map((m) => [m.envelopeTo[0], m]));
    deliveryId = delivery.id;
    documentId = delivery.documentId;
    const logs = await app.strapi.db.query(UID.deliveryLog).findMany({ where: { deliveryId } });
    logIdOf = new Map(logs.map((log: any) => [log.email, log.id]));
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  const eventsFor = async (email: string) =>
    (await eventsOf(app.strapi, deliveryId)).filter((e: any) => e.deliveryLogId === logIdOf.get(email));

  it('a link scanner that follows every link as the message arrives is flagged as a bot, and still redirected', async () => {
    const { clicks } = linksOf(received.get('scanned@corp.example.test')!);
    expect(clicks).toHaveLength(2);
    const targets = [];
    for (const url of clicks) {
      // Scanners often present a browser's user agent: timing and behaviour give them away.
      const res = await app.http().get(pathOf(url)).set('User-Agent', UA.chromeWindows);
      expect(res.status).toBe(302);
      targets.push(res.headers.location);
    }
    expect(targets).toEqual(['https://shop.example.test/spring?utm_source=mail', 'https://blog.example.test/post/42']);
    const events = await eventsFor('scanned@corp.example.test');
    expect(events.map((e: any) => [e.type, e.isBot])).toEqual([
      ['click', true],
      ['click', true],
    ]);
  });

  it('Apple Mail Privacy Protection fetching the pixel on arrival is a machine open, not a person', async () => {
    const { pixel } = linksOf(received.get('apple@example.test')!);
    const res = await app.http().get(pathOf(pixel)).set('User-Agent', UA.applePrefetch);
    expect(res.status).toBe(200);
    const events = await eventsFor('apple@example.test');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'open',
      isMachineOpen: true,
      isBot: false,
      client: 'Apple Mail (Privacy Protection)',
    });
  });

  it('a desktop reader who opens, clicks, views the mirror and unsubscribes later is a person throughout', async () => {
    const email = 'desk@example.test';
    // The reader comes back an hour after the message arrived.
    await app.strapi.db
      .query(UID.deliveryLog)
      .update({ where: { id: logIdOf.get(email) }, data: { sentAt: new Date(Date.now() - 3600_000) } });
    const links = linksOf(received.get(email)!);

    expect((await app.http().get(pathOf(links.pixel)).set('User-Agent', UA.outlookWindows)).status).toBe(200);
    const click = await app.http().get(pathOf(links.clicks[1])).set('User-Agent', UA.chromeWindows);
    expect(click.headers.location).toBe('https://blog.example.test/post/42');
    const mirror = await app.http().get(pathOf(links.mirror)).set('User-Agent', UA.chromeWindows);
    expect(mirror.status).toBe(200);
    expect(mirror.text).toContain('Hello Desk');
    // The mail client's one-click unsubscribe button: a POST to the List-Unsubscribe URL.
    expect(links.listUnsubscribe).toBe(links.unsubscribe);
    const oneClick = await app
      .http()
      .post(pathOf(links.listUnsubscribe))
      .type('form')
      .send('List-Unsubscribe=One-Click');
    expect(oneClick.status).toBe(200);

    const events = await eventsFor(email);
    expect(events.map((e: any) => e.type)).toEqual(['open', 'click', 'mirror', 'unsubscribe']);
    expect(events.every((e: any) => !e.isBot && !e.isMachineOpen)).toBe(true);
    expect(events[0]).toMatchObject({ client: 'Outlook', device: 'desktop', os: 'Windows' });
    expect(events[1]).toMatchObject({ client: 'Chrome', device: 'desktop' });

    const log = await logOf(app.strapi, logIdOf.get(email)!);
    expect(log).toMatchObject({ opens: 1, clicks: 1 });
    expect(log.firstOpenedAt).not.toBeNull();
    expect(log.firstClickedAt).not.toBeNull();
    expect(log.unsubscribedAt).not.toBeNull();
    expect((await contactOf(app.strapi, log.contactId)).status).toBe('unsubscribed');
  });

  it('counts opens as Adobe Campaign does: a reader who clicked with images blocked adds one, a second open adds one', async () => {
    // Both come back an hour after the message arrived, well past the scanner window.
    for (const email of ['blocked@example.test', 'twice@example.test']) {
      await app.strapi.db
        .query(UID.deliveryLog)
        .update({ where: { id: logIdOf.get(email) }, data: { sentAt: new Date(Date.now() - 3600_000) } });
    }
    const blocked = linksOf(received.get('blocked@example.test')!);
    expect((await app.http().get(pathOf(blocked.clicks[0])).set('User-Agent', UA.chromeWindows)).status).toBe(302);
    const twice = linksOf(received.get('twice@example.test')!);
    for (let i = 0; i < 2; i += 1) {
      expect((await app.http().get(pathOf(twice.pixel)).set('User-Agent', UA.iphoneSafari)).status).toBe(200);
    }

    // People only: 3 pixel loads (desk once, twice twice) + 3 readers (desk, blocked, twice) - 2 who loaded the pixel.
    // Everything: 4 pixel loads (Apple's proxy too) + 5 readers (the scanner too) - 3 who loaded the pixel.
    const expected = [
      ['', { opens: 4, uniqueOpens: 3, clicks: 2, uniqueClicks: 2 }],
      ['bots,machine', { opens: 6, uniqueOpens: 5, clicks: 4, uniqueClicks: 3 }],
    ] as const;
    for (const [include, figures] of expected) {
      const query = include ? `?include=${include}` : '';
      const indicators = await api(app, token).get(`/deliveries/${documentId}/indicators${query}`);
      expect(indicators.status).toBe(200);
      expect(indicators.body.data).toMatchObject(figures);
      expect(indicators.body.data.opens).toBeGreaterThanOrEqual(indicators.body.data.uniqueOpens);

      const timeline = await api(app, token).get(
        `/deliveries/${documentId}/timeline?bucket=day${include ? `&include=${include}` : ''}`,
      );
      expect(timeline.body.data.reduce((n: number, p: any) => n + p.opens, 0)).toBe(figures.opens);

      const report = await api(app, token).post('/reports/query', {
        metrics: ['opens', 'uniqueOpens', 'clicks', 'uniqueClicks'],
        filters: { deliveries: [documentId] },
        include: { bots: include !== '', machine: include !== '' },
      });
      expect(report.status).toBe(200);
      expect(report.body.data.totals).toEqual(figures);
    }
  });
});

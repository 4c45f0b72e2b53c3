// The tracking logs and link clicks of a delivery, as the message dashboard reads them: real hits on the public
// tracking routes, then the admin routes that list them (filters, pages, CSV) and count clicks per link.
import { ACTIONS, UID } from '../../shared/constants';
import { createDocumentId } from '../../server/src/platform/document-id';
import { api } from '../helpers/campaigns';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { UA, clickPath, openPath, seedDelivery, type SeededDelivery } from '../helpers/fixtures';

const LINKS = ['https://example.com/a', 'https://example.org/b', 'https://example.net/c'];

const parseCsv = (text: string) =>
  text
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));

describe('tracking logs and link clicks of a delivery (admin API)', () => {
  let app: TestApp;
  let token: string;
  let seeded: SeededDelivery;
  let documentId: string;
  let linkDocumentIds: string[];

  const hit = (path: string, userAgent: string) => app.http().get(path).set('User-Agent', userAgent);

  beforeAll(async () => {
    app = await bootTestApp();
    token = await app.superAdminToken();
    seeded = await seedDelivery(app.strapi, { recipients: 4, links: LINKS });
    const { deliveryId, logs, links } = seeded;
    documentId = (await app.strapi.db.query(UID.delivery).findOne({ where: { id: deliveryId } })).documentId;
    linkDocumentIds = [];
    for (const link of links)
      linkDocumentIds.push((await app.strapi.db.query(UID.trackedLink).findOne({ where: { id: link.id } })).documentId);

    // In this order: a desktop open and a click on link 0, an iPhone open and a click on link 1, an Apple Mail
    // Privacy Protection prefetch, two scanner clicks on link 0, and a second desktop click on link 0.
    await hit(openPath(app.strapi, deliveryId, logs[0].id), UA.chromeWindows);
    await hit(clickPath(app.strapi, deliveryId, logs[0].id, links[0].id), UA.chromeWindows);
    await hit(openPath(app.strapi, deliveryId, logs[1].id), UA.iphoneSafari);
    await hit(clickPath(app.strapi, deliveryId, logs[1].id, links[1].id), UA.iphoneSafari);
    await hit(openPath(app.strapi, deliveryId, logs[2].id), UA.applePrefetch);
    await hit(clickPath(app.strapi, deliveryId, logs[3].id, links[0].id), UA.scanner);
    await hit(clickPath(app.strapi, deliveryId, logs[3].id, links[0].id), UA.scanner);
    await hit(clickPath(app.strapi, deliveryId, logs[0].id, links[0].id), UA.chromeWindows);
  });
  afterAll(async () => {
    await app?.destroy();
  });

  describe('GET /campaigns/deliveries/:id/tracking', () => {
    it('lists every event newest first, with the recipient, the clicked link, the device and the flags', async () => {
      const res = await api(app, token).get(`/deliveries/${documentId}/tracking`);

      expect(res.status).toBe(200);
      expect(res.body.meta.pagination).toEqual({ page: 1, pageSize: 25, pageCount: 1, total: 8 });
      const events = res.body.data;
      expect(events.map((e: any) => e.type)).toEqual([
        'click',
        'click',
        'click',
        'open',
        'click',
        'open',
        'click',
        'open',
      ]);
      expect(events[0]).toMatchObject({
        type: 'click',
        email: seeded.logs[0].email,
        deliveryLogId: seeded.logs[0].id,
        link: { documentId: linkDocumentIds[0], url: LINKS[0], position: 0 },
        device: 'desktop',
        isBot: false,
        isMachineOpen: false,
        ip: null,
      });
      expect(events[events.length - 1]).toMatchObject({ type: 'open', link: null, email: seeded.logs[0].email });
      expect(new Date(events[0].at).getTime()).toBeGreaterThanOrEqual(new Date(events[events.length - 1].at).getTime());
    });

    it('filters by type, bot flag, machine-open flag, device and link, and combines them', async () => {
      const get = async (query: string) => {
        const res = await api(app, token).get(`/deliveries/${documentId}/tracking?${query}`);
        expect(res.status).toBe(200);
        return res.body.data as any[];
      };

      expect((await get('type=open')).map((e) => e.type)).toEqual(['open', 'open', 'open']);
      expect((await get('isBot=true')).map((e) => e.email)).toEqual([seeded.logs[3].email, seeded.logs[3].email]);
      expect((await get('isMachineOpen=true')).map((e) => e.email)).toEqual([seeded.logs[2].email]);
      expect((await get('device=mobile')).map((e) => e.type)).toEqual(['click', 'open']);
      expect(await get(`link=${linkDocumentIds[1]}`)).toHaveLength(1);
      expect(await get(`type=click&isBot=false&link=${linkDocumentIds[0]}`)).toHaveLength(2);
      expect(await get(`link=${linkDocumentIds[2]}`)).toEqual([]);
    });

    it('pages through the events and sorts oldest first on request', async () => {
      const res = await api(app, token).get(`/deliveries/${documentId}/tracking?pageSize=3&page=3&sort=at:asc`);

      expect(res.status).toBe(200);
      expect(res.body.meta.pagination).toEqual({ page: 3, pageSize: 3, pageCount: 3, total: 8 });
      expect(res.body.data.map((e: any) => e.type)).toEqual(['click', 'click']);
    });

    it('answers 400 naming the field for a bad filter, and 404 for an unknown delivery or a link of another delivery', async () => {
      const bad = await api(app, token).get(`/deliveries/${documentId}/tracking?type=bounce`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/type/);
      const unknownKey = await api(app, token).get(`/deliveries/${documentId}/tracking?email=x`);
      expect(unknownKey.status).toBe(400);
      expect(unknownKey.body.error.message).toMatch(/unknown field\(s\): email/);

      expect((await api(app, token).get('/deliveries/nosuchdelivery/tracking')).status).toBe(404);
      const other = await seedDelivery(app.strapi, { recipients: 1, links: ['https://other.example/'] });
      const otherLink = (await app.strapi.db.query(UID.trackedLink).findOne({ where: { id: other.links[0].id } }))
        .documentId;
      expect((await api(app, token).get(`/deliveries/${documentId}/tracking?link=${otherLink}`)).status).toBe(404);
    });

    it('exports the matching events as CSV, oldest first, with a header row and the filters applied', async () => {
      const res = await api(app, token).get(`/deliveries/${documentId}/tracking?format=csv&type=click`).buffer(true);

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="Delivery-[A-Za-z0-9_-]+-tracking\.csv"$/,
      );
      const rows = parseCsv(res.text);
      expect(rows[0]).toEqual([
        'id',
        'at',
        'type',
        'email',
        'link_position',
        'link_url',
        'device',
        'os',
        'client',
        'is_bot',
        'is_machine_open',
        'flag_reason',
        'user_agent',
        'ip',
      ]);
      expect(rows).toHaveLength(1 + 5);
      expect(rows.slice(1).map((r) => [r[2], r[3], r[4], r[9]])).toEqual([
        ['click', seeded.logs[0].email, '0', 'false'],
        ['click', seeded.logs[1].email, '1', 'false'],
        ['click', seeded.logs[3].email, '0', 'true'],
        ['click', seeded.logs[3].email, '0', 'true'],
        ['click', seeded.logs[0].email, '0', 'false'],
      ]);
    });

    it('streams a CSV of several thousand events whole, page after page, without repeating or losing a row', async () => {
      const many = await seedDelivery(app.strapi, { recipients: 1, links: ['https://many.example/'] });
      const manyDocumentId = (await app.strapi.db.query(UID.delivery).findOne({ where: { id: many.deliveryId } }))
        .documentId;
      const at = new Date();
      const rows = Array.from({ length: 2500 }, (_, i) => ({
        documentId: createDocumentId(),
        deliveryId: many.deliveryId,
        deliveryLogId: many.logs[0].id,
        trackedLinkId: i % 2 ? many.links[0].id : null,
        type: i % 2 ? 'click' : 'open',
        at,
        device: 'desktop',
        isBot: false,
        isMachineOpen: false,
        // A value a spreadsheet would run as a formula: exported neutralised.
        userAgent: i === 0 ? '=HYPERLINK("https://evil.example")' : 'Agent, with a comma',
        publishedAt: at,
      }));
      for (let i = 0; i < rows.length; i += 250)
        await app.strapi.db.query(UID.trackingLog).createMany({ data: rows.slice(i, i + 250) });

      const res = await api(app, token).get(`/deliveries/${manyDocumentId}/tracking?format=csv`).buffer(true);

      expect(res.status).toBe(200);
      const lines = res.text.trimEnd().split('\r\n');
      expect(lines).toHaveLength(2501);
      const ids = lines.slice(1).map((line) => Number(line.split(',')[0]));
      expect(new Set(ids).size).toBe(2500);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(lines[1]).toContain(`"'=HYPERLINK(""https://evil.example"")"`);
      expect(lines[2]).toContain('"Agent, with a comma"');
    });
  });

  it('reads an event whose flags were never written (NULL) as a person, not a bot', async () => {
    const old = await seedDelivery(app.strapi, { recipients: 1, links: ['https://old.example/'] });
    const oldDocumentId = (await app.strapi.db.query(UID.delivery).findOne({ where: { id: old.deliveryId } }))
      .documentId;
    const table = app.strapi.db.metadata.get(UID.trackingLog).tableName;
    await app.strapi.db.connection(table).insert({
      document_id: createDocumentId(),
      delivery_id: old.deliveryId,
      delivery_log_id: old.logs[0].id,
      tracked_link_id: old.links[0].id,
      type: 'click',
      at: new Date(),
      is_bot: null,
      is_machine_open: null,
    });

    const humans = await api(app, token).get(`/deliveries/${oldDocumentId}/tracking?isBot=false&isMachineOpen=false`);
    const links = await api(app, token).get(`/deliveries/${oldDocumentId}/links`);

    expect(humans.body.data).toHaveLength(1);
    expect(humans.body.data[0]).toMatchObject({ isBot: false, isMachineOpen: false });
    expect(links.body.data[0]).toMatchObject({ clicks: 1, uniqueClicks: 1, botClicks: 0 });
  });

  describe('GET /campaigns/deliveries/:id/links', () => {
    it('lists the links in message order with clicks and unique clicks, bots counted apart', async () => {
      const res = await api(app, token).get(`/deliveries/${documentId}/links`);

      expect(res.status).toBe(200);
      expect(res.body.data.map((l: any) => [l.position, l.url, l.clicks, l.uniqueClicks, l.botClicks])).toEqual([
        [0, LINKS[0], 2, 1, 2],
        [1, LINKS[1], 1, 1, 0],
        [2, LINKS[2], 0, 0, 0],
      ]);
      expect(res.body.data[0]).toMatchObject({
        documentId: linkDocumentIds[0],
        kind: 'tracked',
        tracked: true,
        label: 'Link 0',
      });
      expect(res.body.meta).toEqual({ totalClicks: 3, uniqueClicks: 2, botClicks: 2 });
    });

    it('answers an empty list for a delivery with no links, and 404 for an unknown delivery', async () => {
      const bare = await seedDelivery(app.strapi, { recipients: 1, links: [] });
      const bareDocumentId = (await app.strapi.db.query(UID.delivery).findOne({ where: { id: bare.deliveryId } }))
        .documentId;
      const res = await api(app, token).get(`/deliveries/${bareDocumentId}/links`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: [], meta: { totalClicks: 0, uniqueClicks: 0, botClicks: 0 } });
      expect((await api(app, token).get('/deliveries/nosuchdelivery/links')).status).toBe(404);
    });
  });

  describe('why an event is flagged', () => {
    const chromeLinux =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
    // One recipient per rule, in this order; the last one is a person.
    const expected: Array<[string, boolean, boolean, string | null, string | null]> = [
      ['open', true, false, 'botUserAgent', null],
      ['open', true, false, 'headlessBrowser', null],
      ['open', true, false, 'headlessBrowser', null],
      ['click', true, false, 'linkScanner', null],
      ['open', true, false, 'noUserAgent', null],
      ['open', false, true, 'applePrivacyProtection', 'Apple Mail (Privacy Protection)'],
      ['click', true, false, 'scannerWindow', 'Chrome'],
      ['click', true, false, 'clickBurst', 'Chrome'],
      ['click', true, false, 'clickBurst', 'Chrome'],
      ['open', false, false, null, 'Chrome'],
    ];
    let flagged: SeededDelivery;
    let flaggedDocumentId: string;

    beforeAll(async () => {
      flagged = await seedDelivery(app.strapi, { recipients: 9, links: ['https://a.example/', 'https://b.example/'] });
      const { deliveryId, logs, links } = flagged;
      flaggedDocumentId = (await app.strapi.db.query(UID.delivery).findOne({ where: { id: deliveryId } })).documentId;
      // Recipient 5 received the message a moment ago: a click now is inside the scanner window.
      await app.strapi.db.query(UID.deliveryLog).update({ where: { id: logs[5].id }, data: { sentAt: new Date() } });
      const open = (i: number) => openPath(app.strapi, deliveryId, logs[i].id);
      const click = (i: number, link: number) => clickPath(app.strapi, deliveryId, logs[i].id, links[link].id);
      await hit(open(0), 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)');
      await hit(open(1), chromeLinux.replace('Chrome/', 'HeadlessChrome/'));
      await hit(open(2), `${chromeLinux} Puppeteer`);
      await hit(click(3, 0), UA.scanner);
      await hit(open(4), '');
      await hit(open(4), UA.applePrefetch);
      await hit(click(5, 0), chromeLinux);
      // Two links clicked within a second an hour after sending: the second click reveals the burst, and the
      // first, already stored as a person's, is flagged afterwards with the same reason.
      await hit(click(6, 0), chromeLinux);
      await hit(click(6, 1), chromeLinux);
      await hit(open(7), chromeLinux);
    });

    it('the tracking logs say which rule flagged each event', async () => {
      const res = await api(app, token).get(`/deliveries/${flaggedDocumentId}/tracking?sort=id:asc&pageSize=100`);

      expect(res.status).toBe(200);
      expect(res.body.data.map((e: any) => [e.type, e.isBot, e.isMachineOpen, e.flagReason, e.client])).toEqual(
        expected,
      );
    });

    it('headless browsers stay out of the email client report, bots included', async () => {
      const res = await api(app, token).post('/reports/query', {
        dimensions: ['client'],
        metrics: ['uniqueOpens'],
        filters: { deliveries: [flaggedDocumentId] },
        include: { bots: true, machine: true },
      });

      expect(res.status).toBe(200);
      const clients = Object.fromEntries(
        res.body.data.rows.map((row: any) => [row.dimensions[0].key, row.metrics.uniqueOpens]),
      );
      expect(Object.keys(clients).filter((client) => /headless|puppeteer/i.test(client))).toEqual([]);
      // Chrome: the person (7) and the two clickers flagged by timing (5, 6); not the Puppeteer open (2).
      expect(clients.Chrome).toBe(3);
    });

    it('the CSV carries the same reasons, with an empty cell for an unflagged event', async () => {
      const res = await api(app, token).get(`/deliveries/${flaggedDocumentId}/tracking?format=csv`).buffer(true);

      expect(res.status).toBe(200);
      const rows = parseCsv(res.text);
      const reason = rows[0].indexOf('flag_reason');
      expect(reason).toBe(11);
      expect(rows.slice(1).map((r) => [r[2], r[9], r[10], r[reason]])).toEqual(
        expected.map(([type, isBot, isMachineOpen, why]) => [type, String(isBot), String(isMachineOpen), why ?? '']),
      );
    });
  });

  it('lets an admin with the read action see both, and nobody without it', async () => {
    const reader = await app.adminTokenWith([ACTIONS.read]);
    const stranger = await app.adminTokenWith([ACTIONS.reports]);
    for (const path of [
      `/deliveries/${documentId}/tracking`,
      `/deliveries/${documentId}/links`,
      `/deliveries/${documentId}/tracking?format=csv`,
    ]) {
      expect((await api(app, reader).get(path)).status).toBe(200);
      expect((await api(app, stranger).get(path)).status).toBe(403);
      expect((await app.http().get(`/campaigns${path}`)).status).toBe(401);
    }
  });
});

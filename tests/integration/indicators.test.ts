// Indicators and timeline of a delivery, on logs and tracking events seeded by hand with hand-computed expectations.
//
// The delivery: 15 recipients. 8 sent (L1..L8), 1 failed hard, 1 failed soft, 3 bounced (hard, soft, type unknown),
// 1 excluded, 1 pending. Events, with the delivery-log columns the tracker would have written:
//   L1 opens twice and clicks (a person)        L5 machine open (Apple MPP), then a human click
//   L2 clicks without opening (images blocked)  L6 opens, then a link scanner clicks
//   L3 machine open + a bot that is also one    L7 unsubscribes
//   L4 a link scanner clicks, nothing else      L8 views the mirror page
//   plus one human open kept without its message (individual tracking off).
import { ACTIONS, UID } from '../../shared/constants';
import { api } from '../helpers/campaigns';
import {
  clickPath,
  eventsOf,
  insertDelivery,
  insertEvents,
  insertLogs,
  logOf,
  mirrorPath,
  openPath,
  seedDelivery,
  stopSending,
  UA,
  unsubscribePath,
} from '../helpers/fixtures';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { fillHumanOpens } from '../../server/src/tracking/human-opens-fill';

describe('delivery indicators', () => {
  let app: TestApp;
  let token: string;
  let documentId: string;
  /** Yesterday 06:00 local time: every event falls on one day, in hours 6 to 11. */
  const base = new Date();
  base.setDate(base.getDate() - 1);
  base.setHours(6, 0, 0, 0);
  const at = (hours: number, minutes = 10) => new Date(base.getTime() + hours * 3_600_000 + minutes * 60_000);
  const localHour = (hours: number) => new Date(base.getTime() + hours * 3_600_000).toISOString();

  beforeAll(async () => {
    app = await bootTestApp();
    await stopSending(app.strapi);
    token = await app.superAdminToken();
    const delivery = await insertDelivery(app.strapi, { name: 'Indicators', status: 'sent' });
    documentId = delivery.documentId;

    const [L1, L2, L3, L4, L5, L6, L7, L8] = await insertLogs(app.strapi, delivery.id, [
      {
        firstOpenedAt: at(1),
        firstClickedAt: at(3, 20),
        humanOpenedAt: at(1),
        humanClickedAt: at(3, 20),
        opens: 2,
        humanOpens: 2,
        clicks: 1,
      },
      { firstOpenedAt: at(2), firstClickedAt: at(2), humanOpenedAt: at(2), humanClickedAt: at(2), clicks: 1 },
      { firstOpenedAt: at(0), opens: 2 },
      { firstOpenedAt: at(0), firstClickedAt: at(0), clicks: 1 },
      { firstOpenedAt: at(0), firstClickedAt: at(5), humanOpenedAt: at(5), humanClickedAt: at(5), opens: 1, clicks: 1 },
      { firstOpenedAt: at(1), firstClickedAt: at(1, 11), humanOpenedAt: at(1), opens: 1, humanOpens: 1, clicks: 1 },
      { firstOpenedAt: at(2), humanOpenedAt: at(2), unsubscribedAt: at(2) },
      { firstOpenedAt: at(4), humanOpenedAt: at(4) },
    ]);
    await insertLogs(app.strapi, delivery.id, [
      { status: 'failed', failureType: 'hard' },
      { status: 'failed', failureType: 'soft' },
      { status: 'bounced', failureType: 'hard' },
      { status: 'bounced', failureType: 'soft' },
      { status: 'bounced', failureType: null },
      { status: 'excluded' },
      { status: 'pending' },
    ]);
    await insertEvents(app.strapi, delivery.id, [
      { log: L1, type: 'open', at: at(1) },
      { log: L1, type: 'open', at: at(3) },
      { log: L1, type: 'click', at: at(3, 20) },
      { log: L2, type: 'click', at: at(2) },
      { log: L3, type: 'open', at: at(0), isMachineOpen: true },
      { log: L3, type: 'open', at: at(0, 11), isMachineOpen: true, isBot: true },
      { log: L4, type: 'click', at: at(0), isBot: true },
      { log: L5, type: 'open', at: at(0), isMachineOpen: true },
      { log: L5, type: 'click', at: at(5) },
      { log: L6, type: 'open', at: at(1) },
      { log: L6, type: 'click', at: at(1, 11), isBot: true },
      { log: L7, type: 'unsubscribe', at: at(2) },
      { log: L8, type: 'mirror', at: at(4) },
      { log: null, type: 'open', at: at(2, 30) },
    ]);
  });
  afterAll(async () => {
    await app?.destroy();
  });

  const indicators = async (query = '') => {
    const res = await api(app, token).get(`/deliveries/${documentId}/indicators${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('counts messages by outcome as Adobe Campaign defines them', async () => {
    const { data } = await indicators();

    expect(data).toMatchObject({
      targeted: 15,
      excluded: 1,
      pending: 1,
      processed: 13,
      sent: 8,
      delivered: 8,
      failed: 2,
      bounced: 3,
      bounces: 5,
      hardBounces: 3, // a failed hard, a bounced hard and a bounce of unknown type
      softBounces: 2,
      deliveredRate: 0.6154,
      bounceRate: 0.3846,
      hardBounceRate: 0.2308,
      softBounceRate: 0.1538,
    });
  });

  it('by default leaves bots and machine opens out of every engagement count', async () => {
    const { data } = await indicators();

    expect(data).toMatchObject({
      uniqueOpens: 6, // L1, L2 (click), L5 (click), L6, L7 (unsubscription), L8 (mirror)
      uniqueClicks: 3, // L1, L2, L5
      uniqueUnsubscriptions: 1,
      uniqueMirrorViews: 1,
      // Adobe's count(open) + unique(reaction) - unique(open): 4 pixel loads (L1 twice, L6, the open kept without its
      // message) + 6 readers - 2 who loaded the pixel (L1, L6): L2, L5, L7 and L8 each add an implied open.
      opens: 8,
      clicks: 3,
      unsubscriptions: 1,
      mirrorViews: 1,
      openRate: 0.75,
      clickThroughRate: 0.375,
      reactivity: 0.5,
      unsubscriptionRate: 0.125,
    });
  });

  it('says how many events and recipients were left out, and why', async () => {
    const { meta } = await indicators();

    expect(meta.include).toEqual({ bots: false, machine: false });
    expect(meta.leftOut).toEqual({
      events: 5,
      bots: 3, // the scanner clicks of L4 and L6, and the bot that was also a machine open
      machineOpens: 2,
      recipients: { opens: 2, clicks: 2 }, // L3 and L4 opened only by machines and bots; L4 and L6 clicked only by bots
    });
    expect(meta.delivery).toMatchObject({ documentId, name: 'Indicators', status: 'sent' });
  });

  it('a click without an open counts as an open (the pixel was blocked, the message was read)', async () => {
    const { data } = await indicators('?include=bots,machine');

    // L2 has no open event: it is counted through its click, as L7 through its unsubscription and L8 its mirror view.
    expect(data.uniqueOpens).toBe(8);
    expect(data.uniqueOpens).toBeGreaterThanOrEqual(data.uniqueClicks);
  });

  it.each([
    ['', 8, 6],
    ['?include=bots', 9, 7],
    ['?include=machine', 9, 7],
    ['?include=bots,machine', 11, 8],
  ])('total opens are never fewer than unique opens (include "%s")', async (query, opens, uniqueOpens) => {
    const { data } = await indicators(query);

    expect(data).toMatchObject({ opens, uniqueOpens });
    expect(data.opens).toBeGreaterThanOrEqual(data.uniqueOpens);
  });

  it('include=bots,machine counts every event, from the delivery-log columns', async () => {
    const { data, meta } = await indicators('?include=machine,bots');

    expect(data).toMatchObject({
      uniqueOpens: 8,
      uniqueClicks: 5,
      uniqueMirrorViews: 1,
      uniqueUnsubscriptions: 1,
      opens: 11, // 7 pixel loads + 8 readers - 4 who loaded the pixel (L1, L3, L5, L6)
      clicks: 5,
      openRate: 1,
      clickThroughRate: 0.625,
      reactivity: 0.625,
    });
    expect(meta.include).toEqual({ bots: true, machine: true });
    expect(meta.leftOut).toEqual({ events: 0, bots: 0, machineOpens: 0, recipients: { opens: 0, clicks: 0 } });
  });

  it('include=bots puts the bots back and still leaves the machine opens out', async () => {
    const { data, meta } = await indicators('?include=bots');

    // 4 pixel loads + 7 readers (L4's scanner click counts now) - 2 who loaded the pixel (L1, L6).
    expect(data).toMatchObject({ uniqueOpens: 7, uniqueClicks: 5, opens: 9, clicks: 5 });
    expect(meta.leftOut).toEqual({ events: 3, bots: 0, machineOpens: 3, recipients: { opens: 1, clicks: 0 } });
  });

  it('include=machine puts the machine opens back and still leaves the bots out', async () => {
    const { data, meta } = await indicators('?include=machine');

    // 6 pixel loads (the machine opens of L3 and L5 count) + 7 readers - 4 who loaded the pixel (L1, L3, L5, L6).
    expect(data).toMatchObject({ uniqueOpens: 7, uniqueClicks: 3, opens: 9, clicks: 3 });
    expect(meta.leftOut).toEqual({ events: 3, bots: 3, machineOpens: 0, recipients: { opens: 1, clicks: 2 } });
  });

  it('an install upgraded from before humanOpens counts its earlier logs from their events at boot', async () => {
    const before = (await indicators()).data;
    const logs = app.strapi.db.query(UID.deliveryLog);
    const delivery = await app.strapi.db.query(UID.delivery).findOne({ where: { documentId } });
    // As the column is when Strapi adds it to an existing table.
    await logs.updateMany({ where: { deliveryId: delivery.id }, data: { humanOpens: null } });
    expect((await indicators()).data.opens).toBe(10); // L1 and L6 no longer known to have loaded the pixel

    expect(await fillHumanOpens(app.strapi)).toBe(15);

    const filled = await logs.findMany({
      where: { deliveryId: delivery.id, humanOpens: { $gt: 0 } },
      orderBy: { id: 'asc' },
    });
    expect(filled.map((log) => log.humanOpens)).toEqual([2, 1]); // L1 twice, L6 once; L3 and L5 were machines
    expect((await indicators()).data).toEqual(before);
    expect(await fillHumanOpens(app.strapi)).toBe(0);
  });

  it('a delivery with no log yet answers zeros, never NaN', async () => {
    const empty = await insertDelivery(app.strapi, { status: 'draft' });
    const res = await api(app, token).get(`/deliveries/${empty.documentId}/indicators`);

    expect(res.status).toBe(200);
    expect(Object.values(res.body.data).every((value) => value === 0)).toBe(true);
  });

  it('answers 400 naming the allowed values for an unknown include, 404 for an unknown delivery', async () => {
    const bad = await api(app, token).get(`/deliveries/${documentId}/indicators?include=robots`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'Invalid query: include: unknown value(s) robots; use bots, machine or both (bots,machine)',
    );

    expect((await api(app, token).get('/deliveries/nosuchdelivery/indicators')).status).toBe(404);
  });

  it('is read with the read action only', async () => {
    const noRead = await app.adminTokenWith([]);
    const reader = await app.adminTokenWith([ACTIONS.read]);

    expect((await api(app, noRead).get(`/deliveries/${documentId}/indicators`)).status).toBe(403);
    expect((await api(app, reader).get(`/deliveries/${documentId}/indicators`)).status).toBe(200);
    expect((await api(app, reader).get(`/deliveries/${documentId}/timeline`)).status).toBe(200);
  });

  describe('after real hits on the tracking routes', () => {
    const MODES = ['', '?include=bots', '?include=machine', '?include=bots,machine'];
    const compiledHtml = '<html><body><p>Hello {{firstName}}</p><a href="{{__link.0}}">Read</a></body></html>';
    let hits: { documentId: string; deliveryId: number; logs: { id: number }[] };

    /**
     * What the indicators must say under `query`, computed here from the tracking-log rows alone: the counted events,
     * then recipients (delivery logs) by hand. A reaction of any kind (click, unsubscription, mirror view) is an open.
     */
    const expectedFrom = (events: any[], query: string) => {
      const include = { bots: query.includes('bots'), machine: query.includes('machine') };
      const counted = (e: any) => (include.bots || !e.isBot) && (include.machine || !e.isMachineOpen);
      const recipients = (list: any[]) =>
        new Set(list.filter((e) => e.deliveryLogId !== null).map((e) => e.deliveryLogId));
      const ofType = (list: any[], type: string) => list.filter((e) => e.type === type);
      const kept = events.filter(counted);
      const left = events.filter((e) => !counted(e));
      const openers = recipients(kept);
      const clickers = recipients(ofType(kept, 'click'));
      const pixelOpeners = recipients(ofType(kept, 'open'));
      return {
        data: {
          uniqueOpens: openers.size,
          uniqueClicks: clickers.size,
          uniqueUnsubscriptions: recipients(ofType(events, 'unsubscribe')).size,
          uniqueMirrorViews: recipients(ofType(kept, 'mirror')).size,
          // Every pixel load, and one implied open per reader who reacted without loading the pixel.
          opens: ofType(kept, 'open').length + [...openers].filter((id) => !pixelOpeners.has(id)).length,
          clicks: ofType(kept, 'click').length,
          unsubscriptions: ofType(kept, 'unsubscribe').length,
          mirrorViews: ofType(kept, 'mirror').length,
        },
        leftOut: {
          events: left.length,
          bots: left.filter((e) => !include.bots && e.isBot).length,
          machineOpens: left.filter((e) => include.bots || !e.isBot).length,
          recipients: {
            opens: [...recipients(left)].filter((id) => !openers.has(id)).length,
            clicks: [...recipients(ofType(left, 'click'))].filter((id) => !clickers.has(id)).length,
          },
        },
      };
    };

    beforeAll(async () => {
      // r0 a person opens twice and clicks        r4 a person opens, then a scanner follows every link at once
      // r1 clicks without opening (pixel blocked) r5 a scanner follows every link at once, nothing else (concurrently)
      // r2 Apple Mail Privacy Protection open     r6 machine open, then a person clicks
      // r3 a link scanner's user agent clicks     r7 unsubscribes (one-click POST) and views the mirror page
      // r8 nothing.
      const seeded = await seedDelivery(app.strapi, {
        recipients: 9,
        links: ['https://a.example/1', 'https://a.example/2', 'https://a.example/3'],
        compiledHtml,
      });
      const { deliveryId, links, logs } = seeded;
      const hit = (path: string, userAgent: string) => app.http().get(path).set('User-Agent', userAgent);
      const open = (r: number, userAgent: string) => hit(openPath(app.strapi, deliveryId, logs[r].id), userAgent);
      const click = (r: number, link: number, userAgent: string) =>
        hit(clickPath(app.strapi, deliveryId, logs[r].id, links[link].id), userAgent);

      await open(0, UA.chromeWindows);
      await open(0, UA.chromeWindows);
      await click(0, 0, UA.chromeWindows);
      await click(1, 1, UA.iphoneSafari);
      await open(2, UA.applePrefetch);
      await click(3, 2, UA.scanner);
      await open(4, UA.chromeWindows);
      // One click at a time: the first two are stored as a person's, the third reveals the burst and re-flags them.
      for (const link of [0, 1, 2]) await click(4, link, UA.chromeWindows);
      await Promise.all([0, 1, 2].map((link) => click(5, link, UA.chromeWindows)));
      await open(6, UA.applePrefetch);
      await click(6, 1, UA.outlookWindows);
      const unsubscribed = await app
        .http()
        .post(unsubscribePath(app.strapi, deliveryId, logs[7].id))
        .type('form')
        .send('List-Unsubscribe=One-Click');
      expect(unsubscribed.status).toBe(200);
      expect((await hit(mirrorPath(app.strapi, deliveryId, logs[7].id), UA.chromeWindows)).status).toBe(200);

      const delivery = await app.strapi.db
        .query(UID.delivery)
        .findOne({ where: { id: deliveryId }, select: ['documentId'] });
      hits = { documentId: delivery.documentId, deliveryId, logs };
    });

    it.each(MODES)('agree with counts computed from the tracking-log rows (include "%s")', async (query) => {
      const events = await eventsOf(app.strapi, hits.deliveryId);
      const expected = expectedFrom(events, query);
      const res = await api(app, token).get(`/deliveries/${hits.documentId}/indicators${query}`);

      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ delivered: 9, ...expected.data });
      expect(res.body.data.opens).toBeGreaterThanOrEqual(res.body.data.uniqueOpens);
      expect(res.body.meta.leftOut).toEqual(expected.leftOut);
    });

    it.each(MODES)('the timeline holds the same opens as the indicators (include "%s")', async (query) => {
      const { data } = (await api(app, token).get(`/deliveries/${hits.documentId}/indicators${query}`)).body;
      const timeline = await api(app, token).get(
        `/deliveries/${hits.documentId}/timeline?bucket=day${query ? `&${query.slice(1)}` : ''}`,
      );

      expect(timeline.status).toBe(200);
      const sum = (key: 'opens' | 'clicks') => timeline.body.data.reduce((n: number, p: any) => n + p[key], 0);
      expect(sum('opens')).toBe(data.opens);
      expect(sum('clicks')).toBe(data.clicks);
    });

    it('flags the scanner bursts, and leaves their recipients out by default', async () => {
      const events = await eventsOf(app.strapi, hits.deliveryId);
      const clicksOf = (r: number) =>
        events.filter((e: any) => e.deliveryLogId === hits.logs[r].id && e.type === 'click');
      expect(clicksOf(4).map((e: any) => e.isBot)).toEqual([true, true, true]);
      expect(clicksOf(5).map((e: any) => e.isBot)).toEqual([true, true, true]);

      const humans = (await api(app, token).get(`/deliveries/${hits.documentId}/indicators`)).body;
      const everyone = (await api(app, token).get(`/deliveries/${hits.documentId}/indicators?include=bots,machine`))
        .body;
      // By hand: openers r0 r1 r4 r6 r7, clickers r0 r1 r6; with everything r0..r7 opened and r0 r1 r3 r4 r5 r6 clicked.
      // Opens: r0's two pixel loads and r4's, plus one implied open each for r1 (clicked, pixel blocked), r6 (its only
      // open was Apple's proxy) and r7 (unsubscribed); with everything, 5 pixel loads plus r1, r3, r5 and r7.
      expect(humans.data).toMatchObject({
        uniqueOpens: 5,
        uniqueClicks: 3,
        opens: 6,
        clicks: 3,
        unsubscriptions: 1,
        mirrorViews: 1,
      });
      expect(humans.meta.leftOut).toEqual({ events: 9, bots: 7, machineOpens: 2, recipients: { opens: 3, clicks: 3 } });
      expect(everyone.data).toMatchObject({ uniqueOpens: 8, uniqueClicks: 6, opens: 9, clicks: 10 });
    });

    it('keeps the human columns of each message as the tracker left them', async () => {
      const log = (r: number) => logOf(app.strapi, hits.logs[r].id);
      const [scanned, burstOnly, machineThenClick, unsubscribed] = await Promise.all([log(4), log(5), log(6), log(7)]);

      // r4: the burst took its clicks back, its open stays a person's.
      expect(scanned.humanOpenedAt).not.toBeNull();
      expect(scanned.humanClickedAt).toBeNull();
      expect(scanned.firstClickedAt).not.toBeNull();
      // r5: nothing but the scanner.
      expect(burstOnly).toMatchObject({ humanOpenedAt: null, humanClickedAt: null });
      expect(burstOnly.firstOpenedAt).not.toBeNull();
      // r6: the machine open came first; the person's first reaction is the click.
      expect(new Date(machineThenClick.humanOpenedAt).getTime()).toBe(
        new Date(machineThenClick.humanClickedAt).getTime(),
      );
      expect(new Date(machineThenClick.firstOpenedAt).getTime()).toBeLessThan(
        new Date(machineThenClick.humanOpenedAt).getTime(),
      );
      // r7: an unsubscription is a person's open.
      expect(unsubscribed.humanOpenedAt).not.toBeNull();
    });
  });

  describe('timeline', () => {
    it('opens and clicks per hour, bots and machine opens left out, quiet hours as zeros', async () => {
      const res = await api(app, token).get(`/deliveries/${documentId}/timeline?bucket=hour`);

      expect(res.status).toBe(200);
      // The implied opens sit at each reader's first counted reaction: L2's click and L7's unsubscription at 2, L8's
      // mirror view at 4, L5's click at 5 (its only open was Apple's proxy).
      expect(res.body.data).toEqual([
        { at: localHour(1), opens: 2, clicks: 0 },
        { at: localHour(2), opens: 3, clicks: 1 },
        { at: localHour(3), opens: 1, clicks: 1 },
        { at: localHour(4), opens: 1, clicks: 0 },
        { at: localHour(5), opens: 1, clicks: 1 },
      ]);
      expect(res.body.meta).toMatchObject({ bucket: 'hour', include: { bots: false, machine: false } });
    });

    it('include=bots,machine adds the first hour of machine opens and scanner clicks', async () => {
      const res = await api(app, token).get(`/deliveries/${documentId}/timeline?bucket=hour&include=bots,machine`);

      // Hour 0 also holds L4's implied open: a scanner's click is its only event.
      expect(res.body.data.slice(0, 2)).toEqual([
        { at: localHour(0), opens: 4, clicks: 1 },
        { at: localHour(1), opens: 2, clicks: 1 },
      ]);
      expect(res.body.data).toHaveLength(6);
    });

    it('per day: one bucket holding the day totals, equal to the indicators totals', async () => {
      const res = await api(app, token).get(`/deliveries/${documentId}/timeline?bucket=day`);

      expect(res.body.data).toEqual([{ at: localHour(-6), opens: 8, clicks: 3 }]);
    });

    it('from / to narrow the period, every bucket of it answered', async () => {
      const from = localHour(2);
      const to = localHour(4);
      const res = await api(app, token).get(`/deliveries/${documentId}/timeline?bucket=hour&from=${from}&to=${to}`);

      expect(res.body.data).toEqual([
        { at: localHour(2), opens: 3, clicks: 1 },
        { at: localHour(3), opens: 1, clicks: 1 },
      ]);
    });

    it('answers 400 for an unknown bucket', async () => {
      const res = await api(app, token).get(`/deliveries/${documentId}/timeline?bucket=week`);

      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^Invalid query: bucket: Invalid enum value\. Expected 'hour' \| 'day'/);
    });
  });
});

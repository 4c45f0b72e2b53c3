// The report query engine against a seeded data set whose answers are computed here, from the same raw rows, with
// plain JavaScript (Intl for time zones, Sets for unique counts).
//
// Three deliveries of 40 recipients each on two lists and four recipient domains; sent, failed, bounced and excluded
// messages; opens, clicks (on three links, one URL twice), unsubscriptions and mirror views from several clients
// and devices, some flagged as bots or machine opens, spread over 2026-03-05 .. 2026-03-13 UTC (the United States
// move their clocks forward on 2026-03-08).
import { UID } from '../../shared/constants';
import { createDocumentId } from '../../server/src/platform/document-id';
import { fillRecipientDomains } from '../../server/src/db/recipient-domains';
import { knexOf, tableOf } from '../../server/src/db/tables';
import { api } from '../helpers/campaigns';
import { stopSending } from '../helpers/fixtures';
import { bootTestApp, type TestApp } from '../helpers/strapi';

type EventType = 'open' | 'click' | 'unsubscribe' | 'mirror';
interface SeedLog {
  id: number;
  delivery: number;
  list: number;
  email: string;
  domain: string;
  status: 'sent' | 'failed' | 'bounced' | 'excluded';
  failureType: 'hard' | 'soft' | null;
  failureReason: string | null;
  sentAt: Date | null;
}
interface SeedEvent {
  delivery: number;
  log: number;
  link: number | null;
  type: EventType;
  at: Date;
  client: string | null;
  device: string;
  isBot: boolean;
  isMachineOpen: boolean;
}

const BASE = Date.UTC(2026, 2, 5, 0, 0, 0);
const HOUR = 3_600_000;
const DOMAINS = ['gmail.com', 'Yahoo.fr', 'example.org', 'corp.test'];
const CLIENTS = ['Gmail', 'Apple Mail', 'Outlook', null];
const DEVICES = ['desktop', 'mobile', 'tablet'];

let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];

const wall = (at: Date, timeZone: string) => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: parts.hour as string };
};

describe('report queries', () => {
  let app: TestApp;
  let token: string;
  const deliveries: Array<{ id: number; documentId: string; name: string }> = [];
  const lists: Array<{ id: number; documentId: string; name: string }> = [];
  const links = new Map<number, Array<{ id: number; url: string }>>();
  const logs: SeedLog[] = [];
  const events: SeedEvent[] = [];

  const query = (body: Record<string, unknown>) => api(app, token).post('/reports/query', body);
  const ok = async (body: Record<string, unknown>) => {
    const res = await query(body);
    if (res.status !== 200) throw new Error(`query answered ${res.status}: ${res.text}`);
    return res.body;
  };
  const counted = (event: SeedEvent, include: { bots?: boolean; machine?: boolean } = {}) =>
    (include.bots || !event.isBot) && (include.machine || !event.isMachineOpen);
  const logById = (id: number) => logs.find((log) => log.id === id)!;
  /**
   * Total opens of a set of counted events as Adobe Campaign counts them: every pixel load, plus one implied open for
   * each reader with an event of the set but no pixel load in it.
   */
  const totalOpens = (list: SeedEvent[]) => {
    const pixelOpeners = new Set(list.filter((e) => e.type === 'open').map((e) => e.log));
    const readers = new Set(list.map((e) => e.log));
    return list.filter((e) => e.type === 'open').length + [...readers].filter((log) => !pixelOpeners.has(log)).length;
  };
  /** Every row of an answer as "key|key" -> metrics. */
  const byKey = (rows: any[]) =>
    Object.fromEntries(rows.map((row) => [row.dimensions.map((d: any) => d.key).join('|'), row.metrics]));
  /** Expected totals and unique counts of events grouped by a key. */
  const expectedEvents = (
    keyOf: (event: SeedEvent) => string,
    keep: (event: SeedEvent) => boolean = (e) => counted(e),
  ) => {
    const out: Record<
      string,
      { opens: number; clicks: number; uniqueOpens: Set<number>; uniqueClicks: Set<number>; events: SeedEvent[] }
    > = {};
    for (const event of events.filter(keep)) {
      const key = keyOf(event);
      const row = (out[key] ??= { opens: 0, clicks: 0, uniqueOpens: new Set(), uniqueClicks: new Set(), events: [] });
      row.events.push(event);
      row.opens = totalOpens(row.events);
      if (event.type === 'click') {
        row.clicks += 1;
        row.uniqueClicks.add(event.log);
      }
      row.uniqueOpens.add(event.log);
    }
    return out;
  };

  beforeAll(async () => {
    app = await bootTestApp();
    await stopSending(app.strapi);
    token = await app.superAdminToken();
    const now = new Date();
    for (const name of ['Customers', 'Prospects']) {
      const row = await app.strapi.db
        .query(UID.list)
        .create({ data: { documentId: createDocumentId(), name, publishedAt: now } });
      lists.push({ id: Number(row.id), documentId: row.documentId, name });
    }
    for (let d = 0; d < 3; d += 1) {
      const row = await app.strapi.db.query(UID.delivery).create({
        data: {
          documentId: createDocumentId(),
          name: `Report delivery ${d + 1}`,
          subject: 'Hi',
          html: '<p>Hi</p>',
          status: 'sent',
          publishedAt: now,
        },
      });
      const delivery = { id: Number(row.id), documentId: row.documentId, name: row.name };
      deliveries.push(delivery);
      const deliveryLinks = [];
      for (const [position, url] of ['https://shop.test/a', 'https://shop.test/b', 'https://shop.test/a'].entries()) {
        const link = await app.strapi.db.query(UID.trackedLink).create({
          data: {
            documentId: createDocumentId(),
            deliveryId: delivery.id,
            url,
            label: `Link ${position}`,
            position,
            tracked: true,
            kind: 'tracked',
            publishedAt: now,
          },
        });
        deliveryLinks.push({ id: Number(link.id), url });
      }
      links.set(delivery.id, deliveryLinks);

      const sentAt = new Date(BASE + d * 24 * HOUR + 8 * HOUR);
      const logRows = [];
      for (let i = 0; i < 40; i += 1) {
        const r = random();
        const status = r < 0.8 ? 'sent' : r < 0.88 ? 'failed' : r < 0.95 ? 'bounced' : 'excluded';
        const failureType = status === 'failed' || status === 'bounced' ? pick(['hard', 'soft'] as const) : null;
        const domain = pick(DOMAINS);
        logRows.push({
          documentId: createDocumentId(),
          deliveryId: delivery.id,
          listId: lists[i % 2].id,
          email: `reader${d}-${i}@${domain}`,
          status,
          failureType,
          failureReason: failureType ? pick(['user_unknown', 'mailbox_full', 'refused']) : null,
          sentAt: status === 'sent' || status === 'bounced' ? sentAt : null,
          attempts: 1,
          opens: 0,
          clicks: 0,
          publishedAt: now,
        });
      }
      for (const data of logRows) {
        const row = await app.strapi.db.query(UID.deliveryLog).create({ data });
        logs.push({
          id: Number(row.id),
          delivery: delivery.id,
          list: data.listId,
          email: data.email,
          domain: data.email.split('@')[1].toLowerCase(),
          status: data.status as SeedLog['status'],
          failureType: data.failureType,
          failureReason: data.failureReason,
          sentAt: data.sentAt,
        });
      }
      for (const log of logs.filter((l) => l.delivery === delivery.id && l.status === 'sent')) {
        const client = pick(CLIENTS);
        const device = pick(DEVICES);
        const at = () => new Date(sentAt.getTime() + Math.floor(random() * 5 * 24 * HOUR));
        const opens = Math.floor(random() * 4);
        for (let k = 0; k < opens; k += 1) {
          events.push({
            delivery: delivery.id,
            log: log.id,
            link: null,
            type: 'open',
            at: at(),
            client,
            device,
            isBot: false,
            isMachineOpen: k === 0 && random() < 0.25,
          });
        }
        if (random() < 0.45) {
          const link = pick(deliveryLinks);
          events.push({
            delivery: delivery.id,
            log: log.id,
            link: link.id,
            type: 'click',
            at: at(),
            client,
            device,
            isBot: random() < 0.2,
            isMachineOpen: false,
          });
          if (random() < 0.3)
            events.push({
              delivery: delivery.id,
              log: log.id,
              link: pick(deliveryLinks).id,
              type: 'click',
              at: at(),
              client,
              device,
              isBot: false,
              isMachineOpen: false,
            });
        }
        if (random() < 0.1)
          events.push({
            delivery: delivery.id,
            log: log.id,
            link: null,
            type: 'unsubscribe',
            at: at(),
            client,
            device,
            isBot: false,
            isMachineOpen: false,
          });
        if (random() < 0.1)
          events.push({
            delivery: delivery.id,
            log: log.id,
            link: null,
            type: 'mirror',
            at: at(),
            client,
            device,
            isBot: false,
            isMachineOpen: false,
          });
      }
    }
    await app.strapi.db.query(UID.trackingLog).createMany({
      data: events.map((event) => ({
        documentId: createDocumentId(),
        deliveryId: event.delivery,
        deliveryLogId: event.log,
        trackedLinkId: event.link,
        type: event.type,
        at: event.at,
        client: event.client,
        device: event.device,
        isBot: event.isBot,
        isMachineOpen: event.isMachineOpen,
        publishedAt: event.at,
      })),
    });
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it('counts opens, clicks and unique openers per day, with totals unique over the whole set', async () => {
    const body = await ok({ dimensions: ['day'], metrics: ['opens', 'clicks', 'uniqueOpens', 'uniqueClicks'] });
    const expected = expectedEvents((e) => e.at.toISOString().slice(0, 10));
    expect(byKey(body.data.rows)).toEqual(
      Object.fromEntries(
        Object.entries(expected).map(([day, r]) => [
          day,
          { opens: r.opens, clicks: r.clicks, uniqueOpens: r.uniqueOpens.size, uniqueClicks: r.uniqueClicks.size },
        ]),
      ),
    );
    const kept = events.filter((e) => counted(e));
    expect(body.data.totals).toEqual({
      opens: totalOpens(kept),
      clicks: kept.filter((e) => e.type === 'click').length,
      uniqueOpens: new Set(kept.map((e) => e.log)).size,
      uniqueClicks: new Set(kept.filter((e) => e.type === 'click').map((e) => e.log)).size,
    });
    // Readers come back on later days: the per-day unique openers add up to more than the unique openers overall.
    const perDay = body.data.rows.reduce((sum: number, row: any) => sum + row.metrics.uniqueOpens, 0);
    expect(perDay).toBeGreaterThan(body.data.totals.uniqueOpens);
    // Some readers clicked, unsubscribed or viewed the mirror page without loading the pixel: each adds one open.
    expect(body.data.totals.opens).toBeGreaterThan(kept.filter((e) => e.type === 'open').length);
    expect(body.data.totals.opens).toBeGreaterThanOrEqual(body.data.totals.uniqueOpens);
    for (const row of body.data.rows) expect(row.metrics.opens).toBeGreaterThanOrEqual(row.metrics.uniqueOpens);
    expect(body.data.rows.map((row: any) => row.dimensions[0].key)).toEqual(Object.keys(expected).sort());
  });

  it('buckets hours of the day in the asked time zone, across a daylight saving change', async () => {
    const timeZone = 'America/New_York';
    const body = await ok({
      dimensions: ['hourOfDay'],
      metrics: ['opens'],
      timeZone,
      include: { bots: true, machine: true },
    });
    const expected = expectedEvents(
      (e) => wall(e.at, timeZone).hour,
      (e) => counted(e, { bots: true, machine: true }),
    );
    // An hour with only a click or an unsubscription still has an open: the reader's, implied by the reaction.
    expect(byKey(body.data.rows)).toEqual(
      Object.fromEntries(Object.entries(expected).map(([hour, r]) => [hour, { opens: r.opens }])),
    );
  });

  it('buckets days in the asked time zone', async () => {
    const timeZone = 'Asia/Tokyo';
    const body = await ok({ dimensions: ['day'], metrics: ['uniqueOpens'], timeZone });
    const expected = expectedEvents((e) => wall(e.at, timeZone).day);
    expect(byKey(body.data.rows)).toEqual(
      Object.fromEntries(Object.entries(expected).map(([day, r]) => [day, { uniqueOpens: r.uniqueOpens.size }])),
    );
  });

  it('buckets weeks from Monday in the asked time zone', async () => {
    const timeZone = 'America/Los_Angeles';
    const body = await ok({ dimensions: ['week'], metrics: ['uniqueOpens', 'clicks'], timeZone });
    const mondayOf = (day: string) => {
      const date = new Date(`${day}T00:00:00Z`);
      return new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
    };
    const expected = expectedEvents((e) => mondayOf(wall(e.at, timeZone).day));
    expect(Object.keys(expected).length).toBeGreaterThan(1);
    expect(byKey(body.data.rows)).toEqual(
      Object.fromEntries(
        Object.entries(expected).map(([monday, r]) => [monday, { uniqueOpens: r.uniqueOpens.size, clicks: r.clicks }]),
      ),
    );
  });

  it('counts clicks per link of one delivery, the two links to the same URL apart', async () => {
    const delivery = deliveries[0];
    const body = await ok({
      dimensions: ['link'],
      metrics: ['clicks', 'uniqueClicks'],
      filters: { deliveries: [delivery.documentId] },
    });
    const expected = expectedEvents(
      (e) => String(e.link),
      (e) => counted(e) && e.delivery === delivery.id && e.type === 'click',
    );
    expect(byKey(body.data.rows)).toEqual(
      Object.fromEntries(
        Object.entries(expected).map(([link, r]) => [link, { clicks: r.clicks, uniqueClicks: r.uniqueClicks.size }]),
      ),
    );
    const labels = body.data.rows.map((row: any) => row.dimensions[0].label);
    expect(labels.every((label: string) => label.includes('https://shop.test/'))).toBe(true);
  });

  it('counts unique openers per email client, and leaves bots and machine opens out unless included', async () => {
    const without = await ok({ dimensions: ['client'], metrics: ['uniqueOpens', 'opens'] });
    const withAll = await ok({
      dimensions: ['client'],
      metrics: ['uniqueOpens', 'opens'],
      include: { bots: true, machine: true },
    });
    for (const [answer, include] of [
      [without, {}],
      [withAll, { bots: true, machine: true }],
    ] as const) {
      const expected = expectedEvents(
        (e) => e.client ?? '',
        (e) => counted(e, include),
      );
      expect(byKey(answer.data.rows)).toEqual(
        Object.fromEntries(
          Object.entries(expected).map(([client, r]) => [client, { uniqueOpens: r.uniqueOpens.size, opens: r.opens }]),
        ),
      );
    }
    expect(withAll.data.totals.opens).toBeGreaterThan(without.data.totals.opens);
    expect(without.data.rows.find((row: any) => row.dimensions[0].key === '').dimensions[0].label).toBe('Unknown');
  });

  it('answers delivered, unique opens and open rate per recipient domain (lower case)', async () => {
    const body = await ok({ dimensions: ['domain'], metrics: ['delivered', 'uniqueOpens', 'openRate'] });
    const opened = expectedEvents((e) => logById(e.log).domain);
    const expected: Record<string, any> = {};
    for (const domain of new Set(logs.map((log) => log.domain))) {
      const delivered = logs.filter((log) => log.domain === domain && log.status === 'sent').length;
      const uniqueOpens = opened[domain]?.uniqueOpens.size ?? 0;
      expected[domain] = {
        delivered,
        uniqueOpens,
        openRate: delivered ? Math.round((uniqueOpens / delivered) * 10000) / 10000 : 0,
      };
    }
    expect(byKey(body.data.rows)).toEqual(expected);
    expect(Object.keys(expected)).toContain('yahoo.fr');
  });

  it('groups logs written before their recipient domain was kept once the boot has filled it in', async () => {
    const query = { dimensions: ['domain'], metrics: ['targeted', 'delivered', 'uniqueOpens'] };
    const before = byKey((await ok(query)).data.rows);
    const logTable = tableOf(app.strapi, UID.deliveryLog);
    await knexOf(app.strapi)(logTable.table).update({ [logTable.column('recipientDomain')]: null });
    // As an earlier version left them: every log under no domain.
    expect(Object.keys(byKey((await ok(query)).data.rows))).toEqual(['']);
    expect(await fillRecipientDomains(app.strapi)).toBe(logs.length);
    expect(byKey((await ok(query)).data.rows)).toEqual(before);
    expect(await fillRecipientDomains(app.strapi)).toBe(0);
  });

  it('answers bounces per failure reason, hard and soft, the logs without a reason under none', async () => {
    const query = { dimensions: ['failureReason'], metrics: ['bounces', 'hardBounces', 'softBounces'] };
    const body = await ok(query);
    const expected: Record<string, any> = {};
    for (const reason of new Set(logs.map((log) => log.failureReason ?? ''))) {
      const bounced = logs.filter(
        (log) => (log.failureReason ?? '') === reason && (log.status === 'failed' || log.status === 'bounced'),
      );
      const hardBounces = bounced.filter((log) => log.failureType === 'hard').length;
      expected[reason] = { bounces: bounced.length, hardBounces, softBounces: bounced.length - hardBounces };
    }
    expect(byKey(body.data.rows)).toEqual(expected);
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(['', 'user_unknown', 'mailbox_full', 'refused']));
    // The same over a period that holds every log (read from the logs' period index).
    const period = { from: new Date(BASE).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    expect(byKey((await ok({ ...query, period })).data.rows)).toEqual(expected);
  });

  it('answers the delivery indicators per delivery, rates from summed counts', async () => {
    const body = await ok({
      dimensions: ['delivery'],
      metrics: [
        'targeted',
        'processed',
        'delivered',
        'bounces',
        'hardBounces',
        'uniqueOpens',
        'openRate',
        'deliveredRate',
      ],
    });
    const opened = expectedEvents((e) => String(e.delivery));
    const expected: Record<string, any> = {};
    for (const delivery of deliveries) {
      const mine = logs.filter((log) => log.delivery === delivery.id);
      const processed = mine.filter((log) => log.status !== 'excluded').length;
      const delivered = mine.filter((log) => log.status === 'sent').length;
      const bounces = mine.filter((log) => log.status === 'failed' || log.status === 'bounced').length;
      const uniqueOpens = opened[String(delivery.id)]?.uniqueOpens.size ?? 0;
      expected[delivery.documentId] = {
        targeted: mine.length,
        processed,
        delivered,
        bounces,
        hardBounces: mine.filter(
          (log) => (log.status === 'failed' || log.status === 'bounced') && log.failureType === 'hard',
        ).length,
        uniqueOpens,
        openRate: Math.round((uniqueOpens / delivered) * 10000) / 10000,
        deliveredRate: Math.round((delivered / processed) * 10000) / 10000,
      };
    }
    expect(byKey(body.data.rows)).toEqual(expected);
    expect(body.data.rows.map((row: any) => row.dimensions[0].label)).toEqual(deliveries.map((d) => d.name));
    const all = logs.filter((log) => log.status === 'sent').length;
    expect(body.data.totals.delivered).toBe(all);
    expect(body.data.totals.openRate).toBe(
      Math.round((new Set(events.filter((e) => counted(e)).map((e) => e.log)).size / all) * 10000) / 10000,
    );
  });

  it('agrees with the indicators route of a delivery', async () => {
    const delivery = deliveries[1];
    const report = await ok({
      dimensions: [],
      metrics: ['delivered', 'bounces', 'opens', 'clicks', 'uniqueClicks', 'clickThroughRate'],
      filters: { deliveries: [delivery.documentId] },
    });
    // The indicators route reads unique counts from the delivery-log columns the tracker maintains: fill them as it would.
    for (const log of logs.filter((l) => l.delivery === delivery.id)) {
      const mine = events.filter((e) => e.log === log.id);
      if (!mine.length) continue;
      const first = (list: SeedEvent[]) =>
        list.length ? new Date(Math.min(...list.map((e) => e.at.getTime()))) : null;
      const human = mine.filter((e) => counted(e));
      const attributes = app.strapi.db.metadata.get(UID.deliveryLog).attributes as Record<string, unknown>;
      await app.strapi.db.query(UID.deliveryLog).update({
        where: { id: log.id },
        data: {
          firstOpenedAt: first(mine),
          firstClickedAt: first(mine.filter((e) => e.type === 'click')),
          opens: mine.filter((e) => e.type === 'open').length,
          ...(attributes.humanOpens ? { humanOpens: human.filter((e) => e.type === 'open').length } : {}),
          // Where the tracker also keeps the first human (not bot, not machine) reactions, fill them as it would.
          ...(attributes.humanOpenedAt
            ? { humanOpenedAt: first(human), humanClickedAt: first(human.filter((e) => e.type === 'click')) }
            : {}),
        },
      });
    }
    const indicators = (await api(app, token).get(`/deliveries/${delivery.documentId}/indicators`)).body.data;
    expect(report.data.rows).toHaveLength(1);
    for (const metric of ['delivered', 'bounces', 'opens', 'clicks', 'uniqueClicks', 'clickThroughRate']) {
      expect([metric, report.data.totals[metric]]).toEqual([metric, indicators[metric]]);
    }
  });

  it('filters by list, domain and event type', async () => {
    const list = lists[1];
    const body = await ok({
      dimensions: ['delivery'],
      metrics: ['uniqueOpens', 'clicks'],
      filters: { lists: [list.documentId], domains: ['GMAIL.com', 'yahoo.fr'], eventTypes: ['click'] },
    });
    const keep = (e: SeedEvent) =>
      counted(e) &&
      e.type === 'click' &&
      logById(e.log).list === list.id &&
      ['gmail.com', 'yahoo.fr'].includes(logById(e.log).domain);
    const expected = expectedEvents((e) => deliveries.find((d) => d.id === e.delivery)!.documentId, keep);
    expect(byKey(body.data.rows)).toEqual(
      Object.fromEntries(
        Object.entries(expected).map(([id, r]) => [id, { uniqueOpens: r.uniqueOpens.size, clicks: r.clicks }]),
      ),
    );
  });

  it('answers the previous period of the same length with compare', async () => {
    const period = { from: '2026-03-08T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z' };
    const body = await ok({ dimensions: [], metrics: ['opens', 'uniqueClicks'], period, compare: true });
    const within = (from: number, to: number) =>
      events.filter((e) => counted(e) && e.at.getTime() >= from && e.at.getTime() < to);
    const current = within(Date.parse(period.from), Date.parse(period.to));
    const previous = within(Date.parse('2026-03-06T00:00:00.000Z'), Date.parse(period.from));
    const metricsOf = (list: SeedEvent[]) => ({
      opens: totalOpens(list),
      uniqueClicks: new Set(list.filter((e) => e.type === 'click').map((e) => e.log)).size,
    });
    expect(body.data.totals).toEqual(metricsOf(current));
    expect(body.data.previous.totals).toEqual(metricsOf(previous));
    expect(body.data.previous.period).toEqual({ from: '2026-03-06T00:00:00.000Z', to: period.from });
    expect(body.meta.period).toEqual(period);
  });

  it('counts a log in a period when it was sent, or, never sent, when it last changed', async () => {
    const changed = new Map<number, number>(
      (await app.strapi.db.query(UID.deliveryLog).findMany({ select: ['id', 'updatedAt'] })).map((row: any) => [
        Number(row.id),
        new Date(row.updatedAt).getTime(),
      ]),
    );
    const metrics = ['targeted', 'processed', 'delivered', 'bounces'];
    const countsIn = async (from: number, to: number) => {
      const period = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
      const body = await ok({ dimensions: ['delivery'], metrics, period });
      const expected: Record<string, any> = {};
      for (const delivery of deliveries) {
        const mine = logs.filter((log) => {
          const at = log.sentAt ? log.sentAt.getTime() : changed.get(log.id)!;
          return log.delivery === delivery.id && at >= from && at < to;
        });
        if (mine.length === 0) continue;
        expected[delivery.documentId] = {
          targeted: mine.length,
          processed: mine.filter((log) => log.status !== 'excluded').length,
          delivered: mine.filter((log) => log.status === 'sent').length,
          bounces: mine.filter((log) => log.status === 'failed' || log.status === 'bounced').length,
        };
      }
      expect(byKey(body.data.rows)).toEqual(expected);
      return expected;
    };
    // The sending days: the logs sent then, none of those never sent (seeded today).
    const sent = await countsIn(BASE, BASE + 7 * 24 * HOUR);
    expect(Object.values(sent).some((row: any) => row.delivered > 0)).toBe(true);
    // Today: the failed and excluded logs, never sent, at their last change.
    const times = [...changed.values()];
    const unsent = await countsIn(Math.min(...times), Math.max(...times) + 1);
    expect(Object.values(unsent).some((row: any) => row.targeted > row.processed && row.bounces > 0)).toBe(true);
    expect(Object.values(unsent).every((row: any) => row.delivered === 0)).toBe(true);
  });

  it('counts an event of no message in the totals of a period, never as a reader', async () => {
    const period = { from: '2026-03-08T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z' };
    const at = new Date('2026-03-09T12:00:00.000Z');
    const orphan = await app.strapi.db.query(UID.trackingLog).create({
      data: {
        documentId: createDocumentId(),
        deliveryId: deliveries[0].id,
        deliveryLogId: null,
        type: 'click',
        at,
        isBot: false,
        isMachineOpen: false,
        publishedAt: at,
      },
    });
    try {
      const body = await ok({ dimensions: ['day'], metrics: ['clicks', 'uniqueClicks', 'uniqueOpens'], period });
      const expected = (day: string | null) => {
        const list = events.filter(
          (e) => counted(e) && e.at.getTime() >= Date.parse(period.from) && e.at.getTime() < Date.parse(period.to),
        );
        const kept = day ? list.filter((e) => e.at.toISOString().startsWith(day)) : list;
        const clicks = kept.filter((e) => e.type === 'click');
        return {
          clicks: clicks.length + (day === null || day === '2026-03-09' ? 1 : 0),
          uniqueClicks: new Set(clicks.map((e) => e.log)).size,
          uniqueOpens: new Set(kept.map((e) => e.log)).size,
        };
      };
      expect(body.data.totals).toEqual(expected(null));
      expect(byKey(body.data.rows)).toEqual({
        '2026-03-08': expected('2026-03-08'),
        '2026-03-09': expected('2026-03-09'),
      });
    } finally {
      await app.strapi.db.query(UID.trackingLog).delete({ where: { id: orphan.id } });
    }
  });

  it('sorts by a metric and limits the rows, totals still over every row', async () => {
    const body = await ok({ dimensions: ['day'], metrics: ['opens'], sort: '-opens', limit: 2 });
    const all = await ok({ dimensions: ['day'], metrics: ['opens'] });
    const sorted = [...all.data.rows].sort(
      (a: any, b: any) => b.metrics.opens - a.metrics.opens || a.dimensions[0].key.localeCompare(b.dimensions[0].key),
    );
    expect(body.data.rows).toEqual(sorted.slice(0, 2));
    expect(body.meta.truncated).toBe(true);
    expect(body.data.totals).toEqual(all.data.totals);
  });

  it.each([
    [
      'an unknown dimension',
      { dimensions: ['country'], metrics: ['opens'] },
      /dimensions\.0: unknown dimension; allowed: delivery, list, day/,
    ],
    [
      'an unknown metric',
      { metrics: ['revenue'] },
      /metrics\.0: unknown metric; allowed: targeted, .*unsubscriptionRate/,
    ],
    [
      'an unknown filter',
      { metrics: ['opens'], filters: { country: ['fr'] } },
      /filters: unknown filter\(s\) country; allowed: deliveries, lists, domains, eventTypes/,
    ],
    [
      'an unknown event type',
      { metrics: ['opens'], filters: { eventTypes: ['bounce'] } },
      /filters\.eventTypes\.0: unknown event type; allowed: open, click, unsubscribe, mirror/,
    ],
    [
      'a bad period',
      { metrics: ['opens'], period: { from: 'yesterday', to: '2026-01-01' } },
      /query: period\.from: must be an ISO 8601 date or date-time$/,
    ],
    [
      'a reversed period',
      { metrics: ['opens'], period: { from: '2026-02-01', to: '2026-01-01' } },
      /period\.from: from must be before to/,
    ],
    [
      'a period of neither shape',
      { metrics: ['opens'], period: { days: 3 } },
      /period: must be \{ from, to \} \(ISO 8601\) or \{ lastDays \}/,
    ],
    ['an unknown time zone', { metrics: ['opens'], timeZone: 'Mars/Olympus' }, /timeZone: unknown time zone/],
    ['a limit too high', { metrics: ['opens'], limit: 100000 }, /limit: /],
    ['no metric', { metrics: [] }, /metrics: name at least one metric/],
    ['compare without a period', { metrics: ['opens'], compare: true }, /compare: needs a period/],
    ['an unknown field', { metrics: ['opens'], groupBy: 'x' }, /unknown field\(s\): groupBy/],
    [
      'a log metric split by an event-only dimension',
      { dimensions: ['client'], metrics: ['delivered'] },
      /delivered count delivery logs, which have no client/,
    ],
    [
      'an event metric split by failure reason',
      { dimensions: ['failureReason'], metrics: ['opens'] },
      /opens count tracking events, which have no failureReason/,
    ],
    [
      'an unknown delivery',
      { metrics: ['opens'], filters: { deliveries: ['nosuchdelivery'] } },
      /filters\.deliveries: unknown id\(s\) nosuchdelivery/,
    ],
    ['a sort on something not asked', { metrics: ['opens'], sort: '-clicks' }, /sort: clicks is not among/],
  ])('answers 400 for %s', async (_, body, message) => {
    const res = await query(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('needs the reports permission', async () => {
    const reader = await app.adminTokenWith(['plugin::campaigns.read']);
    const res = await app
      .http()
      .post('/campaigns/reports/query')
      .set('Authorization', `Bearer ${reader}`)
      .send({ metrics: ['opens'] });
    expect(res.status).toBe(403);
  });
});

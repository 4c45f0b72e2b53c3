// The event-count rollup always equals the events: random scenarios (seeded, so a failure replays) are played
// through the real tracker and routes (opens, clicks, bursts that flag earlier clicks, bots, Apple's proxy, late
// events, unsubscriptions, mirror views, contact erasure, retention purges), and after every step each figure read
// from the rollups (event-count, message-count) is compared with the same figure computed from the tracking-log rows.
import { UID } from '../../shared/constants';
import { createDocumentId } from '../../server/src/platform/document-id';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { UA, mirrorPath, seedDelivery, unsubscribePath, type SeededDelivery } from '../helpers/fixtures';
import { countEvents, fillEventCounts } from '../../server/src/db/event-count-fill';
import { createEventCountStore, QUARTER_MS, EVENT_COUNTS } from '../../server/src/db/event-counts';
import { changesInKeyOrder } from '../../server/src/db/rollup-rows';
import { createMessageCountStore } from '../../server/src/db/message-counts';
import { modeOf, OVERLONG_PLACE, seenInOf } from '../../server/src/db/message-keys';
import { createPlaceCountStore, fillPlaceCounts, PLACE_COUNTS } from '../../server/src/db/place-counts';
import { inKeyOrder, type RollupCount } from '../../server/src/db/rollup-rows';
import { fillMessageCounts } from '../../server/src/db/message-count-fill';
import { fillDayCounts, fillMessageDays } from '../../server/src/db/message-day-fill';
import { createMessageDayStore } from '../../server/src/db/message-days';
import { DAY_COUNTS, HOUR_COUNTS } from '../../server/src/db/day-counts';
import { checkMessageDayRows, checkPeriodReports } from '../helpers/message-day-checks';
import { createEventCountReads } from '../../server/src/reporting/event-count-reads';
import { eventTotals, isCounted, type EventGroup, type EventType } from '../../server/src/reporting/event-totals';
import { fillTimeline, storedTime, type TimelinePoint } from '../../server/src/reporting/timeline';
import { knexOf, tableOf } from '../../server/src/db/tables';
import type { IndicatorsInclude } from '../../shared/contracts/monitoring';
import { reportQuerySchema } from '../../server/src/validation/reports';

const SEED = Number(process.env.EVENT_COUNTS_SEED ?? 20261204);
const STEPS = Number(process.env.EVENT_COUNTS_STEPS ?? 40);
const DAY_MS = 86_400_000;
const INCLUDES: IndicatorsInclude[] = [
  { bots: false, machine: false },
  { bots: true, machine: true },
  { bots: true, machine: false },
  { bots: false, machine: true },
];
const AGENTS = [UA.chromeWindows, UA.iphoneSafari, UA.applePrefetch, UA.gmailProxy, UA.outlookWindows, UA.scanner];

/** mulberry32: a small seeded generator, so that a failing scenario plays again with the same seed. */
const prng = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

interface RawEvent {
  deliveryLogId: number | null;
  trackedLinkId: number | null;
  device: string | null;
  client: string | null;
  type: EventType;
  at: Date;
  isBot: boolean;
  isMachineOpen: boolean;
}

describe('the event-count rollup equals the events', () => {
  let app: TestApp;
  let deliveries: SeededDelivery[];
  let listKey: string;
  const random = prng(SEED);
  // The period reports' own draws, so that the scenario of a seed stays the same.
  const checkRandom = prng(SEED + 1);
  const seen = { flaggedClicks: false, machineOpens: false, purged: false, unknownClients: false };
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const tracker = () => app.strapi.plugin('campaigns').service('tracker') as any;
  const indicators = () => app.strapi.plugin('campaigns').service('indicators') as any;
  const reports = () => app.strapi.plugin('campaigns').service('reports') as any;
  const hotClicks = () => app.strapi.plugin('campaigns').service('hot-clicks') as any;

  beforeAll(async () => {
    app = await bootTestApp({
      pluginConfig: { retention: { logsDays: 30, deliveriesDays: 0, inactiveAfterDeliveries: 0, batchSize: 7 } },
    });
    deliveries = [];
    for (const tag of ['a', 'b']) {
      deliveries.push(
        await seedDelivery(app.strapi, {
          tag: `rollup-${tag}-${SEED}`,
          recipients: 5,
          links: ['https://example.com/1', 'https://example.com/2', 'https://example.com/3'],
          sentSecondsAgo: 40 * 86_400,
        }),
      );
    }
    // Recipients on two domains, half of them from a list: the report builder's unique counts by domain and list
    // (the list dimension's key is the list's documentId, '' for none).
    const list = await app.strapi.db
      .query(UID.list)
      .create({ data: { documentId: createDocumentId(), name: `Rollup list ${SEED}`, publishedAt: new Date() } });
    listKey = list.documentId;
    for (const { logs } of deliveries)
      for (const [i, log] of logs.entries())
        await app.strapi.db.query(UID.deliveryLog).update({
          where: { id: log.id },
          data: { email: log.email.replace('@', `@d${i % 2}.`), listId: i % 2 === 0 ? list.id : null },
        });
  });

  afterAll(async () => {
    await app?.destroy();
  });

  const rawEvents = async (deliveryId: number): Promise<RawEvent[]> => {
    const rows = await app.strapi.db.query(UID.trackingLog).findMany({ where: { deliveryId } });
    return rows.map((row: any) => ({
      deliveryLogId: row.deliveryLogId ?? null,
      trackedLinkId: row.trackedLinkId ?? null,
      device: row.device ?? null,
      client: row.client ?? null,
      type: row.type,
      at: storedTime(row.at) as Date,
      isBot: row.isBot === true,
      isMachineOpen: row.isMachineOpen === true,
    }));
  };

  /** Event groups by GROUP BY over the tracking log, as the indicators read them before the rollup. */
  const rawGroups = async (deliveryId: number): Promise<EventGroup[]> => {
    const rows: Record<string, unknown>[] = await knexOf(app.strapi)('campaigns_tracking_logs')
      .where('delivery_id', deliveryId)
      .groupBy('type', 'is_bot', 'is_machine_open')
      .select('type', 'is_bot', 'is_machine_open')
      .count({ n: '*' });
    return rows.map((row) => ({
      type: row.type as EventType,
      isBot: row.is_bot === true || Number(row.is_bot) === 1,
      isMachineOpen: row.is_machine_open === true || Number(row.is_machine_open) === 1,
      n: Number(row.n),
    }));
  };

  /** Readers counted as pixel openers, as the indicators count them (log columns, or the open events when mixed). */
  const pixelOpeners = async (deliveryId: number, include: IndicatorsInclude, events: RawEvent[]) => {
    if (include.bots === include.machine) {
      const column = include.bots ? 'opens' : 'human_opens';
      const [row] = await knexOf(app.strapi)('campaigns_delivery_logs')
        .where('delivery_id', deliveryId)
        .where(column, '>', 0)
        .count({ n: '*' });
      return Number(row.n);
    }
    const readers = events.filter((e) => e.type === 'open' && e.deliveryLogId !== null && isCounted(e, include));
    return new Set(readers.map((e) => e.deliveryLogId)).size;
  };

  /** The message-count rollup computed from the events alone: per include mode, messages with a counted event, click,
   * click per link, event per device and client, open event, and implied opens per quarter of the first counted
   * event. */
  const rawMessageCounts = (deliveryId: number, events: RawEvent[]) => {
    const out = new Map<string, number>();
    const add = (key: string) => out.set(key, (out.get(key) ?? 0) + 1);
    for (const include of INCLUDES) {
      const mode = modeOf(include);
      const byLog = new Map<number, RawEvent[]>();
      for (const e of events) {
        if (e.deliveryLogId === null || !isCounted(e, include)) continue;
        byLog.set(e.deliveryLogId, [...(byLog.get(e.deliveryLogId) ?? []), e]);
      }
      for (const own of byLog.values()) {
        add(`${deliveryId}|${mode}|reacted|0|0|`);
        if (own.some((e) => e.type === 'click')) add(`${deliveryId}|${mode}|clicked|0|0|`);
        if (own.some((e) => e.type === 'unsubscribe')) add(`${deliveryId}|${mode}|unsubscribed|0|0|`);
        if (own.some((e) => e.type === 'mirror')) add(`${deliveryId}|${mode}|mirrored|0|0|`);
        if (own.some((e) => e.type === 'open')) add(`${deliveryId}|${mode}|pixel|0|0|`);
        else {
          const first = Math.min(...own.map((e) => e.at.getTime()));
          add(`${deliveryId}|${mode}|implied|${Math.floor(first / QUARTER_MS)}|0|`);
        }
        const links = new Set(own.filter((e) => e.type === 'click').map((e) => e.trackedLinkId ?? 0));
        for (const link of links) add(`${deliveryId}|${mode}|linkClicked|0|${link}|`);
        for (const place of new Set(own.map((e) => seenInOf(e)))) add(`${deliveryId}|${mode}|reactedIn|0|0|${place}`);
      }
    }
    return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  };

  /** Recipients with events and none counted under `include` (and the same among clicks), from the events alone. */
  const rawLeftOutRecipients = (events: RawEvent[], include: IndicatorsInclude) => {
    const of = (type: EventType | null) => {
      const own = events.filter((e) => e.deliveryLogId !== null && (type === null || e.type === type));
      const counted = new Set(own.filter((e) => isCounted(e, include)).map((e) => e.deliveryLogId));
      return new Set(own.map((e) => e.deliveryLogId).filter((id) => !counted.has(id))).size;
    };
    return { opens: of(null), clicks: of('click') };
  };

  /** The opens / clicks timeline computed from the events alone. */
  const rawTimeline = (events: RawEvent[], include: IndicatorsInclude, from: Date, to: Date): TimelinePoint[] => {
    const counted = events.filter((e) => isCounted(e, include));
    const points: TimelinePoint[] = [];
    const byLog = new Map<number, RawEvent[]>();
    for (const e of counted) {
      if (e.deliveryLogId !== null) byLog.set(e.deliveryLogId, [...(byLog.get(e.deliveryLogId) ?? []), e]);
      if ((e.type === 'open' || e.type === 'click') && e.at >= from && e.at < to)
        points.push({ at: e.at, opens: e.type === 'open' ? 1 : 0, clicks: e.type === 'click' ? 1 : 0 });
    }
    for (const own of byLog.values()) {
      if (own.some((e) => e.type === 'open')) continue;
      const first = new Date(Math.min(...own.map((e) => e.at.getTime())));
      if (first >= from && first < to) points.push({ at: first, opens: 1, clicks: 0 });
    }
    return fillTimeline(points, 'hour', { from, to: new Date(to.getTime() - 1) });
  };

  const check = async (step: string) => {
    const store = createEventCountStore(app.strapi);
    const reads = createEventCountReads(app.strapi);
    // The place counts: the rows each log's keys, list and domain give (db/place-counts.ts); the keys themselves are
    // compared with the events below, and the reports that read the place counts with the events' groups.
    const places = createPlaceCountStore(app.strapi);
    const keyed = (rows: RollupCount[]) =>
      rows.map((row) => [...PLACE_COUNTS.key, 'n'].map((attribute) => row[attribute]).join('|')).sort();
    expect({ step, places: keyed(await places.rows()) }).toEqual({
      step,
      places: keyed(inKeyOrder(await places.countsFromLogs(knexOf(app.strapi)), PLACE_COUNTS)),
    });
    for (const { deliveryId, links } of deliveries) {
      const context = `${step}, delivery ${deliveryId}, seed ${SEED}`;
      const { documentId } = await app.strapi.db.query(UID.delivery).findOne({ where: { id: deliveryId } });
      // The rollup rows themselves: the same counts per key as GROUP BY over the events.
      const truth = changesInKeyOrder(await countEvents(app.strapi, knexOf(app.strapi), deliveryId), EVENT_COUNTS);
      const stored = changesInKeyOrder(
        new Map((await store.rowsOf(deliveryId)).map((row, i) => [String(i), row])),
        EVENT_COUNTS,
      );
      expect({ context, rows: stored }).toEqual({ context, rows: truth });

      const events = await rawEvents(deliveryId);
      const messageRows = await createMessageCountStore(app.strapi).rowsOf(deliveryId);
      const storedMessages = messageRows
        .map((row): [string, number] => [
          `${row.deliveryId}|${row.mode}|${row.kind}|${row.quarter}|${row.trackedLinkId}|${row.seenIn}`,
          row.n,
        ])
        .sort(([a], [b]) => (a < b ? -1 : 1));
      expect({ context, messages: storedMessages }).toEqual({
        context,
        messages: rawMessageCounts(deliveryId, events),
      });
      await checkMessageDayRows(app.strapi, deliveryId, events, context);
      seen.flaggedClicks ||= events.some((e) => e.type === 'click' && e.isBot);
      seen.machineOpens ||= events.some((e) => e.isMachineOpen);
      const groups = await rawGroups(deliveryId);
      const now = Date.now();
      // A period cut inside quarter hours at both ends.
      const from = new Date(now - 45 * DAY_MS + Math.floor(random() * 5 * DAY_MS));
      const to = new Date(now - Math.floor(random() * 2 * DAY_MS));
      for (const include of INCLUDES) {
        const totals = eventTotals(groups, include);
        const { indicators: got, leftOut } = await indicators().compute(deliveryId, include);
        const implied = Math.max(0, got.uniqueOpens - (await pixelOpeners(deliveryId, include, events)));
        expect({
          context,
          include,
          opens: got.opens,
          clicks: got.clicks,
          leftOut: { ...leftOut, recipients: 0 },
        }).toEqual({
          context,
          include,
          opens: totals.opens + implied,
          clicks: totals.clicks,
          leftOut: { ...totals.leftOut, recipients: 0 },
        });
        expect([got.unsubscriptions, got.mirrorViews]).toEqual([totals.unsubscriptions, totals.mirrorViews]);
        if (include.bots !== include.machine) {
          // The mixed modes' left-out recipients (the others come from the delivery-log columns).
          expect({ context, include, recipients: leftOut.recipients }).toEqual({
            context,
            include,
            recipients: rawLeftOutRecipients(events, include),
          });
        }

        // The report builder over all time, by delivery: read from the rollups (reporting/report-rollups.ts).
        const countedEvents = events.filter((e) => isCounted(e, include));
        const of = (type: EventType) => countedEvents.filter((e) => e.type === type).length;
        const messagesWith = (type?: EventType) =>
          new Set(
            countedEvents
              .filter((e) => e.deliveryLogId !== null && (!type || e.type === type))
              .map((e) => e.deliveryLogId),
          ).size;
        const expectedReport = {
          opens: of('open') + messagesWith() - messagesWith('open'),
          clicks: of('click'),
          uniqueOpens: messagesWith(),
          uniqueClicks: messagesWith('click'),
          unsubscriptions: of('unsubscribe'),
          mirrorViews: of('mirror'),
          uniqueUnsubscriptions: messagesWith('unsubscribe'),
          uniqueMirrorViews: messagesWith('mirror'),
        };
        const { data: report } = await reports().query(
          reportQuerySchema.parse({
            dimensions: ['delivery'],
            metrics: Object.keys(expectedReport),
            filters: { deliveries: [documentId] },
            include,
          }),
        );
        expect({ context, include, rows: report.rows.map((row: any) => row.metrics), totals: report.totals }).toEqual({
          context,
          include,
          rows: countedEvents.length ? [expectedReport] : [],
          totals: expectedReport,
        });

        // Unique counts by recipient domain and by list: from each delivery log's keys (reporting/report-rollups.ts).
        const logs = await app.strapi.db
          .query(UID.deliveryLog)
          .findMany({ where: { deliveryId }, select: ['id', 'email', 'listId'] });
        for (const [dimension, of] of [
          ['domain', (log: any) => log.email.split('@')[1].toLowerCase()],
          ['list', (log: any) => (log.listId === null ? '' : listKey)],
        ] as const) {
          const groupOf = new Map(logs.map((log: any) => [Number(log.id), of(log)]));
          const expected = new Map<unknown, Record<string, Set<number>>>();
          for (const e of countedEvents) {
            if (e.deliveryLogId === null || !groupOf.has(e.deliveryLogId)) continue;
            const group = groupOf.get(e.deliveryLogId);
            const sets = expected.get(group) ?? {
              uniqueOpens: new Set(),
              uniqueClicks: new Set(),
              uniqueUnsubscriptions: new Set(),
            };
            expected.set(group, sets);
            sets.uniqueOpens.add(e.deliveryLogId);
            if (e.type === 'click') sets.uniqueClicks.add(e.deliveryLogId);
            if (e.type === 'unsubscribe') sets.uniqueUnsubscriptions.add(e.deliveryLogId);
          }
          const uniques = ['uniqueOpens', 'uniqueClicks', 'uniqueUnsubscriptions'];
          // Unique counts alone (groups with a counted event), then with a delivery-log count (every group with logs).
          for (const metrics of [uniques, [...uniques, 'targeted']]) {
            const { data: byGroup } = await reports().query(
              reportQuerySchema.parse({
                dimensions: [dimension],
                metrics,
                filters: { deliveries: [documentId] },
                include,
              }),
            );
            const got = byGroup.rows
              .map((row: any) => [row.dimensions[0].key, row.metrics])
              .sort((a: any, b: any) => String(a[0]).localeCompare(String(b[0])));
            const groups = metrics.includes('targeted') ? new Set(groupOf.values()) : new Set(expected.keys());
            const want = [...groups]
              .map((group) => {
                const sets: Record<string, Set<number>> | undefined = expected.get(group);
                const row = Object.fromEntries(uniques.map((m) => [m, sets?.[m].size ?? 0]));
                if (metrics.includes('targeted'))
                  row.targeted = [...groupOf.values()].filter((value) => value === group).length;
                return [group, row];
              })
              .sort((a: any, b: any) => String(a[0]).localeCompare(String(b[0])));
            expect({ context, include, dimension, metrics, rows: got }).toEqual({
              context,
              include,
              dimension,
              metrics,
              rows: want,
            });
          }
        }

        // Clicks and unique clicks by tracked link (the "URLs and click streams" report), alone and with the delivery:
        // the rollups' link rows. Clicks without a link are the "No link" row.
        const perLink = new Map<string, { clicks: number; clickers: Set<number> }>();
        for (const e of countedEvents) {
          if (e.type !== 'click') continue;
          const key = e.trackedLinkId === null ? '' : String(e.trackedLinkId);
          const found = perLink.get(key) ?? { clicks: 0, clickers: new Set<number>() };
          found.clicks += 1;
          if (e.deliveryLogId !== null) found.clickers.add(e.deliveryLogId);
          perLink.set(key, found);
        }
        for (const dimensions of [['link'], ['delivery', 'link']]) {
          const { data: byLink } = await reports().query(
            reportQuerySchema.parse({
              dimensions,
              metrics: ['clicks', 'uniqueClicks'],
              filters: { deliveries: [documentId] },
              include,
            }),
          );
          const got = byLink.rows
            .map((row: any) => [row.dimensions.at(-1).key, row.metrics])
            .sort((a: any, b: any) => String(a[0]).localeCompare(String(b[0])));
          const want = [...perLink]
            .map(([key, { clicks, clickers }]) => [key, { clicks, uniqueClicks: clickers.size }])
            .sort((a: any, b: any) => String(a[0]).localeCompare(String(b[0])));
          expect({ context, include, dimensions, rows: got, totals: byLink.totals }).toEqual({
            context,
            include,
            dimensions,
            rows: want,
            totals: { clicks: of('click'), uniqueClicks: messagesWith('click') },
          });
        }

        // Unique opens by device and mail client (the "Devices and email clients" report), alone and with the
        // delivery: the rollup's reactedIn rows, a message once per device and client it was seen in.
        const perPlace = new Map<string, Set<number>>();
        for (const e of countedEvents) {
          if (e.deliveryLogId === null) continue;
          const key = JSON.stringify([e.client ?? '', e.device ?? '']);
          perPlace.set(key, (perPlace.get(key) ?? new Set<number>()).add(e.deliveryLogId));
        }
        for (const dimensions of [
          ['client', 'device'],
          ['delivery', 'device', 'client'],
        ]) {
          const { data: byPlace } = await reports().query(
            reportQuerySchema.parse({
              dimensions,
              metrics: ['uniqueOpens'],
              filters: { deliveries: [documentId] },
              include,
            }),
          );
          const keyOf = (row: any) =>
            JSON.stringify(['client', 'device'].map((name) => row.dimensions[dimensions.indexOf(name)].key));
          const got = byPlace.rows.map((row: any) => [keyOf(row), row.metrics.uniqueOpens]).sort();
          const want = [...perPlace].map(([key, messages]) => [key, messages.size]).sort();
          expect({ context, include, dimensions, rows: got, totals: byPlace.totals }).toEqual({
            context,
            include,
            dimensions,
            rows: want,
            totals: { uniqueOpens: messagesWith() },
          });
        }
        // Unique opens by client and domain, by device and list, by both and domain: the place counts
        // (reporting/report-place-counts.ts), a message once per group its events were seen in.
        const logOf = new Map(logs.map((log: any) => [Number(log.id), log]));
        for (const dimensions of [
          ['client', 'domain'],
          ['device', 'list'],
          ['delivery', 'domain', 'client'],
          ['device', 'client', 'domain'],
        ]) {
          const valueOf = (name: string, e: RawEvent, log: any): string => {
            if (name === 'client') return e.client ?? '';
            if (name === 'device') return e.device ?? '';
            if (name === 'domain') return log.email.split('@')[1].toLowerCase();
            if (name === 'list') return log.listId === null ? '' : listKey;
            return documentId;
          };
          const perGroup = new Map<string, Set<number>>();
          for (const e of countedEvents) {
            const log = e.deliveryLogId === null ? undefined : logOf.get(e.deliveryLogId);
            if (!log) continue;
            const key = JSON.stringify(dimensions.map((name) => valueOf(name, e, log)));
            perGroup.set(key, (perGroup.get(key) ?? new Set<number>()).add(e.deliveryLogId!));
          }
          const { data: byGroup } = await reports().query(
            reportQuerySchema.parse({
              dimensions,
              metrics: ['uniqueOpens'],
              filters: { deliveries: [documentId] },
              include,
            }),
          );
          const got = byGroup.rows
            .map((row: any) => [JSON.stringify(row.dimensions.map((d: any) => d.key)), row.metrics.uniqueOpens])
            .sort();
          const want = [...perGroup].map(([key, messages]) => [key, messages.size]).sort();
          expect({ context, include, dimensions, rows: got }).toEqual({ context, include, dimensions, rows: want });
        }
        seen.unknownClients ||= countedEvents.some((e) => e.client === null);

        // Hot clicks' unique clickers of the delivery: the message-count rollup's clicked messages.
        const hot = await hotClicks().forDelivery(documentId, { mode: 'unique', include });
        expect({ context, include, uniqueClickers: hot.data.totals.uniqueClicks }).toEqual({
          context,
          include,
          uniqueClickers: messagesWith('click'),
        });

        const clicks = await reads.clicksByLink(deliveryId, include);
        for (const link of links) {
          const expected = events.filter((e) => e.trackedLinkId === link.id && isCounted(e, include)).length;
          expect({ context, include, link: link.id, clicks: clicks.get(link.id) ?? 0 }).toEqual({
            context,
            include,
            link: link.id,
            clicks: expected,
          });
        }

        const timeline = await indicators().timeline(deliveryId, { bucket: 'hour', include, from, to });
        const expectedTimeline = rawTimeline(events, include, from, to);
        const differing = timeline.filter(
          (point: TimelinePoint, i: number) =>
            point.opens !== expectedTimeline[i]?.opens || point.clicks !== expectedTimeline[i]?.clicks,
        );
        expect({ context, include, length: timeline.length, differing }).toEqual({
          context,
          include,
          length: expectedTimeline.length,
          differing: [],
        });
      }
    }
    // Reports over a period, from the message-day and event-count rollups (reporting/report-message-days.ts).
    const documentIds = (
      await app.strapi.db
        .query(UID.delivery)
        .findMany({ where: { id: { $in: deliveries.map((d) => d.deliveryId) } }, select: ['documentId'] })
    ).map((row: any) => row.documentId);
    const anyLog = await app.strapi.db.query(UID.deliveryLog).findOne({ where: { id: deliveries[0].logs[0].id } });
    for (const include of INCLUDES) {
      await checkPeriodReports(app.strapi, {
        deliveries: documentIds,
        domain: anyLog.email.split('@')[1].toLowerCase(),
        include,
        random: checkRandom,
        context: `${step}, seed ${SEED}`,
      });
    }
  };

  const hit = (type: 'open' | 'click' | 'mirror', delivery: SeededDelivery, at: Date, linkId?: number) =>
    tracker().record({
      type,
      deliveryId: delivery.deliveryId,
      deliveryLogId: pick(delivery.logs).id,
      trackedLinkId: linkId ?? null,
      at,
      userAgent: pick(AGENTS),
      // Now and then from Apple's network: a machine open whatever the user agent.
      ip: random() < 0.15 ? '17.58.63.1' : `203.0.113.${Math.floor(random() * 200)}`,
    });

  /** A time in the last 40 days (older than the 30 days kept: a late event the next purge removes), or just now. */
  const someTime = () => (random() < 0.4 ? new Date() : new Date(Date.now() - Math.floor(random() * 40 * DAY_MS)));

  const actions: Array<[string, () => Promise<unknown>]> = [
    ['opens', () => Promise.all(Array.from({ length: 4 }, () => hit('open', pick(deliveries), someTime())))],
    [
      'clicks',
      () =>
        Promise.all(
          Array.from({ length: 4 }, () => {
            const delivery = pick(deliveries);
            return hit('click', delivery, someTime(), pick(delivery.links).id);
          }),
        ),
    ],
    [
      'a burst flagging earlier clicks',
      async () => {
        const delivery = pick(deliveries);
        const log = pick(delivery.logs);
        const start = Date.now() - Math.floor(random() * 3 * DAY_MS);
        // One click stored first, the others in later batches: the burst flags the stored one afterwards.
        for (const [i, link] of delivery.links.entries()) {
          await tracker().record({
            type: 'click',
            deliveryId: delivery.deliveryId,
            deliveryLogId: log.id,
            trackedLinkId: link.id,
            at: new Date(start + i * 700),
            userAgent: UA.chromeWindows,
            ip: '198.51.100.7',
          });
        }
      },
    ],
    ['a mirror view', () => hit('mirror', pick(deliveries), someTime())],
    [
      'routes',
      async () => {
        const delivery = pick(deliveries);
        const log = pick(delivery.logs);
        await app
          .http()
          .get(mirrorPath(app.strapi, delivery.deliveryId, log.id))
          .set('User-Agent', pick(AGENTS));
        await app
          .http()
          .post(unsubscribePath(app.strapi, delivery.deliveryId, log.id))
          .type('form')
          .send('List-Unsubscribe=One-Click');
      },
    ],
    [
      'a contact erased',
      async () => {
        const delivery = pick(deliveries);
        const log = pick(delivery.logs);
        const contact = await app.strapi.db.query(UID.contact).findOne({ where: { id: log.contactId } });
        if (!contact || contact.email.includes('erased')) return;
        const data = app.strapi.plugin('campaigns').service('contact-data') as any;
        await data.erase(contact.documentId, contact.email);
      },
    ],
    [
      'a retention purge',
      async () => {
        const report = await (app.strapi.plugin('campaigns').service('retention') as any).runNow();
        seen.purged ||= report.trackingLogs > 0;
      },
    ],
  ];

  it(`plays ${STEPS} random steps (seed ${SEED}) and checks every figure after each`, async () => {
    await check('start');
    for (let step = 0; step < STEPS; step += 1) {
      const [name, action] = pick(actions);
      await action();
      await check(`step ${step + 1} (${name})`);
    }
    // The scenario did what it is about: flagged clicks, machine opens and purged events happened.
    expect(seen).toEqual({ flaggedClicks: true, machineOpens: true, purged: true, unknownClients: true });
  }, 120_000);

  it('stays equal when the purge deletes events of a delivery log already purged', async () => {
    // Retention deletes the logs of finished deliveries older than the cutoff; a late event of one of them outlives
    // its log row. Its open is older than the cutoff, its click is not: the purge takes the open only.
    const delivery = deliveries[0];
    const log = delivery.logs[delivery.logs.length - 1];
    const human = { deliveryId: delivery.deliveryId, deliveryLogId: log.id, userAgent: UA.chromeWindows };
    await tracker().record({ ...human, type: 'open', at: new Date(Date.now() - 35 * DAY_MS), ip: '203.0.113.9' });
    await tracker().record({
      ...human,
      type: 'click',
      trackedLinkId: delivery.links[0].id,
      at: new Date(Date.now() - 1000),
      ip: '203.0.113.9',
    });
    await check('before the log purge');
    // A log older than the cutoff: the purge deletes it (its place counts out with it), and its old open.
    await knexOf(app.strapi)('campaigns_delivery_logs')
      .where('id', log.id)
      .update({ created_at: new Date(Date.now() - 40 * DAY_MS) });
    const report = await (app.strapi.plugin('campaigns').service('retention') as any).runNow();
    expect(report.trackingLogs).toBeGreaterThan(0);
    expect(report.deliveryLogs).toBe(1);
    await check('after a purge of events whose log is gone');
  });

  it("stays equal with an application's event whose device and client are too long for the rollup's place", async () => {
    // Written through Strapi's query engine (the lifecycle hooks count it): the rollup holds it as the overlong place,
    // and the report by device and client reads the events instead (check() compares it with them).
    const delivery = deliveries[1];
    await app.strapi.db.query(UID.trackingLog).create({
      data: {
        type: 'open',
        deliveryId: delivery.deliveryId,
        deliveryLogId: delivery.logs[0].id,
        at: new Date(),
        device: 'desktop',
        // 250 characters: the tracking log's column holds 255, the place adds the device and its signs.
        client: "An application's own client".padEnd(250, '.'),
        isBot: false,
        isMachineOpen: false,
      },
    });
    const rows = await createMessageCountStore(app.strapi).rowsOf(delivery.deliveryId);
    expect(rows.some((row) => row.kind === 'reactedIn' && row.seenIn === OVERLONG_PLACE && row.n > 0)).toBe(true);
    await check('an overlong device and client');
  });

  it('stays equal for a message seen in 26 places', async () => {
    // Not the delivery of the overlong place above, whose report reads the events.
    const delivery = deliveries[0];
    const log = delivery.logs[3];
    await app.strapi.db.query(UID.trackingLog).createMany({
      data: Array.from({ length: 26 }, (_, i) => ({
        type: i % 2 ? 'open' : 'click',
        deliveryId: delivery.deliveryId,
        deliveryLogId: log.id,
        at: new Date(Date.now() - i * 60_000),
        device: i % 3 ? 'mobile' : 'desktop',
        client: `Client ${i}`,
        isBot: false,
        isMachineOpen: i === 5,
      })),
    });
    const rows = await createPlaceCountStore(app.strapi).rows();
    const clients = rows.filter(
      (row) => row.deliveryId === delivery.deliveryId && row.mode === 3 && String(row.name).startsWith('=Client '),
    );
    expect(clients).toHaveLength(26);
    await check('a message seen in 26 places');
  });

  it('stays equal when delivery logs change address or list, or are deleted, through the query engine', async () => {
    const delivery = deliveries[1];
    const logs = await app.strapi.db.query(UID.deliveryLog).findMany({
      where: { deliveryId: delivery.deliveryId, countedAs: { $notNull: true } },
      select: ['id', 'email', 'listId'],
      orderBy: { id: 'asc' },
      limit: 3,
    });
    expect(logs).toHaveLength(3);
    const [moved, relisted, deleted] = logs;
    await app.strapi.db
      .query(UID.deliveryLog)
      .update({ where: { id: moved.id }, data: { email: moved.email.replace(/@.*/, '@moved.example') } });
    const list = await app.strapi.db.query(UID.list).findOne({ where: { documentId: listKey } });
    await app.strapi.db.query(UID.deliveryLog).updateMany({
      where: { id: relisted.id },
      data: { listId: relisted.listId === null ? list.id : null },
    });
    await app.strapi.db.query(UID.deliveryLog).delete({ where: { id: deleted.id } });
    const domains = (await createPlaceCountStore(app.strapi).rows()).map((row) => row.domain);
    expect(domains).toContain('=moved.example');
    await check('logs changed and deleted through the query engine');
  });

  it('is filled from the stored events once, by one of several processes booting together', async () => {
    const store = createEventCountStore(app.strapi);
    const knex = knexOf(app.strapi);
    // As an install upgraded from a version without the rollup: events stored, no rollup row, no marker.
    await knex(store.table().table).delete();
    await knex(createMessageCountStore(app.strapi).table().table).delete();
    await knex(createMessageDayStore(app.strapi).table().table).delete();
    await knex('campaigns_delivery_logs').update({ counted_as: null });
    const [first, second] = await Promise.all([fillEventCounts(app.strapi), fillEventCounts(app.strapi)]);
    const [firstMessages, secondMessages] = await Promise.all([
      fillMessageCounts(app.strapi),
      fillMessageCounts(app.strapi),
    ]);
    expect([firstMessages, secondMessages].filter((n) => n === null)).toHaveLength(1);
    expect(await fillMessageCounts(app.strapi)).toBeNull();
    const events = await knex('campaigns_tracking_logs').count({ n: '*' });
    expect([first, second].sort()).toEqual([Number(events[0].n), null].sort());
    expect(await fillEventCounts(app.strapi)).toBeNull();
    const [firstDays, secondDays] = await Promise.all([fillMessageDays(app.strapi), fillMessageDays(app.strapi)]);
    expect([firstDays, secondDays].filter((n) => n === null)).toHaveLength(1);
    expect(await fillMessageDays(app.strapi)).toBeNull();
    // The message-count fill computed the place counts again and left their marker.
    expect(await fillPlaceCounts(app.strapi)).toBeNull();
    await check('filled from the events');
  });

  it('fills the place counts once from the logs, as an install upgraded from a version without them', async () => {
    const knex = knexOf(app.strapi);
    await knex(tableOf(app.strapi, UID.placeCount).table).delete();
    const filled = await Promise.all([fillPlaceCounts(app.strapi), fillPlaceCounts(app.strapi)]);
    expect(filled.filter((n) => n === null)).toHaveLength(1);
    expect(filled.find((n) => n !== null)).toBeGreaterThan(0);
    expect(await fillPlaceCounts(app.strapi)).toBeNull();
    await check('place counts filled from the logs');
  });

  it('is filled again by a version whose message keys differ (the marker holds the keys version)', async () => {
    const knex = knexOf(app.strapi);
    const messages = createMessageCountStore(app.strapi).table().table;
    // As version 1 left it: its marker (quarter 0), keys without unsubscriptions and mirror views, no kinds' bits.
    await knex(messages).where('delivery_id', 0).update({ quarter: 0 });
    await knex(messages).whereIn('kind', ['unsubscribed', 'mirrored']).delete();
    await knex('campaigns_delivery_logs')
      .whereNotNull('counted_as')
      .update({ counted_as: knex.raw("REPLACE(REPLACE(counted_as, 'u', ''), 'm', '')"), counted_kinds: null });
    expect(await fillMessageCounts(app.strapi)).toBeGreaterThan(0);
    expect(await fillMessageCounts(app.strapi)).toBeNull();
    await check('filled again for keys of another version');
  });

  it('fills the message days again over rows of a version without their latest days', async () => {
    const knex = knexOf(app.strapi);
    const days = createMessageDayStore(app.strapi).table().table;
    // As the version before left it: its marker (day 0), and no row saying which day is a message's latest.
    await knex(days).where('delivery_log_id', 0).update({ day: 0 });
    await knex(days).update({ latest: 0 });
    expect(await fillMessageDays(app.strapi)).toBeGreaterThan(0);
    expect(await fillMessageDays(app.strapi)).toBeNull();
    await check('message days filled again for rows of another version');
  });

  /** Two processes booting together: one sums every message-day row, the other finds the markers; none sums again. */
  const expectSummedOnce = async () => {
    const [first, second] = await Promise.all([fillDayCounts(app.strapi), fillDayCounts(app.strapi)]);
    const rows = await knexOf(app.strapi)(createMessageDayStore(app.strapi).table().table)
      .where('delivery_id', '>', 0)
      .count({ n: '*' });
    expect([first, second].sort()).toEqual([Number(rows[0].n), null].sort());
    expect(await fillDayCounts(app.strapi)).toBeNull();
  };

  it('sums the day counts from the stored message days of a version without them, once', async () => {
    const knex = knexOf(app.strapi);
    // As the version before left it: message days, and no day count, not even the fill's marker.
    await knex(tableOf(app.strapi, DAY_COUNTS.uid).table).delete();
    await expectSummedOnce();
    await check('day counts summed from the message days');
  });

  it('sums the hour counts from the stored message days of a version with day counts only, once', async () => {
    const knex = knexOf(app.strapi);
    const dayCounts = tableOf(app.strapi, DAY_COUNTS.uid).table;
    // As the version before left it: day counts, and no hour count, not even the fill's marker.
    await knex(tableOf(app.strapi, HOUR_COUNTS.uid).table).delete();
    const before = await knex(dayCounts).orderBy('id');
    await expectSummedOnce();
    // The day counts, filled already, are left as they were.
    expect(await knex(dayCounts).orderBy('id')).toEqual(before);
    await check('hour counts summed from the message days');
  });
});

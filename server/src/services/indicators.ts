// Delivery indicators and the opens / clicks timeline, counted in the database (GROUP BY, never row by row in JS)
// and turned into rates by lib/indicators.ts.
//
// Where each number comes from:
// - statuses: an index-only GROUP BY on (delivery_id, status); the hard / soft split reads the failed and bounced
//   rows only.
// - unique opens / clicks / unsubscriptions with every event counted: the delivery-log columns the tracker maintains
//   (firstOpenedAt: the first event of any kind, click / unsubscribe / mirror included; firstClickedAt;
//   unsubscribedAt), counted in one read of the delivery's logs.
// - with bots and machine opens left out (the default): the same columns minus the recipients who count only
//   through left-out events. Those are found from the flagged events alone (COUNT(DISTINCT delivery_log_id) with a
//   NOT EXISTS on the events' delivery_log_id index for a counted event), so the distinct work grows with the flagged
//   events, not with all of them. The totals still read every event of the delivery once, because the flags are not
//   in an index: see bench/README.md for the figures.
// - totals (opens, clicks, ...) are events: with everything included an index-only COUNT per type on
//   (delivery_id, type, at).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import { UID, type DeliveryStatus } from '../constants';
import { computeIndicators, emptyIndicatorCounts, type IndicatorCounts, type Indicators } from '../lib/indicators';
import { fillTimeline, parseBucketStart, type TimelineBucket, type TimelinePoint } from '../lib/timeline';
import type { IndicatorsInclude, LeftOut } from '../../../shared/contracts/monitoring';
import { dbClient, knexOf, quoteIdentifier, tableOf, toCount } from '../utils/tables';

export interface DeliveryRef {
  id: number;
  documentId: string;
  name: string;
  status: DeliveryStatus;
}

/** Counts of a delivery's logs by outcome and the engagement columns (every event counted). */
export interface LogCounts {
  targeted: number;
  excluded: number;
  pending: number;
  /** Pending recipients that failed softly and wait for their next attempt. */
  retrying: number;
  sent: number;
  failedHard: number;
  failedSoft: number;
  bounced: number;
  bouncedHard: number;
  bouncedSoft: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
}

export const ALL_INCLUDED: IndicatorsInclude = { bots: true, machine: true };
export const NONE_INCLUDED: IndicatorsInclude = { bots: false, machine: false };

const emptyLogCounts = (): LogCounts => ({
  targeted: 0,
  excluded: 0,
  pending: 0,
  retrying: 0,
  sent: 0,
  failedHard: 0,
  failedSoft: 0,
  bounced: 0,
  bouncedHard: 0,
  bouncedSoft: 0,
  opened: 0,
  clicked: 0,
  unsubscribed: 0,
});

const ID_CHUNK = 500;
const QUARTER_HOUR_MS = 15 * 60 * 1000;

const createIndicatorsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => knexOf(strapi);
  const logs = () => tableOf(strapi, UID.deliveryLog);
  const events = () => tableOf(strapi, UID.trackingLog);
  /** A tracking-log column quoted for raw SQL. */
  const eventColumn = (attribute: string) => quoteIdentifier(strapi, events().column(attribute));

  /** SQL that is true for an event counted under `include` (flags may be NULL on rows written by older code). */
  const countedEvent = (include: IndicatorsInclude, alias?: string): string => {
    const e = (attribute: string) => (alias ? `${alias}.` : '') + eventColumn(attribute);
    const parts: string[] = [];
    if (!include.bots) parts.push(`${e('isBot')} IS NOT TRUE`);
    if (!include.machine) parts.push(`${e('isMachineOpen')} IS NOT TRUE`);
    return parts.length ? `(${parts.join(' AND ')})` : '(1 = 1)';
  };

  /**
   * Runs a query with PostgreSQL's JIT compiler off. The NOT EXISTS sub-plans of the events pass make the planner's
   * cost estimate (not the work: a few ms) cross jit_above_cost, and compiling the query then took 250 ms of a 290 ms
   * answer on 100,000 events. SET LOCAL only lasts for this transaction.
   */
  const withoutJit = async <T>(query: (db: Knex | Knex.Transaction) => Promise<T> | Knex.QueryBuilder): Promise<T> => {
    if (dbClient(strapi) !== 'postgres') return (await query(knex())) as T;
    return knex().transaction(async (trx) => {
      await trx.raw('SET LOCAL jit = off');
      return (await query(trx)) as T;
    });
  };

  /**
   * Counts per delivery. Statuses come from an index-only GROUP BY on (delivery_id, status); the hard / soft split
   * reads only the failed and bounced rows, the retry count only pending rows that failed once; the engagement
   * columns (a read of every log of the delivery) only when asked for.
   */
  const logCounts = async (deliveryIds: number[], options: { engagement?: boolean } = {}): Promise<Map<number, LogCounts>> => {
    const out = new Map<number, LogCounts>(deliveryIds.map((id) => [id, emptyLogCounts()]));
    const { table, column: c } = logs();
    const deliveryId = c('deliveryId');
    const status = c('status');
    const failureType = c('failureType');
    for (let start = 0; start < deliveryIds.length; start += ID_CHUNK) {
      const ids = deliveryIds.slice(start, start + ID_CHUNK);
      const [byStatus, failures, retrying, engagement] = await Promise.all([
        knex()(table).whereIn(deliveryId, ids).groupBy(deliveryId, status).select({ deliveryId, status }).count({ n: '*' }),
        knex()(table)
          .whereIn(deliveryId, ids)
          .whereIn(status, ['failed', 'bounced'])
          .groupBy(deliveryId, status, failureType)
          .select({ deliveryId, status, failureType })
          .count({ n: '*' }),
        knex()(table)
          .whereIn(deliveryId, ids)
          .where(status, 'pending')
          .whereNotNull(failureType)
          .groupBy(deliveryId)
          .select({ deliveryId })
          .count({ n: '*' }),
        options.engagement
          ? knex()(table)
              .whereIn(deliveryId, ids)
              .groupBy(deliveryId)
              .select({ deliveryId })
              .count({ opened: c('firstOpenedAt') })
              .count({ clicked: c('firstClickedAt') })
              .count({ unsubscribed: c('unsubscribedAt') })
          : [],
      ]);
      const countsOf = (row: any) => out.get(Number(row.deliveryId));
      for (const row of byStatus as any[]) {
        const counts = countsOf(row);
        if (!counts) continue;
        const n = toCount(row.n);
        counts.targeted += n;
        if (row.status === 'excluded') counts.excluded += n;
        else if (row.status === 'pending') counts.pending += n;
        else if (row.status === 'sent') counts.sent += n;
      }
      for (const row of failures as any[]) {
        const counts = countsOf(row);
        if (!counts) continue;
        const n = toCount(row.n);
        if (row.status === 'failed') {
          // 'ignored' failures are not the recipient's fault; Adobe counts them with the soft ones.
          if (row.failureType === 'hard') counts.failedHard += n;
          else counts.failedSoft += n;
        } else {
          counts.bounced += n;
          // A bounce of unknown type counts as hard (see lib/indicators.ts).
          if (row.failureType === 'soft') counts.bouncedSoft += n;
          else counts.bouncedHard += n;
        }
      }
      for (const row of retrying as any[]) {
        const counts = countsOf(row);
        if (counts) counts.retrying += toCount(row.n);
      }
      for (const row of engagement as any[]) {
        const counts = countsOf(row);
        if (!counts) continue;
        counts.opened += toCount(row.opened);
        counts.clicked += toCount(row.clicked);
        counts.unsubscribed += toCount(row.unsubscribed);
      }
    }
    return out;
  };

  /**
   * Event totals of one delivery and, when some events are left out, the recipients who count only through
   * left-out events. Unique counts are then the delivery-log columns (every event) minus those recipients: the
   * distinct work is done over the flagged events only, each checked against the delivery-log index of the events
   * for a counted one. Every event of the delivery is still read once for the totals (the flags are not indexed).
   */
  const eventCounts = async (deliveryId: number, include: IndicatorsInclude) => {
    const { table, column: e } = events();
    const type = e('type');
    const logId = e('deliveryLogId');
    const mirrorQuery = () => knex()(table).where(e('deliveryId'), deliveryId).andWhere(type, 'mirror');
    if (include.bots && include.machine) {
      const [byType, [mirror]] = await Promise.all([
        knex()(table).where(e('deliveryId'), deliveryId).groupBy(type).select({ type }).count({ n: '*' }),
        mirrorQuery().countDistinct({ n: logId }),
      ]);
      const total = (t: string) => toCount((byType as any[]).find((row) => row.type === t)?.n);
      return {
        opens: total('open'),
        clicks: total('click'),
        unsubscriptions: total('unsubscribe'),
        mirrorViews: total('mirror'),
        uniqueMirrorViews: toCount((mirror as any)?.n),
        leftOut: {
          events: 0,
          bots: 0,
          machineOpens: 0,
          recipients: { opens: 0, clicks: 0 },
        },
      };
    }

    const counted = countedEvent(include, 't');
    const countedU = countedEvent(include, 'u');
    const t = (attribute: string) => `t.${eventColumn(attribute)}`;
    const u = (attribute: string) => `u.${eventColumn(attribute)}`;
    const leftOutAsBot = include.bots ? '(1 = 0)' : `${t('isBot')} IS TRUE`;
    const sum = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
    /**
     * Recipients with a left-out event (of this type) and no counted one (of this type). The NOT EXISTS runs only
     * for left-out events (CASE evaluates it after the cheap conditions), on the events' delivery_log_id index.
     */
    const leftOutRecipients = (ofType: string | null) => {
      const sameType = (column: (a: string) => string) => (ofType ? ` AND ${column('type')} = '${ofType}'` : '');
      return (
        `COUNT(DISTINCT CASE WHEN NOT ${counted} AND ${t('deliveryLogId')} IS NOT NULL${sameType(t)} AND NOT EXISTS (` +
        `SELECT 1 FROM ${quoteIdentifier(strapi, table)} u WHERE ${u('deliveryLogId')} = ${t('deliveryLogId')}${sameType(u)} AND ${countedU}` +
        `) THEN ${t('deliveryLogId')} END)`
      );
    };
    // One pass over the delivery's events. Column names come from Strapi's metadata and event types are our
    // constants: nothing here is user input.
    const [[totals], [mirror]]: any[] = await Promise.all([
      withoutJit((db) =>
        db(`${table} as t`)
          .where(`t.${e('deliveryId')}`, deliveryId)
          .select(
            knex().raw(
              [
                `${sum(`${t('type')} = 'open' AND ${counted}`)} AS opens`,
                `${sum(`${t('type')} = 'click' AND ${counted}`)} AS clicks`,
                `${sum(`${t('type')} = 'unsubscribe' AND ${counted}`)} AS unsubscriptions`,
                `${sum(`${t('type')} = 'mirror' AND ${counted}`)} AS mirror_views`,
                `${sum(`NOT ${counted}`)} AS left_out`,
                `${sum(`NOT ${counted} AND ${leftOutAsBot}`)} AS left_out_bots`,
                `${leftOutRecipients(null)} AS left_out_openers`,
                `${leftOutRecipients('click')} AS left_out_clickers`,
              ].join(', ')
            )
          )
      ),
      mirrorQuery().whereRaw(countedEvent(include)).countDistinct({ n: logId }),
    ]);
    const leftOut = toCount(totals?.left_out);
    const bots = toCount(totals?.left_out_bots);
    return {
      opens: toCount(totals?.opens),
      clicks: toCount(totals?.clicks),
      unsubscriptions: toCount(totals?.unsubscriptions),
      mirrorViews: toCount(totals?.mirror_views),
      uniqueMirrorViews: toCount(mirror?.n),
      leftOut: {
        events: leftOut,
        bots,
        machineOpens: leftOut - bots,
        recipients: {
          opens: toCount(totals?.left_out_openers),
          clicks: toCount(totals?.left_out_clickers),
        },
      },
    };
  };

  const toIndicatorCounts = (counts: LogCounts): IndicatorCounts => ({
    ...emptyIndicatorCounts(),
    targeted: counts.targeted,
    excluded: counts.excluded,
    pending: counts.pending,
    sent: counts.sent,
    failedHard: counts.failedHard,
    failedSoft: counts.failedSoft,
    bounced: counts.bounced,
    bouncedHard: counts.bouncedHard,
    bouncedSoft: counts.bouncedSoft,
    uniqueOpens: counts.opened,
    uniqueClicks: counts.clicked,
    uniqueUnsubscriptions: counts.unsubscribed,
  });

  return {
    logCounts,

    /** The delivery a documentId names (404 otherwise). */
    async resolve(documentId: string): Promise<DeliveryRef> {
      const row = await strapi.db.query(UID.delivery).findOne({
        where: { documentId },
        select: ['id', 'documentId', 'name', 'status'],
      });
      if (!row) throw new errors.NotFoundError(`No delivery with id "${documentId}".`);
      return {
        id: Number(row.id),
        documentId: row.documentId,
        name: row.name,
        status: row.status,
      };
    },

    /** Indicators from the log counts alone (every event counted): what alerts and summaries use. */
    fromLogCounts(counts: LogCounts): Indicators {
      return computeIndicators(toIndicatorCounts(counts));
    },

    /** Every indicator of one delivery, with bots and machine opens counted or not. */
    async compute(
      deliveryId: number,
      include: IndicatorsInclude = NONE_INCLUDED
    ): Promise<{ indicators: Indicators; leftOut: LeftOut }> {
      const [counts, eventsOf] = await Promise.all([
        logCounts([deliveryId], { engagement: true }).then((map) => map.get(deliveryId) ?? emptyLogCounts()),
        eventCounts(deliveryId, include),
      ]);
      const { recipients } = eventsOf.leftOut;
      const indicators = computeIndicators({
        ...toIndicatorCounts(counts),
        // The columns count a recipient from their first event of any kind: take away who counts only through
        // left-out events (a click implies an open, so a counted click keeps its recipient among the openers).
        uniqueOpens: Math.max(0, counts.opened - recipients.opens),
        uniqueClicks: Math.max(0, counts.clicked - recipients.clicks),
        uniqueMirrorViews: eventsOf.uniqueMirrorViews,
        opens: eventsOf.opens,
        clicks: eventsOf.clicks,
        unsubscriptions: eventsOf.unsubscriptions,
        mirrorViews: eventsOf.mirrorViews,
      });
      return { indicators, leftOut: eventsOf.leftOut };
    },

    /** Opens and clicks per hour or day (server time zone), every bucket from the first event to the last. */
    async timeline(
      deliveryId: number,
      options: {
        bucket: TimelineBucket;
        include: IndicatorsInclude;
        from?: Date;
        to?: Date;
      }
    ): Promise<TimelinePoint[]> {
      const { table, column: e } = events();
      const at = eventColumn('at');
      const type = eventColumn('type');
      const format = options.bucket === 'hour' ? '%Y-%m-%d %H:00:00' : '%Y-%m-%d 00:00:00';
      let bucketSql: string;
      switch (dbClient(strapi)) {
        case 'postgres':
          // Naive timestamps hold the server's local time; date_trunc keeps them naive and pg parses them as local.
          bucketSql = `date_trunc('${options.bucket}', ${at})`;
          break;
        case 'mysql':
          bucketSql = `DATE_FORMAT(${at}, '${format}')`;
          break;
        default:
          // SQLite holds epoch milliseconds (knex writes Dates so): quarter hours by integer division, cheap per row
          // (strftime is not), re-bucketed into local hours or days below (every time zone offset is a multiple of
          // 15 minutes). Text, if any row holds some, is read as ISO 8601.
          bucketSql =
            `CASE WHEN typeof(${at}) IN ('integer', 'real') THEN (CAST(${at} AS INTEGER) / ${QUARTER_HOUR_MS}) * ${QUARTER_HOUR_MS} ` +
            `ELSE strftime('%Y-%m-%d %H:%M:00', ${at}, 'localtime') END`;
      }
      const query = knex()(table)
        .where(e('deliveryId'), deliveryId)
        .whereIn(e('type'), ['open', 'click'])
        .whereRaw(countedEvent(options.include))
        .select(knex().raw(`${bucketSql} AS bucket`), knex().raw(`${type} AS type`))
        .count({ n: '*' })
        .groupByRaw('1, 2');
      if (options.from) query.where(e('at'), '>=', options.from);
      if (options.to) query.where(e('at'), '<', options.to);
      const rows: any[] = await query;
      const points: TimelinePoint[] = [];
      for (const row of rows) {
        const start = typeof row.bucket === 'number' ? new Date(row.bucket) : parseBucketStart(row.bucket);
        if (!start) continue;
        const n = toCount(row.n);
        points.push({
          at: start,
          opens: row.type === 'open' ? n : 0,
          clicks: row.type === 'click' ? n : 0,
        });
      }
      return fillTimeline(points, options.bucket, {
        from: options.from,
        // `to` is exclusive: the last bucket is the one holding the instant just before it.
        to: options.to ? new Date(options.to.getTime() - 1) : undefined,
      });
    },
  };
};

export type IndicatorsService = ReturnType<typeof createIndicatorsService>;
export default createIndicatorsService;

// Delivery indicators and the opens / clicks timeline, counted in the database (GROUP BY, never row by row in JS)
// and turned into rates by reporting/indicator-formulas.ts.
//
// Where each number comes from, without reading every event of the delivery:
// - statuses: an index-only GROUP BY on (delivery_id, status, failure_type); the hard / soft split reads the failed
//   and bounced entries of the same index only.
// - unique opens / clicks / unsubscriptions: the delivery-log columns the tracker maintains, counted in one read of
//   the delivery's entries in the same index, which holds them too (the rows, with their keys, are wide: on MariaDB
//   looking up each of a delivery's 10,000 rows cost 15-20 ms). With everything included: firstOpenedAt (the first
//   event of any kind: click, unsubscribe and mirror view included), firstClickedAt, unsubscribedAt. With bots and
//   machine opens left out (the default): humanOpenedAt and humanClickedAt, the same over the events that are
//   neither; the recipients left out are those with a first-event column and no human one. Unsubscriptions are never
//   a bot's (tracking/unsubscriptions.ts).
// - totals (opens, clicks, ...) and left-out events (bots, machine opens): the delivery's event-count rollup rows
//   (db/event-counts.ts) summed per type and flags, then reporting/event-totals.ts; the timeline sums its quarters.
// - unique mirror views: COUNT(DISTINCT delivery_log_id) over the mirror events only (few: a mirror view is a
//   person asking for the web version).
// - total opens: the open events plus one implied open per message with a reaction but no open event
//   (reporting/indicator-formulas.ts, totalOpens), which needs the messages with a counted open event: the logs with
//   opens > 0 (every event counted) or humanOpens > 0 (the default), in the same read of the index, which holds
//   these counts as well (so an open event rewrites its log's entry there); the mixed modes read them from the
//   message-count rollup. On the timeline the implied open sits at the message's first counted reaction: the
//   message-count rollup's implied opens per quarter hour (db/message-counts.ts).
// The two mixed modes (bots in and machine opens out, or the reverse) have no delivery-log columns of their own:
// their left-out recipients are the messages with events minus those with a counted one (and the same among
// clicks), from the message-count rollup, which the writers of events keep per include mode.
//
// Upgrading from a version without the human columns: Strapi adds them empty (NULL) and the tracker fills them from
// then on (humanOpens, a count, is filled from the events once at boot: tracking/human-opens-fill.ts). Deliveries
// tracked before the upgrade then count, by default, only recipients whose first human event came after it (the
// others appear among the left-out recipients); include=bots,machine and the mixed modes stay exact.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID, type DeliveryStatus } from '../../../shared/constants';
import { computeIndicators } from './indicator-formulas';
import type { Indicators } from '../../../shared/contracts/indicators';
import { answeredByColumns, eventTotals, uniqueFromColumns, type EventGroup, type EventType } from './event-totals';
import { fillTimeline, type TimelineBucket, type TimelinePoint } from './timeline';
import type { IndicatorsInclude, LeftOut } from '../../../shared/contracts/monitoring';
import { knexOf, quoteIdentifier, tableOf, toCount } from '../db/tables';
import { createEventCountReads } from './event-count-reads';
import { emptyLogCounts, NONE_INCLUDED, toIndicatorCounts, type LogCounts } from './log-counts';

export interface DeliveryRef {
  id: number;
  documentId: string;
  name: string;
  status: DeliveryStatus;
}

const ID_CHUNK = 500;

const createIndicatorsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => knexOf(strapi);
  const logs = () => tableOf(strapi, UID.deliveryLog);
  const events = () => tableOf(strapi, UID.trackingLog);
  const counts = () => tableOf(strapi, UID.eventCount);
  const countReads = createEventCountReads(strapi);
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
   * Counts per delivery. Statuses, the hard / soft split of the failed and bounced logs and the retry count (pending
   * logs that failed once) come from index-only GROUP BYs on (delivery_id, status, failure_type); the engagement
   * columns, only when asked for, from the rest of the same index (every entry of the delivery).
   */
  const logCounts = async (
    deliveryIds: number[],
    options: { engagement?: boolean } = {},
  ): Promise<Map<number, LogCounts>> => {
    const out = new Map<number, LogCounts>(deliveryIds.map((id) => [id, emptyLogCounts()]));
    const { table, column: c } = logs();
    const deliveryId = c('deliveryId');
    const status = c('status');
    const failureType = c('failureType');
    // Column names come from Strapi's metadata: nothing here is user input.
    const positive = (column: string) => `SUM(CASE WHEN ${quoteIdentifier(strapi, column)} > 0 THEN 1 ELSE 0 END)`;
    const [pixelOpened, humanPixelOpened] = [positive(c('opens')), positive(c('humanOpens'))];
    for (let start = 0; start < deliveryIds.length; start += ID_CHUNK) {
      const ids = deliveryIds.slice(start, start + ID_CHUNK);
      const [byStatus, failures, retrying, engagement] = await Promise.all([
        knex()(table)
          .whereIn(deliveryId, ids)
          .groupBy(deliveryId, status)
          .select({ deliveryId, status })
          .count({ n: '*' }),
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
              .count({ humanOpened: c('humanOpenedAt') })
              .count({ humanClicked: c('humanClickedAt') })
              .select(knex().raw(`${pixelOpened} AS pixel_opened, ${humanPixelOpened} AS human_pixel_opened`))
          : [],
      ]);
      const countsOf = (row: Record<string, unknown>) => out.get(Number(row.deliveryId));
      for (const row of byStatus as Record<string, unknown>[]) {
        const counts = countsOf(row);
        if (!counts) continue;
        const n = toCount(row.n);
        counts.targeted += n;
        if (row.status === 'excluded') counts.excluded += n;
        else if (row.status === 'pending') counts.pending += n;
        else if (row.status === 'sent') counts.sent += n;
        else if (row.status === 'unknown') counts.unknown += n;
      }
      for (const row of failures as Record<string, unknown>[]) {
        const counts = countsOf(row);
        if (!counts) continue;
        const n = toCount(row.n);
        if (row.status === 'failed') {
          // 'ignored' failures are not the recipient's fault; Adobe counts them with the soft ones.
          if (row.failureType === 'hard') counts.failedHard += n;
          else counts.failedSoft += n;
        } else {
          counts.bounced += n;
          // A bounce of unknown type counts as hard (see reporting/indicator-formulas.ts).
          if (row.failureType === 'soft') counts.bouncedSoft += n;
          else counts.bouncedHard += n;
        }
      }
      for (const row of retrying as Record<string, unknown>[]) {
        const counts = countsOf(row);
        if (counts) counts.retrying += toCount(row.n);
      }
      for (const row of engagement as Record<string, unknown>[]) {
        const counts = countsOf(row);
        if (!counts) continue;
        counts.opened += toCount(row.opened);
        counts.clicked += toCount(row.clicked);
        counts.unsubscribed += toCount(row.unsubscribed);
        counts.humanOpened += toCount(row.humanOpened);
        counts.humanClicked += toCount(row.humanClicked);
        counts.pixelOpened += toCount(row.pixel_opened);
        counts.humanPixelOpened += toCount(row.human_pixel_opened);
      }
    }
    return out;
  };

  /**
   * Events of one delivery per type and flags: the sum of its event-count rollup rows (db/event-counts.ts), a few
   * thousand rows at most whatever the number of events.
   */
  const eventGroups = async (deliveryId: number): Promise<EventGroup[]> => {
    const { table, column: c } = counts();
    const [type, isBot, isMachineOpen] = [c('type'), c('isBot'), c('isMachineOpen')];
    const rows: Record<string, unknown>[] = await knex()(table)
      .where(c('deliveryId'), deliveryId)
      .groupBy(type, isBot, isMachineOpen)
      .select({ type, isBot, isMachineOpen })
      .sum({ n: c('n') });
    return rows
      .map((row) => ({
        type: row.type as EventType,
        isBot: Number(row.isBot) === 1,
        isMachineOpen: Number(row.isMachineOpen) === 1,
        n: toCount(row.n),
      }))
      .filter((group) => group.n > 0);
  };

  /**
   * Recipients with a counted event of one type (mirror views; open-pixel loads in the mixed modes): the events of
   * that type only, found on the (delivery_id, type) index prefix.
   */
  const uniqueOfType = async (deliveryId: number, type: EventType, include: IndicatorsInclude): Promise<number> => {
    const { table, column: e } = events();
    const [row]: Record<string, unknown>[] = await knex()(table)
      .where(e('deliveryId'), deliveryId)
      .andWhere(e('type'), type)
      .whereRaw(countedEvent(include))
      .countDistinct({ n: e('deliveryLogId') });
    return toCount(row?.n);
  };

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
      include: IndicatorsInclude = NONE_INCLUDED,
    ): Promise<{ indicators: Indicators; leftOut: LeftOut }> {
      const byColumns = answeredByColumns(include);
      const [counts, groups, mirrorViewers, mixed] = await Promise.all([
        logCounts([deliveryId], { engagement: true }).then((map) => map.get(deliveryId) ?? emptyLogCounts()),
        eventGroups(deliveryId),
        uniqueOfType(deliveryId, 'mirror', include),
        byColumns ? null : countReads.messageTotals(deliveryId, include),
      ]);
      const mixedLeftOut = mixed?.leftOut;
      const pixelOpeners = mixed?.pixelOpeners ?? (include.bots ? counts.pixelOpened : counts.humanPixelOpened);
      const totals = eventTotals(groups, include);
      let unique: { uniqueOpens: number; uniqueClicks: number; leftOut: LeftOut['recipients'] };
      if (mixedLeftOut) {
        // The first-event columns minus who counts only through left-out events (a click implies an open, so a
        // counted click keeps its recipient among the openers).
        unique = {
          uniqueOpens: Math.max(0, counts.opened - mixedLeftOut.opens),
          uniqueClicks: Math.max(0, counts.clicked - mixedLeftOut.clicks),
          leftOut: mixedLeftOut,
        };
      } else {
        unique = uniqueFromColumns(counts, include);
      }
      const indicators = computeIndicators({
        ...toIndicatorCounts(counts),
        uniqueOpens: unique.uniqueOpens,
        uniqueClicks: unique.uniqueClicks,
        uniqueMirrorViews: mirrorViewers,
        uniquePixelOpens: pixelOpeners,
        opens: totals.opens,
        clicks: totals.clicks,
        unsubscriptions: totals.unsubscriptions,
        mirrorViews: totals.mirrorViews,
      });
      return { indicators, leftOut: { ...totals.leftOut, recipients: unique.leftOut } };
    },

    /** Opens and clicks per hour or day (server time zone), every bucket from the first event to the last. */
    async timeline(
      deliveryId: number,
      options: {
        bucket: TimelineBucket;
        include: IndicatorsInclude;
        from?: Date;
        to?: Date;
      },
    ): Promise<TimelinePoint[]> {
      const points = await countReads.timelinePoints(deliveryId, options.include, options.from, options.to);
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

// The report query engine: dimensions x metrics over delivery logs and tracking events, grouped in the database.
//
// One query per source (delivery logs, tracking events: or their rollups, reporting/report-rollups.ts, for the shapes
// those hold), each a GROUP BY over expressions built only from our own constants and Strapi's column names; every
// value is a bound parameter. Rows of the two sources meet on their dimension values, and each row's metrics come
// from its summed counts through reporting/indicator-formulas.ts (a rate is never an average of rates).
// Time of a row: an event counts at its `at`; a delivery log at its `sentAt`, or, for a recipient never accepted
// (excluded, failed, still pending), at its last change (`updatedAt`: when it was excluded or failed). The period
// filter and the time buckets use the same instant, so a day's delivered count and its opens read the same clock.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import type {
  ReportDimension,
  ReportMetric,
  ReportQuery,
  ReportQueryResponse,
  ReportResult,
} from '../../../shared/contracts/reports';
import { TRACKING_EVENT_TYPES, UID } from '../../../shared/constants';
import {
  addCounts,
  countRowsOf,
  isTimeDimension,
  mergeRows,
  metricsOf,
  ownCounts,
  planReport,
  UNIQUE_EVENT_COUNTS,
  type CountRow,
  type EventCount,
  type RawCounts,
  type ReportPlan,
} from './report-metrics';
import { labeller, sortRows } from './report-labels';
import { LOG_DIMENSION_ATTRIBUTES, periodRanges } from './report-log-period';
import { countSource, createReportRollups, logKeySql } from './report-rollups';
import { createMessageDayReads } from './report-message-days';
import { createPlaceCountReads } from './report-place-counts';
import { resolvePeriod, type Period } from './report-period';
import { DAY_MS, storedSecondsSql, timeBucketSql, wallClockPieces, wallClockSql } from './report-time';
import { DEFAULT_REPORT_ROWS, type ParsedReportQuery } from '../validation/reports';
import { dbClient, knexOf, quoteIdentifier, tableOf } from '../db/tables';

/** Without a period, time zone transitions are looked up over this span (a CASE arm each, a few per year). */
const OPEN_RANGE_FROM = Date.UTC(2000, 0, 1);

interface ResolvedFilters {
  deliveryIds?: number[];
  listIds?: number[];
  domains?: string[];
  eventTypes?: string[];
}

const EVENT_TYPE_OF: Partial<Record<EventCount, string>> = {
  opens: 'open',
  clicks: 'click',
  unsubscriptions: 'unsubscribe',
  mirrorViews: 'mirror',
  uniqueClicks: 'click',
  uniqueUnsubscriptions: 'unsubscribe',
  uniqueMirrorViews: 'mirror',
  uniquePixelOpens: 'open',
};

const createReportsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => knexOf(strapi);
  const q = (identifier: string) => quoteIdentifier(strapi, identifier);
  const events = () => tableOf(strapi, UID.trackingLog);
  const logs = () => tableOf(strapi, UID.deliveryLog);
  const links = () => tableOf(strapi, UID.trackedLink);
  const rollupRows = createReportRollups(strapi);
  const messageDayRows = createMessageDayReads(strapi);
  const placeCountRows = createPlaceCountReads(strapi);
  /** `e."column"` / `l."column"` for raw SQL. */
  const ev = (attribute: string) => `e.${q(events().column(attribute))}`;
  const lg = (attribute: string) => `l.${q(logs().column(attribute))}`;

  /**
   * Runs a report query; on PostgreSQL with the JIT compiler off (compiling a GROUP BY over a million events took longer
   * than running it) and 64 MB to hash in memory (4 MB spilled to disk: 730 ms instead of 570 on 1,000,000 events).
   */
  const execute = async (query: Knex.QueryBuilder): Promise<Record<string, unknown>[]> => {
    if (dbClient(strapi) !== 'postgres') return query;
    return knex().transaction(async (trx) => {
      await trx.raw('SET LOCAL jit = off');
      await trx.raw("SET LOCAL work_mem = '64MB'");
      return query.transacting(trx);
    });
  };

  /** Time buckets read the wall clock of `timeZone`; the database stores UTC (SQLite) or the process's zone. */
  const wallClock = (column: string, timeZone: string, period: Period | null): string => {
    const dialect = dbClient(strapi);
    const storageZone = dialect === 'sqlite' ? 'UTC' : Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const from = period ? period.from.getTime() - DAY_MS : OPEN_RANGE_FROM;
    const to = period ? period.to.getTime() + DAY_MS : Date.now() + 366 * DAY_MS;
    return wallClockSql(storedSecondsSql(column, dialect), wallClockPieces(timeZone, storageZone, from, to));
  };

  const dimensionSql = (
    dimension: ReportDimension,
    source: 'logs' | 'events',
    timeZone: string,
    period: Period | null,
  ): string => {
    const dialect = dbClient(strapi);
    if (isTimeDimension(dimension)) {
      const at = source === 'events' ? ev('at') : `COALESCE(${lg('sentAt')}, ${lg('updatedAt')})`;
      return timeBucketSql(dimension, wallClock(at, timeZone, period), dialect);
    }
    if (dimension === 'delivery' && source === 'events') return ev('deliveryId');
    // A list, a domain or a failure reason is the log's, for events too (joined to their logs).
    const logAttribute = LOG_DIMENSION_ATTRIBUTES[dimension];
    if (logAttribute) return lg(logAttribute);
    switch (dimension) {
      case 'link':
        return ev('trackedLinkId');
      case 'entry':
        // The entry a link of an entry card or list leads to, kept with the link (`api::article.article:abc123`).
        return `(SELECT t.${q(links().column('entry'))} FROM ${q(links().table)} t WHERE t.${q(links().column('id'))} = ${ev('trackedLinkId')})`;
      case 'eventType':
        return ev('type');
      case 'device':
        return ev('device');
      case 'os':
        return ev('os');
      case 'client':
        return ev('client');
    }
    throw new Error(`campaigns: no SQL for dimension ${String(dimension)}`);
  };

  /** `sql IN (?, ?, ...)` with every value bound. */
  const whereIn = (query: Knex.QueryBuilder, sql: string, values: ReadonlyArray<string | number>) =>
    values.length
      ? query.whereRaw(`${sql} IN (${values.map(() => '?').join(', ')})`, [...values])
      : query.whereRaw('1 = 0');

  const applyCommonFilters = (query: Knex.QueryBuilder, filters: ResolvedFilters, source: 'logs' | 'events') => {
    if (filters.deliveryIds)
      whereIn(query, source === 'events' ? ev('deliveryId') : lg('deliveryId'), filters.deliveryIds);
    if (filters.listIds) whereIn(query, lg('listId'), filters.listIds);
    if (filters.domains) whereIn(query, lg('recipientDomain'), filters.domains);
  };

  const groupAndSelect = (query: Knex.QueryBuilder, dimensionSqls: string[], aggregates: Array<[string, string]>) => {
    const selects = [
      ...dimensionSqls.map((sql, index) => `${sql} AS ${q(`d${index}`)}`),
      ...aggregates.map(([sql], index) => `${sql} AS ${q(`m${index}`)}`),
    ];
    query.select(knex().raw(selects.join(', ')));
    if (dimensionSqls.length) query.groupByRaw(dimensionSqls.map((_, index) => String(index + 1)).join(', '));
  };

  /**
   * Event counts by the dimensions. For a list or domain, and a unique count but on MariaDB (which counts distinct
   * values faster than it groups: 1.1 against 2.1 s for Tracking indicators at 1,000,000 events), events are folded
   * into one row per (event dimensions, message) first: a unique count is a count of rows, not a COUNT(DISTINCT) that
   * PostgreSQL sorts every event for, and the delivery logs are read once per message (bench/README.md).
   */
  const eventRows = async (
    dimensions: ReportDimension[],
    counts: EventCount[],
    filters: ResolvedFilters,
    options: { period: Period | null; timeZone: string; include: { bots: boolean; machine: boolean } },
  ): Promise<CountRow[]> => {
    const shape = { dimensions, counts, period: options.period, filters, timeZone: options.timeZone };
    const source = countSource(shape);
    if (source === 'rollups') {
      const rows = await rollupRows(dimensions, counts, filters.deliveryIds, options.include);
      // Null: a device and client too long for the rollup's column was counted; the events answer.
      if (rows) return rows;
    }
    if (source === 'logKeys')
      return logRows(dimensions, filters, options, { counts, include: options.include, alone: true });
    if (source === 'placeCounts') {
      const rows = await placeCountRows(dimensions, counts, filters, options.include);
      // Null: a place or a domain too long for the rollup's columns was counted; the events answer.
      if (rows) return rows;
    }
    if (source === 'messageDays') {
      const rows = await messageDayRows(dimensions, counts, filters, options);
      // Null: a period of too many segments; the events answer.
      if (rows) return rows;
    }
    const { table } = events();
    const query = knex()({ e: table });
    applyCommonFilters(query, { deliveryIds: filters.deliveryIds }, 'events');
    // Only the event types the counts read (all of them for unique opens: any reaction proves an open), over a period
    // named even when all are: the ([delivery,] type, at, flags, message) indexes then hold them, no event row read.
    const types = counts.includes('uniqueOpens') ? null : [...new Set(counts.map((name) => EVENT_TYPE_OF[name]!))];
    const wanted =
      filters.eventTypes && types ? filters.eventTypes.filter((t) => types.includes(t)) : (filters.eventTypes ?? types);
    if (wanted) whereIn(query, ev('type'), wanted);
    else if (options.period) whereIn(query, ev('type'), TRACKING_EVENT_TYPES);
    if (options.period)
      query.whereRaw(`${ev('at')} >= ? AND ${ev('at')} < ?`, [options.period.from, options.period.to]);
    // Flags may be NULL on rows written by older code: NULL counts as "not flagged", as on the indicators route.
    if (!options.include.bots) query.whereRaw(`${ev('isBot')} IS NOT TRUE`);
    if (!options.include.machine) query.whereRaw(`${ev('isMachineOpen')} IS NOT TRUE`);
    const typeIs = (name: EventCount) => `${ev('type')} = '${EVENT_TYPE_OF[name]}'`;
    const needsLogs =
      dimensions.some((d) => d === 'list' || d === 'domain') || Boolean(filters.listIds || filters.domains);
    const unique = counts.some((name) => name === 'uniqueOpens' || UNIQUE_EVENT_COUNTS.includes(name));
    const mysql = dbClient(strapi) === 'mysql';
    if (!needsLogs && (!unique || mysql)) {
      const aggregates = counts.map((name): [string, string] => {
        if (name === 'uniqueOpens') return [`COUNT(DISTINCT ${ev('deliveryLogId')})`, name];
        if (UNIQUE_EVENT_COUNTS.includes(name))
          return [`COUNT(DISTINCT CASE WHEN ${typeIs(name)} THEN ${ev('deliveryLogId')} END)`, name];
        return [`SUM(CASE WHEN ${typeIs(name)} THEN 1 ELSE 0 END)`, name];
      });
      const buckets = dimensions.map((d) => dimensionSql(d, 'events', options.timeZone, options.period));
      groupAndSelect(query, buckets, aggregates);
      return countRowsOf(await execute(query), dimensions.length, aggregates);
    }

    // Inner: one row per (message, event dimensions) with its events of each counted type; the message first, in the
    // order of the (delivery_log_id, client, flags) index, which unique openers by client over a period read alone.
    const eventSide = dimensions.map((d, index) => ({ d, index })).filter(({ d }) => d !== 'list' && d !== 'domain');
    const perMessage = counts.filter((name) => name !== 'uniqueOpens');
    const innerSelects = [
      `${ev('deliveryLogId')} AS ${q('dl')}`,
      ...eventSide.map(
        ({ d, index }) => `${dimensionSql(d, 'events', options.timeZone, options.period)} AS ${q(`d${index}`)}`,
      ),
      ...perMessage.map((name, i) => `SUM(CASE WHEN ${typeIs(name)} THEN 1 ELSE 0 END) AS ${q(`n${i}`)}`),
    ];
    query
      .select(knex().raw(innerSelects.join(', ')))
      .groupByRaw(Array.from({ length: eventSide.length + 1 }, (_, i) => String(i + 1)).join(', '));
    const p = (alias: string) => `p.${q(alias)}`;
    const outer = knex().from(query.as('p'));
    // MariaDB would otherwise recompute the folded rows once per delivery log ("lateral derived": 6.6 s instead of
    // 0.5 s on 1,000,000 events); comparing with an expression makes it fold once, then look each message up.
    if (needsLogs) {
      const joinKey = mysql ? `${p('dl')} + 0` : p('dl');
      outer.joinRaw(`JOIN ${q(logs().table)} l ON ${lg('id')} = ${joinKey}`);
      applyCommonFilters(outer, { listIds: filters.listIds, domains: filters.domains }, 'logs');
    }
    // Without the join, the events of no message (an application's own rows) count in totals, never as a message.
    const ofAMessage = needsLogs ? '' : `${p('dl')} IS NOT NULL AND `;
    const aggregates: Array<[string, string]> = counts.map((name) => {
      if (name === 'uniqueOpens') return [needsLogs ? 'COUNT(*)' : `COUNT(${p('dl')})`, name];
      const column = p(`n${perMessage.indexOf(name)}`);
      if (UNIQUE_EVENT_COUNTS.includes(name))
        return [`SUM(CASE WHEN ${ofAMessage}${column} > 0 THEN 1 ELSE 0 END)`, name];
      return [`SUM(${column})`, name];
    });
    const outerDimensions = dimensions.map((d, index) =>
      d === 'list' || d === 'domain' ? dimensionSql(d, 'logs', options.timeZone, options.period) : p(`d${index}`),
    );
    groupAndSelect(outer, outerDimensions, aggregates);
    return countRowsOf(await execute(outer), dimensions.length, aggregates);
  };

  /**
   * Delivery-log counts grouped by the dimensions (every log counts once, so they add up across rows); with `keyed`,
   * unique counts from the logs' keys too (reporting/report-rollups.ts), or `alone`: those only, in the groups that
   * have one. The database groups by status and failure type as well and counts rows; each log's own counts (sent,
   * bounced...) are told apart here. A period's two ranges (reporting/report-log-period.ts) are grouped each on its
   * own and added: on MariaDB at 10,000,000 events, Unsubscriptions' delivered count per day over 30 days took 0.47 s
   * as a SUM(CASE ...) per count over the ranges' union, 0.16 s this way.
   */
  const logRows = async (
    dimensions: ReportDimension[],
    filters: ResolvedFilters,
    options: { period: Period | null; timeZone: string },
    keyed?: { counts: EventCount[]; include: { bots: boolean; machine: boolean }; alone: boolean },
  ): Promise<CountRow[]> => {
    const keys = keyed && logKeySql(keyed.counts, keyed.include, lg('countedKinds'));
    const own = !keyed?.alone;
    const groups = [
      ...dimensions.map((d) => dimensionSql(d, 'logs', options.timeZone, options.period)),
      lg('status'),
      lg('failureType'),
    ];
    const aggregates: Array<[string, string]> = [
      ...(own ? [['COUNT(*)', 'targeted'] as [string, string]] : []),
      ...(keys ? keys.aggregates : []),
    ];
    const grouped = (query: Knex.QueryBuilder) => {
      applyCommonFilters(query, filters, 'logs');
      groupAndSelect(query, groups, aggregates);
      // Per status as well: a group without a key in one status may have one in another, and then adds zeros.
      if (keys && keyed.alone && dimensions.length) query.havingRaw(keys.any);
      return query;
    };
    let query: Knex.QueryBuilder;
    if (options.period) {
      const parts = periodRanges(strapi, options.period).map(({ sql, bindings }) =>
        grouped(knex()({ l: logs().table }).whereRaw(sql, bindings)).toSQL(),
      );
      const sums = [
        ...groups.map((_, index) => `x.${q(`d${index}`)}`),
        ...aggregates.map((_, index) => `SUM(x.${q(`m${index}`)}) AS ${q(`m${index}`)}`),
      ];
      query = knex()
        .select(knex().raw(sums.join(', ')))
        .from(
          knex().raw(
            `(${parts.map((part) => part.sql).join(' UNION ALL ')}) x`,
            parts.flatMap((part) => [...part.bindings]),
          ),
        )
        .groupByRaw(groups.map((_, index) => String(index + 1)).join(', '));
    } else {
      query = grouped(knex()({ l: logs().table }));
    }
    // Each status group of a dimension's values, told apart by ownCounts, adds into one row.
    return mergeRows(
      countRowsOf(await execute(query), groups.length, aggregates).map((row) => ({
        values: row.values.slice(0, dimensions.length),
        counts: own
          ? ownCounts(row.values[dimensions.length], row.values[dimensions.length + 1], row.counts)
          : row.counts,
      })),
    );
  };

  /** Rows and totals of one period. */
  const run = async (
    query: ParsedReportQuery,
    plan: ReportPlan,
    filters: ResolvedFilters,
    period: Period | null,
  ): Promise<ReportResult & { truncated: boolean }> => {
    const dimensions = query.dimensions as ReportDimension[];
    const metrics = query.metrics as ReportMetric[];
    const include = { bots: Boolean(query.include?.bots), machine: Boolean(query.include?.machine) };
    const options = { period, timeZone: query.timeZone ?? 'UTC', include };
    const uniques = plan.events.filter((name) => UNIQUE_EVENT_COUNTS.includes(name));
    // Unique counts that the delivery logs' keys answer are read with the logs' own counts, in one pass.
    const shape = { dimensions, counts: plan.events, period, filters, timeZone: options.timeZone };
    const keyed = plan.logs && plan.events.length > 0 && countSource(shape) === 'logKeys';
    const [fromEvents, fromLogs, eventTotals] = await Promise.all([
      plan.events.length && !keyed ? eventRows(dimensions, plan.events, filters, options) : [],
      plan.logs
        ? logRows(dimensions, filters, options, keyed ? { counts: plan.events, include, alone: false } : undefined)
        : [],
      // Unique counts do not add up across rows (one message opened on two days): the totals ask the database again.
      dimensions.length && uniques.length ? eventRows([], uniques, filters, options) : [],
    ]);

    const all = mergeRows([...fromLogs, ...fromEvents]);
    const totalCounts: RawCounts = {};
    for (const row of all) addCounts(totalCounts, row.counts);
    if (dimensions.length) {
      for (const name of uniques) delete totalCounts[name];
      if (eventTotals[0]) addCounts(totalCounts, eventTotals[0].counts);
    }
    if (!dimensions.length && !all.length) all.push({ values: [], counts: {} });

    const label = await labeller(strapi, dimensions, all);
    const rows = sortRows(
      all.map((row) => ({
        dimensions: dimensions.map((dimension, index) => label(dimension, index, row.values[index])),
        metrics: metricsOf(row.counts, metrics),
      })),
      dimensions,
      query.sort,
    );
    const limit = query.limit ?? DEFAULT_REPORT_ROWS;
    return { rows: rows.slice(0, limit), totals: metricsOf(totalCounts, metrics), truncated: rows.length > limit };
  };

  const resolveIds = async (
    uid: typeof UID.delivery | typeof UID.list,
    documentIds: string[] | undefined,
    field: string,
  ): Promise<number[] | undefined> => {
    if (!documentIds) return undefined;
    const rows = await strapi.db
      .query(uid)
      .findMany({ where: { documentId: { $in: documentIds } }, select: ['id', 'documentId'] });
    const known = new Set(rows.map((row: { documentId: string }) => row.documentId));
    const unknown = documentIds.filter((id) => !known.has(id));
    if (unknown.length)
      throw new errors.ValidationError(`Invalid report query: filters.${field}: unknown id(s) ${unknown.join(', ')}`);
    return rows.map((row: { id: number }) => Number(row.id));
  };

  return {
    /** Answers a validated report query (see validation/reports.ts); a dimension that cannot split a metric is a 400. */
    async query(query: ParsedReportQuery): Promise<ReportQueryResponse> {
      const started = Date.now();
      const plan = planReport(query.dimensions as ReportDimension[], query.metrics as ReportMetric[]);
      if ('error' in plan) throw new errors.ValidationError(`Invalid report query: ${plan.error}`);
      const { filters: given } = query;
      const filters: ResolvedFilters = {
        deliveryIds: await resolveIds(UID.delivery, given.deliveries, 'deliveries'),
        listIds: await resolveIds(UID.list, given.lists, 'lists'),
        domains: given.domains,
        eventTypes: given.eventTypes,
      };
      const period = resolvePeriod(query.period);
      const current = await run(query, plan, filters, period);
      let previous: ReportQueryResponse['data']['previous'];
      if (query.compare && period) {
        const length = period.to.getTime() - period.from.getTime();
        const before = { from: new Date(period.from.getTime() - length), to: period.from };
        const { truncated: _truncated, ...result } = await run(query, plan, filters, before);
        previous = { ...result, period: { from: before.from.toISOString(), to: before.to.toISOString() } };
      }
      const { truncated, ...result } = current;
      return {
        data: { ...result, ...(previous ? { previous } : {}) },
        meta: {
          query: query as unknown as ReportQuery,
          period: period ? { from: period.from.toISOString(), to: period.to.toISOString() } : null,
          truncated,
          computedAt: new Date().toISOString(),
          tookMs: Date.now() - started,
        },
      };
    },
  };
};

export type ReportsService = ReturnType<typeof createReportsService>;
export default createReportsService;

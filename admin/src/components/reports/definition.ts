// The report builder's state as pure functions of a ReportDefinition: the zones (rows, columns, metrics, filters)
// and what dropping or moving an item in them does, the period presets, and the names shown for each id.
import type {
  ReportDefinition,
  ReportDimension,
  ReportFilterName,
  ReportFilters,
  ReportMetric,
  ReportPeriod,
  ReportQuery,
  ReportVisualisation,
} from '../../../../shared/contracts/reports';

export type Zone = 'rows' | 'columns' | 'metrics' | 'filters';
export type PaletteItem = { kind: 'dimension'; id: ReportDimension } | { kind: 'metric'; id: ReportMetric };

/** A query answers at most three dimensions (rows and columns together). */
export const MAX_DIMENSIONS = 3;

/** The dimensions that can also narrow a report, and the filter each one sets. */
export const FILTER_OF: Partial<Record<ReportDimension, ReportFilterName>> = {
  delivery: 'deliveries',
  list: 'lists',
  domain: 'domains',
  eventType: 'eventTypes',
};

export const DIMENSION_LABELS: Record<ReportDimension, string> = {
  delivery: 'Delivery',
  list: 'List',
  day: 'Day',
  hour: 'Hour',
  week: 'Week',
  month: 'Month',
  hourOfDay: 'Hour of day',
  dayOfWeek: 'Day of week',
  link: 'Link',
  entry: 'Strapi entry',
  eventType: 'Event type',
  device: 'Device',
  os: 'Operating system',
  client: 'Email client',
  domain: 'Recipient domain',
  failureReason: 'Failure reason',
};

export const METRIC_LABELS: Record<ReportMetric, string> = {
  targeted: 'Targeted',
  excluded: 'Excluded',
  processed: 'Processed',
  delivered: 'Delivered',
  failed: 'Failed',
  bounces: 'Bounces',
  hardBounces: 'Hard bounces',
  softBounces: 'Soft bounces',
  opens: 'Opens',
  uniqueOpens: 'Unique opens',
  clicks: 'Clicks',
  uniqueClicks: 'Unique clicks',
  unsubscriptions: 'Unsubscriptions',
  uniqueUnsubscriptions: 'Unique unsubscriptions',
  mirrorViews: 'Mirror page views',
  uniqueMirrorViews: 'Unique mirror page views',
  deliveredRate: 'Delivered rate',
  bounceRate: 'Bounce rate',
  hardBounceRate: 'Hard bounce rate',
  softBounceRate: 'Soft bounce rate',
  openRate: 'Open rate',
  clickThroughRate: 'Click-through rate',
  reactivity: 'Reactivity',
  unsubscriptionRate: 'Unsubscription rate',
};

export const VISUALISATION_LABELS: Record<ReportVisualisation, string> = {
  table: 'Table',
  line: 'Line',
  bar: 'Bar',
  stackedBar: 'Stacked bar',
  area: 'Area',
  donut: 'Donut',
  kpi: 'KPI cards',
};

export const isRate = (metric: string) => /Rate$|^reactivity$/.test(metric);

export const PERIOD_PRESETS = [7, 30, 90] as const;

export const emptyDefinition = (): ReportDefinition => ({
  query: { dimensions: [], metrics: [], period: { lastDays: 30 } },
  visualisation: 'bar',
  columns: [],
});

/** What each zone holds, read from the definition: rows are the query's dimensions not shown as columns. */
export const zonesOf = (definition: ReportDefinition) => {
  const columns = definition.columns ?? [];
  const filters = definition.query.filters ?? {};
  return {
    rows: definition.query.dimensions.filter((d) => !columns.includes(d)),
    columns: definition.query.dimensions.filter((d) => columns.includes(d)),
    metrics: definition.query.metrics,
    filters: (Object.keys(FILTER_OF) as ReportDimension[]).filter((d) => filters[FILTER_OF[d]!] !== undefined),
  };
};

/** Whether an item may go into a zone: dimensions into rows, columns or filters (if filterable), metrics into metrics. */
export const accepts = (zone: Zone, item: PaletteItem, definition: ReportDefinition) => {
  if (item.kind === 'metric') return zone === 'metrics';
  if (zone === 'metrics') return false;
  if (zone === 'filters') return Boolean(FILTER_OF[item.id]);
  const { rows, columns } = zonesOf(definition);
  const placed = [...rows, ...columns];
  return placed.includes(item.id) || placed.length < MAX_DIMENSIONS;
};

const withQuery = (definition: ReportDefinition, query: Partial<ReportQuery>): ReportDefinition => ({
  ...definition,
  query: { ...definition.query, ...query },
});

/** Rebuilds the query's dimensions from the two zones: rows first, then columns, each in its own order. */
const withDimensionZones = (
  definition: ReportDefinition,
  rows: ReportDimension[],
  columns: ReportDimension[],
): ReportDefinition => ({
  ...withQuery(definition, { dimensions: [...rows, ...columns] }),
  columns,
});

/** Drops an item into a zone (a dimension moves from rows to columns or back); refused items leave it unchanged. */
export const addTo = (definition: ReportDefinition, zone: Zone, item: PaletteItem): ReportDefinition => {
  if (!accepts(zone, item, definition)) return definition;
  if (item.kind === 'metric') {
    return definition.query.metrics.includes(item.id)
      ? definition
      : withQuery(definition, { metrics: [...definition.query.metrics, item.id] });
  }
  if (zone === 'filters') {
    const name = FILTER_OF[item.id]!;
    const filters = definition.query.filters ?? {};
    return filters[name] !== undefined ? definition : withQuery(definition, { filters: { ...filters, [name]: [] } });
  }
  const { rows, columns } = zonesOf(definition);
  const without = (list: ReportDimension[]) => list.filter((d) => d !== item.id);
  return zone === 'rows'
    ? withDimensionZones(definition, [...without(rows), item.id], without(columns))
    : withDimensionZones(definition, without(rows), [...without(columns), item.id]);
};

export const removeFrom = (definition: ReportDefinition, zone: Zone, id: string): ReportDefinition => {
  if (zone === 'metrics') return withQuery(definition, { metrics: definition.query.metrics.filter((m) => m !== id) });
  if (zone === 'filters') {
    const name = FILTER_OF[id as ReportDimension];
    if (!name) return definition;
    const { [name]: _removed, ...rest } = definition.query.filters ?? {};
    return withQuery(definition, { filters: rest });
  }
  const { rows, columns } = zonesOf(definition);
  return withDimensionZones(
    definition,
    rows.filter((d) => d !== id),
    columns.filter((d) => d !== id),
  );
};

const moved = <T>(list: T[], index: number, by: -1 | 1): T[] => {
  const target = index + by;
  if (index < 0 || target < 0 || target >= list.length) return list;
  const next = [...list];
  [next[index], next[target]] = [next[target], next[index]];
  return next;
};

/** Moves an item one place earlier (-1) or later (+1) in its zone. */
export const moveWithin = (definition: ReportDefinition, zone: Zone, id: string, by: -1 | 1): ReportDefinition => {
  const { rows, columns, metrics } = zonesOf(definition);
  if (zone === 'metrics')
    return withQuery(definition, { metrics: moved(metrics, metrics.indexOf(id as ReportMetric), by) });
  if (zone === 'rows')
    return withDimensionZones(definition, moved(rows, rows.indexOf(id as ReportDimension), by), columns);
  if (zone === 'columns')
    return withDimensionZones(definition, rows, moved(columns, columns.indexOf(id as ReportDimension), by));
  return definition;
};

export const setFilterValues = (
  definition: ReportDefinition,
  name: ReportFilterName,
  values: string[],
): ReportDefinition =>
  withQuery(definition, { filters: { ...(definition.query.filters ?? {}), [name]: values } as ReportFilters });

/**
 * The query sent to the server: filters left empty in the builder narrow nothing, so they are left out, and
 * `compare` needs a period. Null while the report cannot run (no metric yet).
 */
export const runnableQuery = (definition: ReportDefinition): ReportQuery | null => {
  const { query } = definition;
  if (!query.metrics.length) return null;
  const filters = Object.fromEntries(
    Object.entries(query.filters ?? {}).filter(([, values]) => Array.isArray(values) && values.length > 0),
  );
  const { filters: _filters, ...rest } = query;
  return {
    ...rest,
    ...(Object.keys(filters).length ? { filters: filters as ReportFilters } : {}),
    compare: Boolean(query.compare && query.period),
  };
};

/** The period as the picker shows it: a preset number of days, or custom bounds. */
export const periodChoice = (period: ReportPeriod | undefined): string =>
  !period
    ? 'all'
    : 'lastDays' in period
      ? PERIOD_PRESETS.includes(period.lastDays as 7)
        ? String(period.lastDays)
        : 'custom'
      : 'custom';

/** A yyyy-mm-dd date input value for an ISO instant (UTC day), and the ISO start of that day back. */
export const toDateInput = (iso: string) => iso.slice(0, 10);
export const fromDateInput = (value: string, endOfDay = false) => {
  const start = new Date(`${value}T00:00:00.000Z`);
  if (Number.isNaN(start.getTime())) return null;
  // "to" is exclusive: the end of the chosen day is the start of the next.
  return new Date(start.getTime() + (endOfDay ? 24 * 3600_000 : 0)).toISOString();
};

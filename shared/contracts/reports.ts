// Dynamic reports and hot clicks: the shapes of their admin API (and content-api) requests and answers.
// The allowed dimension, metric and visualisation ids are constants here so the server validates against them and
// the admin's palette lists them: one list, two readers.
// Refined since first written (no name or type changed): comments on HotClickLink.share and .part, on
// HotClicksResponse totals, on saved reports (a change to a built-in one answers 409), and on which dimensions can
// split which metrics (ReportQuery.dimensions).

export const REPORT_DIMENSIONS = [
  'delivery',
  'list',
  'day',
  'hour',
  'week',
  'month',
  'hourOfDay',
  'dayOfWeek',
  'link',
  'entry',
  'eventType',
  'device',
  'os',
  'client',
  'domain',
  'failureReason',
] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** Every indicator of reporting/indicator-formulas.ts that a report can show: counts (unique and total) and rates. */
export const REPORT_METRICS = [
  'targeted',
  'excluded',
  'processed',
  'delivered',
  'failed',
  'bounces',
  'hardBounces',
  'softBounces',
  'opens',
  'uniqueOpens',
  'clicks',
  'uniqueClicks',
  'unsubscriptions',
  'uniqueUnsubscriptions',
  'mirrorViews',
  'uniqueMirrorViews',
  'deliveredRate',
  'bounceRate',
  'hardBounceRate',
  'softBounceRate',
  'openRate',
  'clickThroughRate',
  'reactivity',
  'unsubscriptionRate',
] as const;
export type ReportMetric = (typeof REPORT_METRICS)[number];

export const REPORT_FILTERS = ['deliveries', 'lists', 'domains', 'eventTypes'] as const;
export type ReportFilterName = (typeof REPORT_FILTERS)[number];

export const REPORT_VISUALISATIONS = ['table', 'line', 'bar', 'stackedBar', 'area', 'donut', 'kpi'] as const;
export type ReportVisualisation = (typeof REPORT_VISUALISATIONS)[number];

/** A period: absolute ISO bounds (from inclusive, to exclusive), or the last N days ending now. */
export type ReportPeriod = { from: string; to: string } | { lastDays: number };

export interface ReportFilters {
  /** Delivery documentIds. */
  deliveries?: string[];
  /** List documentIds. */
  lists?: string[];
  /** Recipient domains, lower case ("example.com"). */
  domains?: string[];
  eventTypes?: Array<'open' | 'click' | 'unsubscribe' | 'mirror'>;
}

/** POST /campaigns/reports/query (admin) and POST /api/campaigns/reports/query (API token). */
export interface ReportQuery {
  /**
   * Row dimensions, in order (0 to 3). Time dimensions bucket in `timeZone`. Delivery-log metrics (targeted ...
   * softBounceRate, and openRate / clickThroughRate / unsubscriptionRate, whose denominator is `delivered`) cannot
   * be split by link, eventType, device, os or client, and event metrics not by failureReason: such a query is a 400.
   */
  dimensions: ReportDimension[];
  /** At least one. */
  metrics: ReportMetric[];
  filters?: ReportFilters;
  period?: ReportPeriod;
  /** Bots and machine opens are left out unless included, as on the indicators route. */
  include?: { bots?: boolean; machine?: boolean };
  /** Also answer the same query over the previous period of the same length (needs `period`). */
  compare?: boolean;
  /** IANA time zone for day / hour / week / month / hourOfDay / dayOfWeek buckets; default UTC. */
  timeZone?: string;
  /** Sort by a metric or dimension id, descending with a leading "-" ("-clicks"); default: dimensions ascending. */
  sort?: string;
  /** At most this many rows (default 1000, max 10000); totals always cover every row. */
  limit?: number;
}

/** One value of a dimension: `key` is stable (an id, an ISO bucket start, an enum value), `label` is for people. */
export interface DimensionValue {
  key: string;
  label: string;
}

export interface ReportRow {
  /** One entry per requested dimension, in the requested order. */
  dimensions: DimensionValue[];
  /** One entry per requested metric. Counts are integers, rates are ratios in [0, 1] with 4 decimals. */
  metrics: Partial<Record<ReportMetric, number>>;
}

export interface ReportResult {
  rows: ReportRow[];
  /** Over every row matched, not only those returned. Unique counts are unique over the whole set. */
  totals: Partial<Record<ReportMetric, number>>;
}

export interface ReportQueryResponse {
  data: ReportResult & {
    /** With `compare`: the same query over the previous period. */
    previous?: ReportResult & { period: { from: string; to: string } };
  };
  meta: {
    query: ReportQuery;
    period: { from: string; to: string } | null;
    truncated: boolean;
    computedAt: string;
    tookMs: number;
  };
}

/** What the builder saves: the query plus how it is shown. Stored in the report content type's `definition`. */
export interface ReportDefinition {
  query: ReportQuery;
  visualisation: ReportVisualisation;
  /** Dimensions shown as columns (series) rather than rows; each must also be in query.dimensions. */
  columns?: ReportDimension[];
}

export interface SavedReport {
  id: number;
  documentId: string;
  name: string;
  description: string | null;
  definition: ReportDefinition;
  /** Built-in reports can be run and duplicated; not edited, renamed or deleted. */
  builtIn: boolean;
  /** Stable key of a built-in report ("delivery-summary"), null for the user's own. */
  key: string | null;
  updatedAt: string;
}

/** GET /campaigns/reports, GET /campaigns/reports/:id, POST /campaigns/reports, PUT /campaigns/reports/:id,
 * POST /campaigns/reports/:id/duplicate ({ name? }), DELETE /campaigns/reports/:id. PUT or DELETE of a built-in
 * report answers 409 with a message saying to duplicate it. */
export interface SavedReportListResponse {
  data: SavedReport[];
}
export interface SavedReportResponse {
  data: SavedReport;
}
export interface SavedReportInput {
  name: string;
  description?: string | null;
  definition: ReportDefinition;
}

/** GET /campaigns/reports/schema: the palette, with the filters' possible values loaded separately. */
export interface ReportSchemaResponse {
  data: {
    dimensions: Array<{ id: ReportDimension; kind: 'time' | 'category' }>;
    metrics: Array<{ id: ReportMetric; kind: 'count' | 'rate' }>;
    filters: ReportFilterName[];
    visualisations: ReportVisualisation[];
  };
}

// ---- Hot clicks ----

/** GET /campaigns/deliveries/:id/hot-clicks?mode=total|unique&include=bots,machine */
export interface HotClicksQuery {
  mode?: 'total' | 'unique';
  include?: string;
}

export interface HotClickLink {
  /** The tracked link's id (the `data-campaigns-link` attribute on the matching anchor of `html`). */
  linkId: number;
  url: string;
  /** The anchor's text (or the alt text of the image it wraps), trimmed; null when it has neither. */
  label: string | null;
  /** The link's 0-based index among the message's anchors, as in `/links` and in tracking events. */
  position: number;
  /** 1-based: this is the n-th link with this URL in its part (tells repeated links apart). */
  occurrence: number;
  /** 'html' whenever the message has HTML: its text part shares the same tracked links (and their clicks). */
  part: 'html' | 'text';
  /** The block of a blocks message the link is in; null for raw HTML. */
  blockId: string | null;
  /** The Strapi entry an entry card or list links to: which entries readers clicked. */
  entry: { contentType: string; documentId: string } | null;
  clicks: number;
  uniqueClicks: number;
  /**
   * Of all clicks of the delivery in the chosen mode, a ratio in [0, 1] with 4 decimals: clicks / all clicks, or in
   * unique mode uniqueClicks / the sum of every link's uniqueClicks (so shares add up to 1 in both modes).
   */
  share: number;
}

export interface HotClicksResponse {
  data: {
    /**
     * The message's HTML as sent, with neutral personalisation, scripts removed, and each tracked anchor carrying
     * `data-campaigns-link="<linkId>"`; shown in an iframe with `sandbox=""` (no scripts, no same origin).
     */
    html: string;
    /** The text part as sent, with neutral personalisation; links appear as their original URLs. */
    text: string;
    links: HotClickLink[];
    /** Every counted click, and the recipients who clicked at least once (any link). */
    totals: { clicks: number; uniqueClicks: number };
  };
  meta: {
    delivery: { id: number; documentId: string; name: string };
    mode: 'total' | 'unique';
    include: { bots: boolean; machine: boolean };
  };
}

// ---- Scheduled report emails ----

/** One send of a scheduled report, newest first in its history. */
export interface ReportSend {
  at: string;
  /** Recipients who were sent the email, and those whose address or transport refused it. */
  sent: number;
  failed: number;
  rows: number;
  error: string | null;
}

/** GET / PUT /campaigns/reports/:id/schedule (data null when the report has none), POST .../schedule/send. */
export interface ReportSchedule {
  frequency: 'daily' | 'weekly' | 'monthly';
  hour: number;
  weekday?: number;
  dayOfMonth?: number;
  recipients: string[];
  nextSendAt: string | null;
  history: ReportSend[];
}

// Reads of the tracking-logs table: the events of one delivery (filtered pages, or a CSV read by keyset) and its
// links with their clicks. Registered as the tracking-logs service (server/src/services.ts).
import { linkLabel } from '../tracking/link-label';
import { Readable } from 'stream';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import { UID, type FlagReason } from '../../../shared/constants';
import type {
  TrackedLinkStats,
  TrackedLinksResponse,
  TrackingEvent,
  TrackingLogQuery,
  TrackingLogResponse,
} from '../../../shared/contracts/tracking-logs';
import { csvFilename, csvLine } from '../../../shared/csv';
import { toIso } from '../platform/dates';
import { toPagination } from '../platform/pagination';
import { tableOf } from './tables';

type Filters = Omit<TrackingLogQuery, 'page' | 'pageSize' | 'sort' | 'format'>;

const CSV_PAGE = 1000;
const SORT_COLUMNS: Record<string, string> = { at: 'e.at', id: 'e.id' };
const CSV_HEADER = [
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
];

/** Booleans as the three databases return them: true/false, 1/0, or '1'/'0'. */
const toBool = (value: unknown) => value === true || value === 1 || value === '1' || value === 't';

/** A row of withDetails below: the event's columns, its recipient's address and its link's. */
interface EventRow {
  id: number | string;
  type: TrackingEvent['type'];
  at: unknown;
  delivery_log_id: number | string | null;
  device: TrackingEvent['device'] | null;
  os: string | null;
  client: string | null;
  is_bot: unknown;
  is_machine_open: unknown;
  flag_reason: FlagReason | null;
  user_agent: string | null;
  ip: string | null;
  email: string | null;
  link_id: number | string | null;
  link_document_id: string;
  link_url: string;
  link_label: unknown;
  link_position: number | string;
}

/** A row of the tracked-links table, as links() selects it. */
interface LinkRow {
  id: number | string;
  document_id: string;
  url: string;
  label: unknown;
  position: number | string;
  kind: TrackedLinkStats['kind'];
  tracked: unknown;
}

const toEvent = (row: EventRow): TrackingEvent => ({
  id: Number(row.id),
  type: row.type,
  at: toIso(row.at) ?? '',
  email: row.email ?? null,
  deliveryLogId: row.delivery_log_id == null ? null : Number(row.delivery_log_id),
  link:
    row.link_id == null
      ? null
      : {
          id: Number(row.link_id),
          documentId: row.link_document_id,
          url: row.link_url,
          label: linkLabel(row.link_label, String(row.link_url)),
          position: Number(row.link_position),
        },
  device: row.device ?? 'unknown',
  os: row.os ?? null,
  client: row.client ?? null,
  isBot: toBool(row.is_bot),
  isMachineOpen: toBool(row.is_machine_open),
  flagReason: row.flag_reason ?? null,
  userAgent: row.user_agent ?? null,
  ip: row.ip ?? null,
});

/** A flag filter; rows written before the flag existed hold NULL, which reads as false. */
const whereFlag = (q: Knex.QueryBuilder, column: string, value: boolean) =>
  value ? q.where(column, true) : q.where((inner) => inner.where(column, false).orWhereNull(column));

const createTrackingLogsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => strapi.db.connection as unknown as Knex;
  const table = (uid: string) => tableOf(strapi, uid).table;

  const deliveryOf = async (documentId: string) => {
    const delivery = await knex()(table(UID.delivery)).where('document_id', documentId).first('id', 'name');
    if (!delivery) throw new errors.NotFoundError(`No delivery with id "${documentId}".`);
    return { id: Number(delivery.id), name: delivery.name as string };
  };

  /** The link filter names a link of this delivery by documentId; an unknown one is a 404, not an empty page. */
  const linkIdOf = async (deliveryId: number, documentId: string | undefined) => {
    if (!documentId) return undefined;
    const link = await knex()(table(UID.trackedLink))
      .where({ delivery_id: deliveryId, document_id: documentId })
      .first('id');
    if (!link) throw new errors.NotFoundError(`No link with id "${documentId}" in this delivery.`);
    return Number(link.id);
  };

  const eventsQuery = (deliveryId: number, filters: Filters, linkId: number | undefined) => {
    const q = knex()({ e: table(UID.trackingLog) }).where('e.delivery_id', deliveryId);
    if (filters.type) q.where('e.type', filters.type);
    if (filters.isBot !== undefined) whereFlag(q, 'e.is_bot', filters.isBot);
    if (filters.isMachineOpen !== undefined) whereFlag(q, 'e.is_machine_open', filters.isMachineOpen);
    if (filters.device) q.where('e.device', filters.device);
    if (linkId !== undefined) q.where('e.tracked_link_id', linkId);
    return q;
  };

  const withDetails = (q: Knex.QueryBuilder) =>
    q
      .leftJoin({ l: table(UID.deliveryLog) }, 'l.id', 'e.delivery_log_id')
      .leftJoin({ k: table(UID.trackedLink) }, 'k.id', 'e.tracked_link_id')
      .select(
        'e.id',
        'e.type',
        'e.at',
        'e.delivery_log_id',
        'e.device',
        'e.os',
        'e.client',
        'e.is_bot',
        'e.is_machine_open',
        'e.flag_reason',
        'e.user_agent',
        'e.ip',
        {
          email: 'l.email',
          link_id: 'k.id',
          link_document_id: 'k.document_id',
          link_url: 'k.url',
          link_label: 'k.label',
          link_position: 'k.position',
        },
      );

  return {
    async find(documentId: string, query: TrackingLogQuery): Promise<TrackingLogResponse> {
      const delivery = await deliveryOf(documentId);
      const linkId = await linkIdOf(delivery.id, query.link);
      const [field, direction] = query.sort.split(':');
      const order = direction === 'asc' ? 'asc' : 'desc';
      const [rows, [total]] = await Promise.all([
        withDetails(eventsQuery(delivery.id, query, linkId))
          .orderBy(SORT_COLUMNS[field] ?? 'e.at', order)
          .orderBy('e.id', order)
          .offset((query.page - 1) * query.pageSize)
          .limit(query.pageSize),
        eventsQuery(delivery.id, query, linkId).count({ count: '*' }),
      ]);
      return {
        data: rows.map(toEvent),
        meta: { pagination: toPagination(query.page, query.pageSize, Number(total?.count ?? 0)) },
      };
    },

    /** Every matching event as CSV, oldest first, read a page at a time by id: memory stays flat. */
    async csv(documentId: string, filters: Filters): Promise<{ filename: string; stream: Readable }> {
      const delivery = await deliveryOf(documentId);
      const linkId = await linkIdOf(delivery.id, filters.link);
      async function* lines(this: void) {
        yield csvLine(CSV_HEADER);
        let cursor = 0;
        for (;;) {
          const rows = await withDetails(eventsQuery(delivery.id, filters, linkId).where('e.id', '>', cursor))
            .orderBy('e.id', 'asc')
            .limit(CSV_PAGE);
          if (!rows.length) return;
          cursor = Number(rows[rows.length - 1].id);
          yield rows
            .map(toEvent)
            .map((e: TrackingEvent) =>
              csvLine([
                e.id,
                e.at,
                e.type,
                e.email,
                e.link?.position,
                e.link?.url,
                e.device,
                e.os,
                e.client,
                e.isBot,
                e.isMachineOpen,
                e.flagReason,
                e.userAgent,
                e.ip,
              ]),
            )
            .join('');
          if (rows.length < CSV_PAGE) return;
        }
      }
      return { filename: csvFilename(delivery.name, 'tracking'), stream: Readable.from(lines()) };
    },

    /** The delivery's links in message order, each with its clicks (one GROUP BY on the delivery/link index). */
    async links(documentId: string): Promise<TrackedLinksResponse> {
      const delivery = await deliveryOf(documentId);
      const events = table(UID.trackingLog);
      const humanClick = (q: Knex.QueryBuilder) =>
        whereFlag(q.where({ delivery_id: delivery.id, type: 'click' }), 'is_bot', false);
      const [links, perLink, bots, [unique]] = await Promise.all([
        knex()(table(UID.trackedLink))
          .where('delivery_id', delivery.id)
          .orderBy('position', 'asc')
          .select('id', 'document_id', 'url', 'label', 'position', 'kind', 'tracked'),
        humanClick(knex()(events))
          .groupBy('tracked_link_id')
          .select('tracked_link_id')
          .count({ clicks: '*' })
          .countDistinct({ unique_clicks: 'delivery_log_id' }),
        knex()(events)
          .where({ delivery_id: delivery.id, type: 'click' })
          .where('is_bot', true)
          .groupBy('tracked_link_id')
          .select('tracked_link_id')
          .count({ clicks: '*' }),
        humanClick(knex()(events)).countDistinct({ unique_clicks: 'delivery_log_id' }),
      ]);
      const human = new Map<number, Record<string, unknown>>(
        perLink.map((row: Record<string, unknown>) => [Number(row.tracked_link_id), row]),
      );
      const botCount = new Map(
        bots.map((row: Record<string, unknown>) => [Number(row.tracked_link_id), Number(row.clicks)]),
      );
      const data: TrackedLinkStats[] = links.map((link: LinkRow) => {
        const id = Number(link.id);
        return {
          id,
          documentId: link.document_id,
          url: link.url,
          label: linkLabel(link.label, String(link.url)),
          position: Number(link.position),
          kind: link.kind,
          tracked: toBool(link.tracked),
          clicks: Number(human.get(id)?.clicks ?? 0),
          uniqueClicks: Number(human.get(id)?.unique_clicks ?? 0),
          botClicks: botCount.get(id) ?? 0,
        };
      });
      return {
        data,
        meta: {
          totalClicks: data.reduce((sum, link) => sum + link.clicks, 0),
          uniqueClicks: Number((unique as Record<string, unknown> | undefined)?.unique_clicks ?? 0),
          botClicks: data.reduce((sum, link) => sum + link.botClicks, 0),
        },
      };
    },
  };
};

export type TrackingLogsService = ReturnType<typeof createTrackingLogsService>;
export default createTrackingLogsService;

// Reads of the delivery-logs table: a delivery's counters, the page of recipients the admin lists, the CSV export,
// and the row -> DeliveryLog shape both answer with (shared/contracts/deliveries.ts).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { DeliveryCounters, DeliveryLog, DeliveryLogQuery } from '../../../shared/contracts/deliveries';
import { csvLine } from '../../../shared/csv';
import { toIso } from '../platform/dates';
import { toPagination } from '../platform/pagination';

const CSV_PAGE = 1000;
const SORT_COLUMNS: Record<string, string> = {
  id: 'id',
  email: 'email',
  status: 'status',
  sentAt: 'sent_at',
  attempts: 'attempts',
  opens: 'opens',
  clicks: 'clicks',
};
const CSV_COLUMNS: Array<[keyof DeliveryLog, string]> = [
  ['id', 'id'],
  ['email', 'email'],
  ['status', 'status'],
  ['failureType', 'failure_type'],
  ['failureReason', 'failure_reason'],
  ['failureMessage', 'failure_message'],
  ['exclusionReason', 'exclusion_reason'],
  ['attempts', 'attempts'],
  ['messageId', 'message_id'],
  ['sentAt', 'sent_at'],
  ['transport', 'transport'],
  ['opens', 'opens'],
  ['clicks', 'clicks'],
  ['firstOpenedAt', 'first_opened_at'],
  ['firstClickedAt', 'first_clicked_at'],
  ['unsubscribedAt', 'unsubscribed_at'],
];

type LogRow = Record<string, unknown>;
const optional = (value: unknown) => (value == null ? null : String(value));

export const toLog = (row: LogRow): DeliveryLog => ({
  id: Number(row.id),
  contactId: row.contact_id == null ? null : Number(row.contact_id),
  listId: row.list_id == null ? null : Number(row.list_id),
  email: String(row.email),
  status: row.status as DeliveryLog['status'],
  failureType: optional(row.failure_type) as DeliveryLog['failureType'],
  failureReason: optional(row.failure_reason) as DeliveryLog['failureReason'],
  failureMessage: optional(row.failure_message),
  exclusionReason: optional(row.exclusion_reason) as DeliveryLog['exclusionReason'],
  attempts: Number(row.attempts ?? 0),
  nextAttemptAt: toIso(row.next_attempt_at),
  messageId: optional(row.message_id),
  sentAt: toIso(row.sent_at),
  transport: optional(row.transport),
  firstOpenedAt: toIso(row.first_opened_at),
  firstClickedAt: toIso(row.first_clicked_at),
  opens: Number(row.opens ?? 0),
  clicks: Number(row.clicks ?? 0),
  unsubscribedAt: toIso(row.unsubscribed_at),
});

/**
 * Whether a delivery still has recipients waiting to be sent (one probe of the (delivery_id, status, failure_type)
 * index).
 */
export const hasPendingLogs = async (strapi: Core.Strapi, deliveryId: number): Promise<boolean> => {
  const knex = (): Knex => strapi.db.connection;
  const row = await knex()(strapi.db.metadata.get(UID.deliveryLog).tableName)
    .where({ delivery_id: deliveryId, status: 'pending' })
    .first('id');
  return Boolean(row);
};

/**
 * Failed logs of a delivery (of one failure type or reason if given; the unknown ones too with includeUnknown) become
 * pending again, except those whose contact is no longer subscribed. Answers how many.
 */
export const requeueFailedLogs = async (
  strapi: Core.Strapi,
  deliveryId: number,
  input: { failureType?: 'hard' | 'soft'; failureReason?: string; includeUnknown?: boolean },
): Promise<number> => {
  const knex = (): Knex => strapi.db.connection;
  return knex()(strapi.db.metadata.get(UID.deliveryLog).tableName)
    .where('delivery_id', deliveryId)
    .whereIn(
      'contact_id',
      knex()(strapi.db.metadata.get(UID.contact).tableName).select('id').where('status', 'subscribed'),
    )
    .where((q) => {
      q.where((failed) => {
        failed.where('status', 'failed');
        if (input.failureType) failed.where('failure_type', input.failureType);
        if (input.failureReason) failed.where('failure_reason', input.failureReason);
      });
      if (input.includeUnknown) q.orWhere('status', 'unknown');
    })
    .update({
      status: 'pending',
      attempts: 0,
      failure_type: null,
      failure_reason: null,
      failure_message: null,
      next_attempt_at: null,
      claimed_at: null,
      sending_at: null,
      updated_at: new Date(),
    });
};

export const emptyCounters = (): DeliveryCounters => ({
  targeted: 0,
  excluded: 0,
  pending: 0,
  sent: 0,
  failedHard: 0,
  failedSoft: 0,
  bounced: 0,
  unknown: 0,
});

/**
 * Counters from the logs: GROUP BYs on the (delivery_id, status, failure_type) index: by status, and the failed rows
 * by type.
 */
export const countersOfDeliveries = async (
  strapi: Core.Strapi,
  ids: number[],
): Promise<Map<number, DeliveryCounters>> => {
  const knex = (): Knex => strapi.db.connection;
  const logTable = () => strapi.db.metadata.get(UID.deliveryLog).tableName;
  const counters = new Map<number, DeliveryCounters>(ids.map((id) => [id, emptyCounters()]));
  if (!ids.length) return counters;
  const [byStatus, byFailure] = await Promise.all([
    knex()(logTable())
      .whereIn('delivery_id', ids)
      .groupBy('delivery_id', 'status')
      .select('delivery_id', 'status')
      .count({ count: '*' }),
    knex()(logTable())
      .whereIn('delivery_id', ids)
      .where('status', 'failed')
      .groupBy('delivery_id', 'failure_type')
      .select('delivery_id', 'failure_type')
      .count({ count: '*' }),
  ]);
  for (const row of byStatus as Array<Record<string, unknown>>) {
    const c = counters.get(Number(row.delivery_id));
    if (!c) continue;
    const count = Number(row.count);
    c.targeted += count;
    if (row.status === 'excluded') c.excluded += count;
    else if (row.status === 'pending') c.pending += count;
    else if (row.status === 'sent') c.sent += count;
    else if (row.status === 'bounced') c.bounced += count;
    else if (row.status === 'unknown') c.unknown += count;
  }
  for (const row of byFailure as Array<Record<string, unknown>>) {
    const c = counters.get(Number(row.delivery_id));
    if (!c) continue;
    if (row.failure_type === 'hard') c.failedHard += Number(row.count);
    else c.failedSoft += Number(row.count);
  }
  return counters;
};

/**
 * Messages of a delivery by the transport that sent them (set only with fallback transports, messengers/failover.ts):
 * a read of every log of the delivery, so asked for only where several transports are configured.
 */
export const sentByTransport = async (strapi: Core.Strapi, deliveryId: number) => {
  const knex = (): Knex => strapi.db.connection;
  const rows: Array<Record<string, unknown>> = await knex()(strapi.db.metadata.get(UID.deliveryLog).tableName)
    .where('delivery_id', deliveryId)
    .whereNotNull('transport')
    .groupBy('transport')
    .select('transport')
    .count({ count: '*' })
    .orderBy('transport');
  return rows.map((row) => ({ transport: String(row.transport), sent: Number(row.count) }));
};

export const createDeliveryLogReads = (strapi: Core.Strapi) => {
  const knex = (): Knex => strapi.db.connection;
  const table = () => strapi.db.metadata.get(UID.deliveryLog).tableName;

  const filtered = (deliveryId: number, query: Omit<DeliveryLogQuery, 'page' | 'pageSize' | 'sort' | 'format'>) => {
    const q = knex()(table()).where('delivery_id', deliveryId);
    if (query.status) q.where('status', query.status);
    if (query.failureType) q.where('failure_type', query.failureType);
    if (query.failureReason) q.where('failure_reason', query.failureReason);
    if (query.exclusionReason) q.where('exclusion_reason', query.exclusionReason);
    // '!' escapes: the one escape character all three databases read the same way in a string literal.
    if (query.search)
      q.whereRaw(`email LIKE ? ESCAPE '!'`, [`%${query.search.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`]);
    return q;
  };

  return {
    /** One page of the logs, filtered and sorted as asked, with the total count. */
    async page(deliveryId: number, query: DeliveryLogQuery) {
      const [field, direction] = query.sort.split(':');
      const [rows, [total]] = await Promise.all([
        filtered(deliveryId, query)
          .orderBy(SORT_COLUMNS[field] ?? 'id', direction === 'desc' ? 'desc' : 'asc')
          .orderBy('id', 'asc')
          .offset((query.page - 1) * query.pageSize)
          .limit(query.pageSize)
          .select('*'),
        filtered(deliveryId, query).count({ count: '*' }),
      ]);
      return {
        data: rows.map(toLog),
        meta: {
          pagination: toPagination(query.page, query.pageSize, Number((total as { count?: unknown })?.count ?? 0)),
        },
      };
    },

    /** The filtered logs as CSV lines, read page by page (keyset on id): memory stays flat whatever the audience. */
    async *csvLines(deliveryId: number, query: DeliveryLogQuery): AsyncGenerator<string> {
      yield csvLine(CSV_COLUMNS.map(([name]) => name));
      const columns = CSV_COLUMNS.map(([, column]) => column);
      let cursor = 0;
      for (;;) {
        const rows: LogRow[] = await filtered(deliveryId, query)
          .where('id', '>', cursor)
          .orderBy('id', 'asc')
          .limit(CSV_PAGE)
          .select(columns);
        if (!rows.length) return;
        cursor = Number(rows[rows.length - 1].id);
        yield rows
          .map((row) => {
            const log = toLog(row);
            return csvLine(CSV_COLUMNS.map(([name]) => log[name]));
          })
          .join('');
        if (rows.length < CSV_PAGE) return;
      }
    },
  };
};

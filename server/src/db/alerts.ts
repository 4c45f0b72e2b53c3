// Reads of the alerts table: the admin's list and live monitoring's recent alerts, each with its delivery's name.
import type { Core } from '@strapi/strapi';
import { UID, type AlertCriterion } from '../../../shared/constants';
import type { Alert, AlertListQuery, AlertRecipientResult } from '../../../shared/contracts/monitoring';
import { toDate } from '../platform/dates';
import { toPagination } from '../platform/pagination';

type AlertRow = Record<string, unknown>;

const parseRecipients = (value: unknown): AlertRecipientResult[] => {
  const parsed =
    typeof value === 'string'
      ? (() => {
          try {
            return JSON.parse(value);
          } catch {
            return [];
          }
        })()
      : value;
  return Array.isArray(parsed) ? parsed : [];
};

const toAlert = (row: AlertRow, names: Map<number, { documentId: string; name: string }>): Alert => ({
  id: Number(row.id),
  documentId: String(row.documentId),
  criterion: row.criterion as AlertCriterion,
  deliveryId: row.deliveryId == null ? null : Number(row.deliveryId),
  delivery: row.deliveryId == null ? null : (names.get(Number(row.deliveryId)) ?? null),
  message: String(row.message ?? ''),
  recipients: parseRecipients(row.recipients),
  at: toDate(row.at)?.toISOString() ?? '',
});

export const alertReads = (strapi: Core.Strapi) => {
  const withDeliveries = async (rows: AlertRow[]): Promise<Alert[]> => {
    const ids = [
      ...new Set(
        rows
          .map((row) => row.deliveryId)
          .filter((id) => id != null)
          .map(Number),
      ),
    ];
    const found = ids.length
      ? await strapi.db
          .query(UID.delivery)
          .findMany({ where: { id: { $in: ids } }, select: ['id', 'documentId', 'name'] })
      : [];
    const names = new Map(found.map((d) => [Number(d.id), { documentId: String(d.documentId), name: String(d.name) }]));
    return rows.map((row) => toAlert(row, names));
  };

  return {
    async find(query: AlertListQuery, deliveryId?: number) {
      const where: Record<string, unknown> = {};
      if (query.criterion) where.criterion = query.criterion;
      if (deliveryId !== undefined) where.deliveryId = deliveryId;
      const [rows, total] = await Promise.all([
        strapi.db.query(UID.alert).findMany({
          where,
          orderBy: [{ at: 'desc' }, { id: 'desc' }],
          offset: (query.page - 1) * query.pageSize,
          limit: query.pageSize,
        }),
        strapi.db.query(UID.alert).count({ where }),
      ]);
      return {
        data: await withDeliveries(rows),
        meta: { pagination: toPagination(query.page, query.pageSize, total) },
      };
    },

    async recent(since: Date, limit: number): Promise<Alert[]> {
      const rows = await strapi.db.query(UID.alert).findMany({
        where: { at: { $gte: since } },
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        limit,
      });
      return withDeliveries(rows);
    },
  };
};

// The delivery logs of a report's period (reporting/reports.ts, logRows): a log counts at its `sentAt`, or, never
// accepted, at its last change (`updatedAt`), read as two ranges of one index instead of a scan of every log.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { ReportDimension } from '../../../shared/contracts/reports';
import { knexOf, quoteIdentifier, tableOf } from '../db/tables';
import type { Period } from './report-period';

/** The delivery-log attribute each dimension of the logs reads (reporting/reports.ts, dimensionSql). */
export const LOG_DIMENSION_ATTRIBUTES: Partial<Record<ReportDimension, string>> = {
  delivery: 'deliveryId',
  list: 'listId',
  domain: 'recipientDomain',
  failureReason: 'failureReason',
};

/** The delivery-log attributes a read of the logs names: its counts', and its dimensions' and filters'. */
export const logColumns = (
  dimensions: readonly ReportDimension[],
  filters: { deliveryIds?: unknown; listIds?: unknown; domains?: unknown },
  keyed: boolean,
): string[] => {
  const used = new Set(['status', 'failureType', 'sentAt', 'updatedAt']);
  for (const dimension of dimensions) {
    const attribute = LOG_DIMENSION_ATTRIBUTES[dimension];
    if (attribute) used.add(attribute);
  }
  if (filters.deliveryIds) used.add('deliveryId');
  if (filters.listIds) used.add('listId');
  if (filters.domains) used.add('recipientDomain');
  if (keyed) used.add('countedKinds');
  return [...used];
};

/**
 * The delivery logs of a period, as the derived table `l` with these attributes' columns: those sent in the period
 * and those never sent whose last change falls in it, two ranges of the (sent_at, updated_at, status, failure_type,
 * delivery_id) index (content-types/delivery-log/schema.json) instead of a scan of every log for the COALESCE of both
 * (Tracking indicators' delivered count at 10,000,000 events on SQLite: 0.2 s scanned, 0.04 s from the index).
 */
export const periodLogs = (strapi: Core.Strapi, period: Period, attributes: string[]): Knex.Raw => {
  const { table, column } = tableOf(strapi, UID.deliveryLog);
  const q = (identifier: string) => quoteIdentifier(strapi, identifier);
  const columns = attributes.map((attribute) => q(column(attribute))).join(', ');
  const [sentAt, updatedAt] = [q(column('sentAt')), q(column('updatedAt'))];
  return knexOf(strapi).raw(
    `(SELECT ${columns} FROM ${q(table)} WHERE ${sentAt} >= ? AND ${sentAt} < ? UNION ALL ` +
      `SELECT ${columns} FROM ${q(table)} WHERE ${sentAt} IS NULL AND ${updatedAt} >= ? AND ${updatedAt} < ?) l`,
    [period.from, period.to, period.from, period.to],
  );
};

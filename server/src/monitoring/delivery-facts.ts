// What the alert rules (monitoring/alert-rules.ts) read of a delivery: its row selected under the attribute names,
// and the facts made of it.
import type { Core } from '@strapi/strapi';
import { UID, type DeliveryStatus } from '../../../shared/constants';
import { knexOf, tableOf } from '../db/tables';
import { toDate } from '../platform/dates';
import type { DeliveryFacts } from './alert-rules';

/** A row of deliveryFactsQuery below: the columns it selects, as the drivers return them. */
export interface DeliveryFactsRow {
  id: number | string;
  documentId: string;
  name: string;
  status: DeliveryStatus;
  scheduledAt: unknown;
  sendAfter: unknown;
  startedAt: unknown;
  preparedAt: unknown;
  finishedAt: unknown;
  updatedAt: unknown;
  sendRate: number | string | null;
  lastError: string | null;
}

export const factsOf = (row: DeliveryFactsRow): DeliveryFacts => ({
  id: Number(row.id),
  name: String(row.name ?? ''),
  status: row.status,
  scheduledAt: toDate(row.scheduledAt),
  sendAfter: toDate(row.sendAfter),
  startedAt: toDate(row.startedAt),
  preparedAt: toDate(row.preparedAt),
  finishedAt: toDate(row.finishedAt),
  updatedAt: toDate(row.updatedAt),
  sendRate: row.sendRate == null ? null : Number(row.sendRate),
  lastError: row.lastError ?? null,
});

export const deliveryFactsQuery = (strapi: Core.Strapi) => {
  const { table, column: c } = tableOf(strapi, UID.delivery);
  return knexOf(strapi)(table).select({
    id: 'id',
    documentId: c('documentId'),
    name: c('name'),
    status: c('status'),
    scheduledAt: c('scheduledAt'),
    sendAfter: c('sendAfter'),
    startedAt: c('startedAt'),
    preparedAt: c('preparedAt'),
    finishedAt: c('finishedAt'),
    updatedAt: c('updatedAt'),
    sendRate: c('sendRate'),
    lastError: c('lastError'),
  });
};

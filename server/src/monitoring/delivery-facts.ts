// What the alert rules (monitoring/alert-rules.ts) read of a delivery: its row selected under the attribute names,
// and the facts made of it.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { knexOf, tableOf } from '../db/tables';
import { toDate } from '../platform/dates';
import type { DeliveryFacts } from './alert-rules';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a knex row: its columns are those the query selects
export const factsOf = (row: Record<string, any>): DeliveryFacts => ({
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

// Queries on the suppression table that Strapi's query engine cannot express: insert-or-ignore on the unique email.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID, type SuppressionReason } from '../../../shared/constants';
import { createDocumentId } from '../platform/document-id';
import { chunked } from './chunks';
import { tableOf } from './tables';

export interface NewSuppressions {
  emails: string[];
  reason: SuppressionReason;
  deliveryId: number | null;
  note: string | null;
}

/** Inserts the addresses; one already there keeps its first record, so concurrent writers never fail. */
export const insertSuppressions = async (
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  { emails, reason, deliveryId, note }: NewSuppressions,
) => {
  const { table, column } = tableOf(strapi, UID.suppression);
  const now = new Date();
  for (const part of chunked(emails)) {
    const inserts = part.map((email) => ({
      [column('documentId')]: createDocumentId(),
      [column('email')]: email,
      [column('reason')]: reason,
      [column('deliveryId')]: deliveryId,
      [column('note')]: note,
      [column('createdAt')]: now,
      [column('updatedAt')]: now,
      [column('publishedAt')]: now,
    }));
    await trx(table).insert(inserts).onConflict(column('email')).ignore();
  }
};

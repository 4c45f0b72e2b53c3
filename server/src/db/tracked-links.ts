// Writes and reads of the tracked-links table that preparation and test sends run: a message's links replace what an
// earlier preparation stored, and a prepared delivery's links are read back by position.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { createDocumentId } from '../platform/document-id';
import { chunked } from './chunks';
import { knexOf, tableOf } from './tables';

export interface NewTrackedLink {
  url: string;
  label: string;
  position: number;
  tracked: boolean;
  kind: string;
  blockId: string | null;
  entry: string | null;
}

export const trackedLinkQueries = (strapi: Core.Strapi) => {
  const table = () => tableOf(strapi, UID.trackedLink).table;

  return {
    /** The delivery's links, replacing every link stored before, in the caller's transaction. */
    async replace(trx: Knex.Transaction, deliveryId: number, links: NewTrackedLink[], now: Date): Promise<void> {
      await trx(table()).where('delivery_id', deliveryId).delete();
      const rows = links.map((link) => ({
        document_id: createDocumentId(),
        delivery_id: deliveryId,
        url: link.url,
        label: link.label.slice(0, 255),
        position: link.position,
        tracked: link.tracked,
        kind: link.kind,
        block_id: link.blockId,
        entry: link.entry,
        created_at: now,
        updated_at: now,
        published_at: now,
      }));
      for (const part of chunked(rows, 100)) await trx(table()).insert(part);
    },

    /** The delivery's links as sending numbers them (of one kind, or all). */
    async byPosition(
      deliveryId: number,
      kind?: string,
    ): Promise<Array<{ id: number; position: number; url: string; kind: string }>> {
      const rows = await knexOf(strapi)(table())
        .where({ delivery_id: deliveryId, ...(kind ? { kind } : {}) })
        .select('id', 'position', 'url', 'kind');
      return rows.map((row: { id: number | string; position: number | string; url: string; kind: string }) => ({
        id: Number(row.id),
        position: Number(row.position),
        url: row.url,
        kind: row.kind,
      }));
    },
  };
};

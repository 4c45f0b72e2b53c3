// Delivery-logs written before the humanOpens column existed have it NULL: their human open events are counted from
// the tracking log once, at boot, before any hit is recorded (the tracker then adds to the count, never recomputes it).
// Total opens by default (reporting/indicators.ts) reads the logs with humanOpens > 0.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { knexOf, quoteIdentifier, tableOf } from '../db/tables';

export const fillHumanOpens = async (strapi: Core.Strapi): Promise<number> => {
  const logs = tableOf(strapi, UID.deliveryLog);
  const events = tableOf(strapi, UID.trackingLog);
  const q = (name: string) => quoteIdentifier(strapi, name);
  const [logTable, humanOpens, opens] = [q(logs.table), q(logs.column('humanOpens')), q(logs.column('opens'))];
  const e = (attribute: string) => `t.${q(events.column(attribute))}`;
  const humanOpenEvents =
    `SELECT COUNT(*) FROM ${q(events.table)} t WHERE ${e('deliveryLogId')} = ${logTable}.${q('id')} ` +
    `AND ${e('type')} = 'open' AND ${e('isBot')} IS NOT TRUE AND ${e('isMachineOpen')} IS NOT TRUE`;
  // Identifiers come from Strapi's metadata and the type is a constant: nothing here is user input.
  const result: unknown = await knexOf(strapi).raw(
    `UPDATE ${logTable} SET ${humanOpens} = CASE WHEN ${opens} > 0 THEN (${humanOpenEvents}) ELSE 0 END ` +
      `WHERE ${humanOpens} IS NULL`,
  );
  return changedRows(result);
};

/** Rows an UPDATE changed, as each driver reports it (better-sqlite3, pg, mysql2). */
export const changedRows = (result: unknown): number => {
  const r = result as { changes?: number; rowCount?: number; affectedRows?: number } | [{ affectedRows?: number }];
  if (Array.isArray(r)) return Number(r[0]?.affectedRows ?? 0);
  return Number(r.changes ?? r.rowCount ?? r.affectedRows ?? 0);
};

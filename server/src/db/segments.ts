// The SQL of engagement segments (shared/segments.ts): a segment's rules become one query over contacts, each
// condition one or two sets of contact ids (from the delivery logs, the tracking logs or the list join table) a
// member must be in or out of. The one query gives the member ids, read to size a segment, to list its first members
// and to prepare a delivery to it (sending/segment-audience.ts), so the size an editor sees is counted by the code
// that writes the logs.
//
// Reactions come from the columns the tracker keeps on each delivery log (tracking/tracker.ts): humanOpenedAt /
// humanClickedAt leave out machine opens and bots, firstOpenedAt / firstClickedAt count them (the segment's
// includeMachine switch); a click, a mirror view or an unsubscription is also an open, as in the indicators.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import { UID } from '../../../shared/constants';
import type { SegmentCondition, SegmentRules, SegmentScope } from '../../../shared/segments';
import { contactListsJoin } from './join-tables';
import { knexOf, tableOf, toCount } from './tables';

type Row = Record<string, unknown>;

/** Deliveries that count as "sent" for a segment's "last N deliveries". */
const SENT_STATUSES = ['sending', 'paused', 'sent'];
/** Tracking events that show a contact is active: a read (pixel or mirror) or a click. */
const ACTIVITY_TYPES = ['open', 'click', 'mirror'];
/** A page of member ids spanning at most this many ids per member is read as a range. */
const DENSE_SPAN = 4;

/** A condition with its documentIds turned into row ids, and "last N" into the deliveries it means at that moment. */
type ResolvedCondition =
  | { kind: 'list'; not: boolean; listId: number }
  | { kind: 'opened' | 'clicked'; not: boolean; deliveryIds: number[] }
  | { kind: 'clickedLink'; not: boolean; linkId: number; deliveryId: number }
  | { kind: 'inactive' | 'softBounced'; not: boolean; since: Date };

export interface ResolvedRules {
  match: SegmentRules['match'];
  includeMachine: boolean;
  conditions: ResolvedCondition[];
}

/** Contact ids (a sub-select of `contact_id`) a member must be in, or out of. */
interface ContactSet {
  contacts: Knex.QueryBuilder;
  inside: boolean;
}

export interface SegmentRow {
  id: number;
  documentId: string;
  email: string;
  status: string;
}

export const segmentQueries = (strapi: Core.Strapi) => {
  const knex = () => knexOf(strapi);
  const contacts = () => tableOf(strapi, UID.contact).table;
  const logs = () => tableOf(strapi, UID.deliveryLog).table;
  const events = () => tableOf(strapi, UID.trackingLog).table;

  const idOf = async (uid: string, documentId: string, what: string, position: number) => {
    const row = await strapi.db.query(uid).findOne({ where: { documentId }, select: ['id'] });
    if (!row) {
      throw new errors.ValidationError(`Condition ${position} names a ${what} that no longer exists.`, {
        field: `rules.conditions.${position - 1}`,
      });
    }
    return Number(row.id);
  };

  const scopeIds = async (scope: SegmentScope, before: Date, position: number): Promise<number[]> => {
    if (scope.type === 'delivery') return [await idOf(UID.delivery, scope.delivery, 'delivery', position)];
    const rows = await strapi.db.query(UID.delivery).findMany({
      where: { status: { $in: SENT_STATUSES }, startedAt: { $lt: before } },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      limit: scope.count,
      select: ['id'],
    });
    return rows.map((row: Row) => Number(row.id));
  };

  const resolveCondition = async (
    condition: SegmentCondition,
    before: Date,
    position: number,
  ): Promise<ResolvedCondition> => {
    switch (condition.kind) {
      case 'list':
        return { kind: 'list', not: condition.not, listId: await idOf(UID.list, condition.list, 'list', position) };
      case 'opened':
      case 'clicked':
        return {
          kind: condition.kind,
          not: condition.not,
          deliveryIds: await scopeIds(condition.scope, before, position),
        };
      case 'clickedLink': {
        const deliveryId = await idOf(UID.delivery, condition.delivery, 'delivery', position);
        const link = await strapi.db
          .query(UID.trackedLink)
          .findOne({ where: { documentId: condition.link, deliveryId }, select: ['id', 'deliveryId'] });
        if (!link) {
          throw new errors.ValidationError(`Condition ${position} names a link that its delivery does not have.`, {
            field: `rules.conditions.${position - 1}`,
          });
        }
        return {
          kind: 'clickedLink',
          not: condition.not,
          linkId: Number(link.id),
          deliveryId: Number(link.deliveryId),
        };
      }
      case 'inactive':
      case 'softBounced':
        return {
          kind: condition.kind,
          not: condition.not,
          since: new Date(before.getTime() - condition.days * 86_400_000),
        };
    }
  };

  // Every contact set leaves out logs and events without a contact (an erased one): it is never anyone's.
  const logContacts = (deliveryIds: number[]) =>
    knex()(logs()).select('contact_id').whereIn('delivery_id', deliveryIds).whereNotNull('contact_id');
  const sentTo = (deliveryIds: number[]) => logContacts(deliveryIds).whereNotNull('sent_at');
  const humanOnly = (query: Knex.QueryBuilder, includeMachine: boolean) =>
    includeMachine ? query : query.whereRaw('is_bot IS NOT TRUE').whereRaw('is_machine_open IS NOT TRUE');

  /**
   * A condition as the contact sets it needs a member to be in (`inside`) or out of: most are one set, "did not
   * open / click" is two (sent one of them, and reacted to none).
   */
  const partsOf = (condition: ResolvedCondition, includeMachine: boolean): ContactSet[] => {
    switch (condition.kind) {
      case 'list': {
        const join = contactListsJoin(strapi);
        const members = knex()(join.table)
          .select({ contact_id: join.contactColumn })
          .where(join.listColumn, condition.listId);
        return [{ contacts: members, inside: !condition.not }];
      }
      case 'opened':
      case 'clicked': {
        const column =
          condition.kind === 'opened'
            ? includeMachine
              ? 'first_opened_at'
              : 'human_opened_at'
            : includeMachine
              ? 'first_clicked_at'
              : 'human_clicked_at';
        const reacted = logContacts(condition.deliveryIds).whereNotNull(column);
        // "Did not open" means was sent one and opened none, not "never heard of it".
        return condition.not
          ? [
              { contacts: sentTo(condition.deliveryIds), inside: true },
              { contacts: reacted, inside: false },
            ]
          : [{ contacts: reacted, inside: true }];
      }
      case 'clickedLink': {
        const clicked = humanOnly(
          knex()(events())
            .select('contact_id')
            .where('delivery_id', condition.deliveryId)
            .where('tracked_link_id', condition.linkId)
            .where('type', 'click')
            .whereNotNull('contact_id'),
          includeMachine,
        );
        return condition.not
          ? [
              { contacts: sentTo([condition.deliveryId]), inside: true },
              { contacts: clicked, inside: false },
            ]
          : [{ contacts: clicked, inside: true }];
      }
      case 'inactive': {
        const active = humanOnly(
          knex()(events())
            .select('contact_id')
            .whereIn('type', ACTIVITY_TYPES)
            .where('at', '>=', condition.since)
            .whereNotNull('contact_id'),
          includeMachine,
        );
        // Inactive is the absence of activity, so its `not` (active) is being inside.
        return [{ contacts: active, inside: condition.not }];
      }
      case 'softBounced': {
        const bounced = knex()(logs())
          .select('contact_id')
          .where('status', 'bounced')
          .where('failure_type', 'soft')
          .where('bounced_at', '>=', condition.since)
          .whereNotNull('contact_id');
        return [{ contacts: bounced, inside: !condition.not }];
      }
    }
  };

  /**
   * The contacts the rules select, as a query on `contacts as c`. Each contact set is LEFT JOINed once, grouped by
   * contact, and tested for presence or absence: the one form all three databases run as a hash or merge join. A
   * `NOT IN (sub-select)` would be re-scanned for every contact on PostgreSQL once the set outgrows work_mem, and a
   * correlated NOT EXISTS on SQLite for every contact, since the events have no contact index (bench/segments.js).
   */
  const members = (rules: ResolvedRules) => {
    const query = knex()(`${contacts()} as c`);
    const tests = rules.conditions.map((condition, index) =>
      partsOf(condition, rules.includeMachine).map(({ contacts: set, inside }, part) => {
        const alias = `s${index}_${part}`;
        query.leftJoin(set.groupBy('contact_id').as(alias), `${alias}.contact_id`, 'c.id');
        return (where: Knex.QueryBuilder) =>
          inside ? where.whereNotNull(`${alias}.contact_id`) : where.whereNull(`${alias}.contact_id`);
      }),
    );
    return query.where((outer) => {
      for (const parts of tests) {
        const group = (inner: Knex.QueryBuilder) => {
          for (const test of parts) test(inner);
        };
        if (rules.match === 'all') outer.where(group);
        else outer.orWhere(group);
      }
    });
  };

  return {
    /** The rules with their references looked up; "last N deliveries" means those started before `before`. */
    async resolve(rules: SegmentRules, before: Date): Promise<ResolvedRules> {
      const conditions: ResolvedCondition[] = [];
      for (const [index, condition] of rules.conditions.entries())
        conditions.push(await resolveCondition(condition, before, index + 1));
      return { match: rules.match, includeMachine: rules.includeMachine, conditions };
    },

    async count(rules: ResolvedRules): Promise<number> {
      const [row] = await members(rules).count({ n: '*' });
      return toCount((row as Row | undefined)?.n);
    },

    /**
     * Every member after a contact id, in id order: the rules are evaluated once (each sub-select read once), where
     * paging the query itself would read them again for every page.
     */
    async memberIds(rules: ResolvedRules, after: number): Promise<number[]> {
      const rows = await members(rules).where('c.id', '>', after).orderBy('c.id', 'asc').pluck('c.id');
      return rows.map(Number);
    },

    /**
     * The contacts of a page of member ids (ascending), in id order. A dense page is read as its id range and filtered
     * here: a range scan costs far less than binding thousands of ids (bench/segments.js).
     */
    async rows(ids: number[]): Promise<SegmentRow[]> {
      if (!ids.length) return [];
      const first = ids[0];
      const last = ids[ids.length - 1];
      const dense = last - first < DENSE_SPAN * ids.length;
      const query = knex()(contacts()).select('id', 'document_id', 'email', 'status').orderBy('id', 'asc');
      const rows = (await (dense ? query.whereBetween('id', [first, last]) : query.whereIn('id', ids))) as Row[];
      const wanted = dense ? new Set(ids) : null;
      return rows
        .filter((row) => !wanted || wanted.has(Number(row.id)))
        .map((row) => ({
          id: Number(row.id),
          documentId: String(row.document_id),
          email: String(row.email),
          status: String(row.status),
        }));
    },

    /** The highest contact a delivery already has a log for (0: none yet). */
    async lastLoggedContactId(deliveryId: number): Promise<number> {
      const [row] = await knex()(logs()).where('delivery_id', deliveryId).max({ max: 'contact_id' });
      return Number((row as Row | undefined)?.max ?? 0);
    },
  };
};

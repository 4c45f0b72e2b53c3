// Deliveries: editing while draft, the actions that move them through their statuses (send, schedule, pause,
// resume, cancel, test, retry-failed), their counters and their logs.
import { Readable } from 'stream';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID, type DeliveryStatus } from '../../../shared/constants';
import { pluginDocuments } from '../platform/plugin-documents';
import { emailProblem } from '../platform/email-address';
import type { RenderContact } from './template';
import type {
  DeliveryCounters,
  DeliveryInput,
  DeliveryListQuery,
  DeliveryLog,
  DeliveryLogQuery,
  RetryFailedResult,
  TestSendInput,
  TestSendResult,
} from '../../../shared/contracts/deliveries';
import type { AudienceSegmentRef } from '../../../shared/contracts/extensions';
import { describeTemplateErrors } from './composer';
import { toIso } from '../platform/dates';
import { getService } from '../platform/get-service';
import { contactListsJoin } from '../db/join-tables';
import { toPagination } from '../platform/pagination';
import { csvFilename, csvLine } from '../../../shared/csv';

const DELIVERY_FIELDS = [
  'name',
  'subject',
  'fromName',
  'fromEmail',
  'replyTo',
  'html',
  'text',
  'audienceFilter',
  'audienceSegments',
  'status',
  'scheduledAt',
  'sendAfter',
  'startedAt',
  'finishedAt',
  'preparedAt',
  'trackOpens',
  'trackLinks',
  'linkTracking',
  'sendRate',
  'estimatedRecipients',
  'lastError',
  'createdAt',
  'updatedAt',
] as const;

const ACTIVE: DeliveryStatus[] = ['scheduled', 'preparing', 'sending', 'paused'];
const CSV_PAGE = 1000;
const LOG_SORT_COLUMNS: Record<string, string> = {
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
  ['opens', 'opens'],
  ['clicks', 'clicks'],
  ['firstOpenedAt', 'first_opened_at'],
  ['firstClickedAt', 'first_clicked_at'],
  ['unsubscribedAt', 'unsubscribed_at'],
];

const emptyCounters = (): DeliveryCounters => ({
  targeted: 0,
  excluded: 0,
  pending: 0,
  sent: 0,
  failedHard: 0,
  failedSoft: 0,
  bounced: 0,
  unknown: 0,
});

const toLog = (row: any): DeliveryLog => ({
  id: Number(row.id),
  contactId: row.contact_id == null ? null : Number(row.contact_id),
  listId: row.list_id == null ? null : Number(row.list_id),
  email: row.email,
  status: row.status,
  failureType: row.failure_type ?? null,
  failureReason: row.failure_reason ?? null,
  failureMessage: row.failure_message ?? null,
  exclusionReason: row.exclusion_reason ?? null,
  attempts: Number(row.attempts ?? 0),
  nextAttemptAt: toIso(row.next_attempt_at),
  messageId: row.message_id ?? null,
  sentAt: toIso(row.sent_at),
  firstOpenedAt: toIso(row.first_opened_at),
  firstClickedAt: toIso(row.first_clicked_at),
  opens: Number(row.opens ?? 0),
  clicks: Number(row.clicks ?? 0),
  unsubscribedAt: toIso(row.unsubscribed_at),
});

const createDeliveriesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = () => pluginDocuments(strapi, UID.delivery);
  const knex = () => strapi.db.connection;
  const deliveryTable = () => strapi.db.metadata.get(UID.delivery).tableName;
  const logTable = () => strapi.db.metadata.get(UID.deliveryLog).tableName;
  const contactTable = () => strapi.db.metadata.get(UID.contact).tableName;
  const composer = () => getService(strapi, 'composer');
  const sender = () => getService(strapi, 'sender');
  /** Alerts and events of a status change this service wrote (a conditional update that won). */
  const changed = (id: number, from: DeliveryStatus, to: DeliveryStatus, details?: { scheduledAt?: Date }) =>
    getService(strapi, 'delivery-events').statusChanged(id, from, to, details);

  /** Counters from the logs: one GROUP BY on the (delivery_id, status) index, and one on the failed rows' type. */
  const countersFor = async (ids: number[]): Promise<Map<number, DeliveryCounters>> => {
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
    for (const row of byStatus as any[]) {
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
    for (const row of byFailure as any[]) {
      const c = counters.get(Number(row.delivery_id));
      if (!c) continue;
      if (row.failure_type === 'hard') c.failedHard += Number(row.count);
      else c.failedSoft += Number(row.count);
    }
    return counters;
  };

  const withCounters = async <T extends { id: number }>(items: T[]) => {
    const counters = await countersFor(items.map((item) => item.id));
    return items.map((item) => ({ ...item, counters: counters.get(item.id) ?? emptyCounters() }));
  };

  const load = async (documentId: string) => {
    const delivery = await documents().findOne({
      documentId,
      fields: [...DELIVERY_FIELDS] as any,
      populate: { lists: { fields: ['name'] } },
    });
    if (!delivery) throw new errors.NotFoundError(`No delivery with id "${documentId}".`);
    return delivery as any;
  };

  const listIdsFor = async (listDocumentIds: string[] | undefined) => {
    if (!listDocumentIds) return undefined;
    const found = await strapi
      .documents(UID.list)
      .findMany({ filters: { documentId: { $in: listDocumentIds } }, fields: ['documentId'] });
    const missing = listDocumentIds.filter((id) => !found.some((list) => list.documentId === id));
    if (missing.length) throw new errors.NotFoundError(`No list with id ${missing.map((id) => `"${id}"`).join(', ')}.`);
    return listDocumentIds;
  };

  /** 400 naming the variable, line and column of the first personalisation problem, with all of them in details. */
  const assertComposable = (delivery: any) => {
    const problems = composer().problems(delivery);
    if (!problems.length) return;
    const first = problems[0];
    throw new errors.ValidationError(`Invalid personalisation in the ${first.part ?? 'html'}: ${first.message}`, {
      errors: describeTemplateErrors(problems),
    });
  };

  const assertDraft = (delivery: any, doing: string) => {
    if (delivery.status !== 'draft') {
      throw new errors.ValidationError(
        `Cannot ${doing} delivery "${delivery.name}": it is ${delivery.status}, and only a draft can be changed. ` +
          (ACTIVE.includes(delivery.status)
            ? 'Cancel it first, or duplicate it into a new draft.'
            : 'Duplicate it into a new draft.'),
      );
    }
  };

  /** Conditional transition: only one caller (or process) wins it. */
  const transition = async (id: number, from: DeliveryStatus[], data: Record<string, unknown>) =>
    knex()(deliveryTable())
      .where('id', id)
      .whereIn('status', from)
      .update({ ...data, updated_at: new Date() });

  /**
   * Large deliveries are spread: when a large one starts while other large ones are preparing or sending, it starts
   * sending staggerMinutes after the latest of them.
   */
  const staggerFor = async (id: number, recipients: number): Promise<Date | null> => {
    const { sending } = await getService(strapi, 'settings').get();
    if (recipients <= sending.largeDeliveryThreshold || sending.staggerMinutes <= 0) return null;
    const others = await knex()(deliveryTable())
      .whereIn('status', ['preparing', 'sending'])
      .where('estimated_recipients', '>', sending.largeDeliveryThreshold)
      .whereNot('id', id)
      .select('send_after', 'started_at');
    if (!others.length) return null;
    const now = Date.now();
    const latest = Math.max(
      now,
      ...others.map((o: any) => new Date(o.send_after ?? o.started_at ?? now).getTime() || now),
    );
    return new Date(latest + sending.staggerMinutes * 60_000);
  };

  /** draft or scheduled -> preparing: sized, maybe staggered, then the loop prepares and sends it. */
  const start = async (
    delivery: { id: number; lists?: Array<{ id: number }>; audienceSegments?: AudienceSegmentRef[] | null },
    from: DeliveryStatus[],
  ) => {
    const listIds = (delivery.lists ?? []).map((list) => Number(list.id));
    const segments = delivery.audienceSegments ?? [];
    const recipients =
      (await getService(strapi, 'audience').estimate(listIds)) +
      (segments.length ? await getService(strapi, 'audience-sources').estimate(segments) : 0);
    const staggeredUntil = await staggerFor(delivery.id, recipients);
    const started = await transition(delivery.id, from, {
      status: 'preparing',
      started_at: new Date(),
      estimated_recipients: recipients,
      send_after: staggeredUntil,
      finished_at: null,
      last_error: null,
    });
    if (started) {
      changed(delivery.id, from[0], 'preparing');
      sender().wake();
    }
    return { started: started > 0, staggeredUntil };
  };

  const checkSendable = async (delivery: any) => {
    const problems: string[] = [];
    if (!delivery.subject?.trim()) problems.push('it has no subject');
    if (!delivery.html?.trim() && !delivery.text?.trim()) problems.push('it has no HTML and no text');
    if (!delivery.lists?.length && !delivery.audienceSegments?.length)
      problems.push('it has no list to send to (nor a segment of an audience source)');
    const { defaultFrom } = await getService(strapi, 'settings').get();
    if (!delivery.fromEmail && !defaultFrom.email)
      problems.push('it has no From address (set fromEmail, or defaultFrom.email in the plugin config)');
    if (problems.length)
      throw new errors.ValidationError(`Cannot send delivery "${delivery.name}": ${problems.join('; ')}.`);
    assertComposable(delivery);
    // A source the app no longer registers (or a segment it no longer has) is refused now, not while preparing.
    if (delivery.audienceSegments?.length)
      await getService(strapi, 'audience-sources').assertValid(delivery.audienceSegments);
  };

  const logsQuery = (deliveryId: number, query: Omit<DeliveryLogQuery, 'page' | 'pageSize' | 'sort' | 'format'>) => {
    const q = knex()(logTable()).where('delivery_id', deliveryId);
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
    countersFor,

    async find(query: DeliveryListQuery) {
      const filters: Record<string, unknown>[] = [];
      if (query.search) filters.push({ name: { $containsi: query.search } });
      if (query.status) filters.push({ status: query.status });
      const where = (filters.length ? { $and: filters } : {}) as any;
      const [results, total] = await Promise.all([
        documents().findMany({
          filters: where,
          sort: query.sort,
          start: (query.page - 1) * query.pageSize,
          limit: query.pageSize,
          fields: [...DELIVERY_FIELDS] as any,
          populate: { lists: { fields: ['name'] } },
        }),
        documents().count({ filters: where }),
      ]);
      return {
        data: await withCounters(results as any),
        meta: { pagination: toPagination(query.page, query.pageSize, total) },
      };
    },

    async findOne(documentId: string) {
      const [delivery] = await withCounters([await load(documentId)]);
      return delivery;
    },

    async create(input: DeliveryInput & { name: string; subject: string }) {
      assertComposable(input);
      if (input.audienceSegments?.length)
        await getService(strapi, 'audience-sources').assertValid(input.audienceSegments);
      const lists = await listIdsFor(input.lists);
      const created = await documents().create({ data: { ...input, lists, status: 'draft' } as any });
      return this.findOne(created.documentId);
    },

    async update(documentId: string, input: DeliveryInput) {
      const current = await load(documentId);
      assertDraft(current, 'edit');
      assertComposable({ ...current, ...input });
      if (input.audienceSegments?.length)
        await getService(strapi, 'audience-sources').assertValid(input.audienceSegments);
      const data: Record<string, unknown> = { ...input };
      if (input.lists) data.lists = await listIdsFor(input.lists);
      await documents().update({ documentId, data: data as any });
      return this.findOne(documentId);
    },

    /** Deletes a delivery that is not under way, with its logs, links and tracking events. */
    async delete(documentId: string) {
      const delivery = await load(documentId);
      if (ACTIVE.includes(delivery.status)) {
        throw new errors.ValidationError(
          `Cannot delete delivery "${delivery.name}": it is ${delivery.status}. Cancel it first.`,
        );
      }
      await knex().transaction(async (trx) => {
        await trx(logTable()).where('delivery_id', delivery.id).delete();
        await trx(strapi.db.metadata.get(UID.trackedLink).tableName).where('delivery_id', delivery.id).delete();
        await trx(strapi.db.metadata.get(UID.trackingLog).tableName).where('delivery_id', delivery.id).delete();
      });
      await documents().delete({ documentId });
      composer().forget(delivery.id);
      return { documentId };
    },

    /** Sends now, or at scheduledAt when it is in the future. */
    async send(documentId: string, options: { scheduledAt?: string } = {}) {
      const delivery = await load(documentId);
      if (delivery.status !== 'draft') {
        throw new errors.ValidationError(
          `Cannot send delivery "${delivery.name}": it is ${delivery.status}; only a draft can be sent.`,
        );
      }
      await checkSendable(delivery);
      const when = options.scheduledAt
        ? new Date(options.scheduledAt)
        : delivery.scheduledAt
          ? new Date(delivery.scheduledAt)
          : null;
      if (when && when.getTime() > Date.now() + 1000) {
        const scheduled = await transition(delivery.id, ['draft'], { status: 'scheduled', scheduled_at: when });
        if (!scheduled) throw new errors.ValidationError(`Delivery "${delivery.name}" changed meanwhile; reload it.`);
        changed(delivery.id, 'draft', 'scheduled', { scheduledAt: when });
        return { data: await this.findOne(documentId), meta: { scheduledAt: when.toISOString() } };
      }
      const { started, staggeredUntil } = await start(delivery, ['draft']);
      if (!started) throw new errors.ValidationError(`Delivery "${delivery.name}" changed meanwhile; reload it.`);
      return {
        data: await this.findOne(documentId),
        meta: staggeredUntil ? { staggeredUntil: staggeredUntil.toISOString() } : {},
      };
    },

    /** A scheduled delivery whose time came (the sending loop and the cron task call this). */
    async startScheduled(id: number) {
      const delivery = await strapi.db
        .query(UID.delivery)
        .findOne({ where: { id, status: 'scheduled' }, populate: { lists: { select: ['id'] } } });
      if (!delivery) return false;
      return (await start(delivery as any, ['scheduled'])).started;
    },

    /** Pauses sending (messages in flight finish); a scheduled delivery goes back to draft. */
    async pause(documentId: string) {
      const delivery = await load(documentId);
      if (delivery.status === 'scheduled') {
        if (await transition(delivery.id, ['scheduled'], { status: 'draft' }))
          changed(delivery.id, 'scheduled', 'draft');
        return this.findOne(documentId);
      }
      if (delivery.status !== 'sending') {
        const hint = delivery.status === 'preparing' ? ' Wait until it is sending, or cancel it.' : '';
        throw new errors.ValidationError(
          `Cannot pause delivery "${delivery.name}": it is ${delivery.status}; only a sending delivery can be paused.${hint}`,
        );
      }
      const paused = await transition(delivery.id, ['sending'], { status: 'paused' });
      await sender().halt(delivery.id);
      // After the halt: the paused event's counters include the messages that were in flight.
      if (paused) changed(delivery.id, 'sending', 'paused');
      return this.findOne(documentId);
    },

    async resume(documentId: string) {
      const delivery = await load(documentId);
      if (delivery.status !== 'paused') {
        throw new errors.ValidationError(
          `Cannot resume delivery "${delivery.name}": it is ${delivery.status}; only a paused delivery can be resumed.`,
        );
      }
      if (await transition(delivery.id, ['paused'], { status: 'sending' })) changed(delivery.id, 'paused', 'sending');
      sender().wake();
      return this.findOne(documentId);
    },

    /** Stops for good: recipients not sent yet stay pending (never sent), the rest is kept. */
    async cancel(documentId: string) {
      const delivery = await load(documentId);
      if (!ACTIVE.includes(delivery.status)) {
        throw new errors.ValidationError(`Cannot cancel delivery "${delivery.name}": it is ${delivery.status}.`);
      }
      const cancelled = await transition(delivery.id, ACTIVE, {
        status: 'cancelled',
        finished_at: new Date(),
        locked_by: null,
        locked_until: null,
      });
      await sender().halt(delivery.id);
      const counters = (await countersFor([delivery.id])).get(delivery.id);
      await knex()(deliveryTable())
        .where('id', delivery.id)
        .update({ counters: JSON.stringify(counters) });
      if (cancelled) changed(delivery.id, delivery.status, 'cancelled');
      composer().forget(delivery.id);
      return this.findOne(documentId);
    },

    /**
     * A proof to the given addresses: personalised with a contact (the given one, else the first of the audience,
     * else a sample), subject prefixed "[Test]", links straight to their targets, tokens that record nothing.
     * Not logged, not counted.
     */
    async test(documentId: string, input: TestSendInput): Promise<TestSendResult> {
      const delivery = await load(documentId);
      assertComposable(delivery);
      const invalid = input.emails.map((email) => email.toLowerCase()).filter((email) => emailProblem(email));
      if (invalid.length) throw new errors.ValidationError(`Invalid test address(es): ${invalid.join(', ')}.`);

      let contact: RenderContact | null = null;
      if (input.contact) {
        const found = await strapi
          .documents(UID.contact)
          .findOne({ documentId: input.contact, fields: ['email', 'firstName', 'lastName', 'locale', 'attributes'] });
        if (!found) throw new errors.NotFoundError(`No contact with id "${input.contact}".`);
        contact = found as any;
      } else if (delivery.lists?.length) {
        const join = contactListsJoin(strapi);
        const first = await knex()(join.table)
          .join(contactTable(), `${contactTable()}.id`, `${join.table}.${join.contactColumn}`)
          .whereIn(
            `${join.table}.${join.listColumn}`,
            delivery.lists.map((list: any) => list.id),
          )
          .where(`${contactTable()}.status`, 'subscribed')
          .orderBy(`${contactTable()}.id`, 'asc')
          .first(
            `${contactTable()}.email`,
            `${contactTable()}.first_name`,
            `${contactTable()}.last_name`,
            `${contactTable()}.locale`,
            `${contactTable()}.attributes`,
          );
        if (first) {
          contact = {
            email: first.email,
            firstName: first.first_name,
            lastName: first.last_name,
            locale: first.locale,
            attributes: typeof first.attributes === 'string' ? JSON.parse(first.attributes) : first.attributes,
          };
        }
      }

      let template;
      try {
        template = await composer().draftTemplate(delivery);
      } catch (error) {
        throw new errors.ValidationError(
          `Cannot send a test of delivery "${delivery.name}": ${(error as Error).message}.`,
        );
      }
      const config = await getService(strapi, 'settings').get();
      const publicUrl = await composer().publicUrl();
      const messenger = await getService(strapi, 'messenger').get();
      const result: TestSendResult = { sent: [], failed: [] };
      const variableNames = composer().variablesUsedBy(template);
      for (const email of input.emails) {
        const messageId = composer().messageIdFor(template, 'test');
        const recipient = contact ?? { email, firstName: 'Ada', lastName: 'Lovelace', locale: 'en', attributes: {} };
        const [computed] = await getService(strapi, 'template-variables').valuesFor(variableNames, [
          {
            contact: { ...recipient, id: (recipient as any).id ?? null },
            delivery: { id: delivery.id, documentId },
            test: true,
          },
        ]);
        if ('error' in computed) {
          result.failed.push({ email, error: computed.error });
          continue;
        }
        const message = composer().render(
          template,
          { logId: 0, contact: recipient, messageId, variables: computed.values },
          {
            publicUrl,
            mailto: config.listUnsubscribeMailto || undefined,
            test: true,
          },
        );
        try {
          await messenger.send({ ...message, to: email });
          result.sent.push({ email, messageId });
        } catch (error) {
          result.failed.push({ email, error: (error as Error).message });
        }
      }
      return result;
    },

    /**
     * Failed recipients (optionally of one failure type or reason) become pending again and the delivery sends them;
     * with includeUnknown, the unknown ones too (with their Message-ID: a receiver that got it already can dedupe).
     * Contacts that are no longer subscribed (quarantined by a hard bounce, unsubscribed) are left out.
     */
    async retryFailed(
      documentId: string,
      input: { failureType?: 'hard' | 'soft'; failureReason?: string; includeUnknown?: boolean },
    ): Promise<RetryFailedResult> {
      const delivery = await load(documentId);
      if (!['sent', 'failed', 'sending', 'paused'].includes(delivery.status)) {
        throw new errors.ValidationError(`Cannot retry delivery "${delivery.name}": it is ${delivery.status}.`);
      }
      const query = knex()(logTable())
        .where('delivery_id', delivery.id)
        .whereIn('contact_id', knex()(contactTable()).select('id').where('status', 'subscribed'))
        .where((q) => {
          q.where((failed) => {
            failed.where('status', 'failed');
            if (input.failureType) failed.where('failure_type', input.failureType);
            if (input.failureReason) failed.where('failure_reason', input.failureReason);
          });
          if (input.includeUnknown) q.orWhere('status', 'unknown');
        });
      const retried = await query.update({
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
      if (retried > 0) {
        if (
          await transition(delivery.id, ['sent', 'failed'], { status: 'sending', finished_at: null, last_error: null })
        ) {
          changed(delivery.id, delivery.status, 'sending');
        }
        sender().wake();
      }
      return { retried };
    },

    async logs(documentId: string, query: DeliveryLogQuery) {
      const delivery = await load(documentId);
      const [field, direction] = query.sort.split(':');
      const column = LOG_SORT_COLUMNS[field] ?? 'id';
      const [rows, [total]] = await Promise.all([
        logsQuery(delivery.id, query)
          .orderBy(column, direction === 'desc' ? 'desc' : 'asc')
          .orderBy('id', 'asc')
          .offset((query.page - 1) * query.pageSize)
          .limit(query.pageSize)
          .select('*'),
        logsQuery(delivery.id, query).count({ count: '*' }),
      ]);
      return {
        data: rows.map(toLog),
        meta: { pagination: toPagination(query.page, query.pageSize, Number((total as any)?.count ?? 0)) },
      };
    },

    /** The logs as CSV, read page by page (keyset on id): memory stays flat whatever the audience. */
    async logsCsv(documentId: string, query: DeliveryLogQuery): Promise<{ filename: string; stream: Readable }> {
      const delivery = await load(documentId);
      const columns = CSV_COLUMNS.map(([, column]) => column);
      async function* lines() {
        yield csvLine(CSV_COLUMNS.map(([name]) => name));
        let cursor = 0;
        for (;;) {
          const rows = await logsQuery(delivery.id, query)
            .where('id', '>', cursor)
            .orderBy('id', 'asc')
            .limit(CSV_PAGE)
            .select(columns);
          if (!rows.length) return;
          cursor = Number(rows[rows.length - 1].id);
          yield rows
            .map((row: any) => {
              const log = toLog(row);
              return csvLine(CSV_COLUMNS.map(([name]) => log[name]));
            })
            .join('');
          if (rows.length < CSV_PAGE) return;
        }
      }
      return { filename: csvFilename(delivery.name, 'logs'), stream: Readable.from(lines()) };
    },
  };
};

export type DeliveriesService = ReturnType<typeof createDeliveriesService>;
export default createDeliveriesService;

// Deliveries: editing while draft, the actions that move them through their statuses (send, schedule, pause,
// resume, cancel, test, retry-failed), their counters and their logs.
import { Readable } from 'stream';
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID, type DeliveryStatus } from '../../../shared/constants';
import { pluginDocuments } from '../platform/plugin-documents';
import type {
  DeliveryInput,
  DeliveryListQuery,
  DeliveryLogQuery,
  RetryFailedResult,
  TestSendInput,
  TestSendResult,
} from '../../../shared/contracts/deliveries';
import type { AudienceSegmentRef } from '../../../shared/contracts/extensions';
import type { FollowUpKind } from '../../../shared/follow-ups';
import { describeTemplateErrors, type ComposableDelivery } from './composer';
import { getService } from '../platform/get-service';
import { toPagination } from '../platform/pagination';
import { csvFilename } from '../../../shared/csv';
import { deliveryQueries } from '../db/deliveries';
import {
  countersOfDeliveries,
  createDeliveryLogReads,
  emptyCounters,
  hasPendingLogs,
  requeueFailedLogs,
  sentByTransport,
} from '../db/delivery-logs';
import { ACTIVE, RETRYABLE, isActive, isEditable, isFinished, isRetryable } from '../../../shared/lifecycle';
import { transition } from './lifecycle';
import { NO_RELAY_PAUSE } from './outage';
import { sendTest } from './test-send';
import { DELIVERY_FIELDS, type LoadedDelivery } from './delivery-fields';

/** What start() reads of a delivery. */
interface StartableDelivery {
  id: number;
  lists?: Array<{ id: number }>;
  segment?: { documentId: string } | null;
  audienceSegments?: AudienceSegmentRef[] | null;
  parentDeliveryId?: number | null;
  followUpKind?: FollowUpKind | null;
}

const createDeliveriesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = () => pluginDocuments(strapi, UID.delivery);
  const composer = () => getService(strapi, 'composer');
  const sender = () => getService(strapi, 'sender');

  const countersFor = (ids: number[]) => countersOfDeliveries(strapi, ids);

  const withCounters = async <T extends { id: number }>(items: T[]) => {
    const counters = await countersFor(items.map((item) => item.id));
    return items.map((item) => ({ ...item, counters: counters.get(item.id) ?? emptyCounters() }));
  };

  const load = async (documentId: string) => {
    const delivery = await documents().findOne({
      documentId,
      fields: [...DELIVERY_FIELDS],
      populate: { lists: { fields: ['name'] }, segment: { fields: ['name'] }, layout: { fields: ['name'] } },
    });
    if (!delivery) throw new errors.NotFoundError(`No delivery with id "${documentId}".`);
    return delivery as LoadedDelivery;
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
  const assertComposable = (
    delivery: Pick<
      ComposableDelivery,
      'subject' | 'html' | 'text' | 'trackOpens' | 'trackLinks' | 'linkTracking' | 'contentMode'
    >,
  ) => {
    // A blocks draft is saved as it is (the editor autosaves half-written blocks); its problems stop it at send.
    if (delivery.contentMode === 'blocks') return;
    const problems = composer().problems(delivery);
    if (!problems.length) return;
    const first = problems[0];
    throw new errors.ValidationError(`Invalid personalisation in the ${first.part ?? 'html'}: ${first.message}`, {
      errors: describeTemplateErrors(problems),
    });
  };

  const assertDraft = (delivery: Pick<LoadedDelivery, 'name' | 'status'>, doing: string) => {
    if (!isEditable(delivery.status)) {
      throw new errors.ValidationError(
        `Cannot ${doing} delivery "${delivery.name}": it is ${delivery.status}, and only a draft can be changed. ` +
          (isActive(delivery.status)
            ? 'Cancel it first, or duplicate it into a new draft.'
            : 'Duplicate it into a new draft.'),
      );
    }
  };

  /**
   * Large deliveries are spread: when a large one starts while other large ones are preparing or sending, it starts
   * sending staggerMinutes after the latest of them.
   */
  const staggerFor = async (id: number, recipients: number): Promise<Date | null> => {
    const { sending } = await getService(strapi, 'settings').get();
    if (recipients <= sending.largeDeliveryThreshold || sending.staggerMinutes <= 0) return null;
    const others = await deliveryQueries(strapi).largeUnderWayStarts(id, sending.largeDeliveryThreshold);
    if (!others.length) return null;
    const now = Date.now();
    const latest = Math.max(now, ...others.map((at) => at.getTime() || now));
    return new Date(latest + sending.staggerMinutes * 60_000);
  };

  /** draft or scheduled -> preparing: sized, maybe staggered, then the loop prepares and sends it. */
  const start = async (delivery: StartableDelivery, from: DeliveryStatus[]) => {
    const listIds = (delivery.lists ?? []).map((list) => Number(list.id));
    const segments = delivery.audienceSegments ?? [];
    const { parentDeliveryId, followUpKind } = delivery;
    const recipients =
      parentDeliveryId && followUpKind
        ? await getService(strapi, 'follow-ups').audienceSize(parentDeliveryId, followUpKind)
        : delivery.segment
          ? await getService(strapi, 'segment-audience').recipientsOf(delivery.segment.documentId)
          : (await getService(strapi, 'audience').estimate(listIds)) +
            (segments.length ? await getService(strapi, 'audience-sources').estimate(segments) : 0);
    const staggeredUntil = await staggerFor(delivery.id, recipients);
    const started = await transition(strapi, delivery.id, from, 'preparing', {
      changes: {
        startedAt: new Date(),
        estimatedRecipients: recipients,
        sendAfter: staggeredUntil,
        finishedAt: null,
        lastError: null,
      },
    });
    if (started) sender().wake();
    return { started, staggeredUntil };
  };

  const checkSendable = async (delivery: LoadedDelivery) => {
    const problems: string[] = [];
    if (!delivery.subject?.trim()) problems.push('it has no subject');
    if (delivery.contentMode !== 'blocks' && !delivery.html?.trim() && !delivery.text?.trim())
      problems.push('it has no HTML and no text');
    if (
      !delivery.lists?.length &&
      !delivery.audienceSegments?.length &&
      !delivery.segment &&
      !delivery.parentDeliveryId
    )
      problems.push('it has no list to send to (nor a segment)');
    const { defaultFrom } = await getService(strapi, 'settings').get();
    if (!delivery.fromEmail && !defaultFrom.email)
      problems.push('it has no From address (set fromEmail, or defaultFrom.email in the plugin config)');
    if (problems.length)
      throw new errors.ValidationError(`Cannot send delivery "${delivery.name}": ${problems.join('; ')}.`);
    assertComposable(delivery);
    if (delivery.contentMode === 'blocks') {
      const { problems: found } = await getService(strapi, 'authoring').renderDelivery(delivery);
      if (found.length)
        throw new errors.ValidationError(
          `Cannot send delivery "${delivery.name}": ${found.map((problem) => problem.message).join(' ')}`,
          { errors: found },
        );
    }
    // A source the app no longer registers (or a segment it no longer has) is refused now, not while preparing.
    if (delivery.audienceSegments?.length)
      await getService(strapi, 'audience-sources').assertValid(delivery.audienceSegments);
  };

  const logReads = createDeliveryLogReads(strapi);

  return {
    countersFor,

    async find(query: DeliveryListQuery) {
      const filters: Modules.Documents.Params.Filters.ObjectNotation<typeof UID.delivery>[] = [];
      if (query.search) filters.push({ name: { $containsi: query.search } });
      if (query.status) filters.push({ status: query.status });
      const where = filters.length ? { $and: filters } : {};
      const [results, total] = await Promise.all([
        documents().findMany({
          filters: where,
          sort: query.sort,
          start: (query.page - 1) * query.pageSize,
          limit: query.pageSize,
          fields: [...DELIVERY_FIELDS],
          populate: { lists: { fields: ['name'] }, segment: { fields: ['name'] }, layout: { fields: ['name'] } },
        }),
        documents().count({ filters: where }),
      ]);
      return {
        data: await withCounters(results as LoadedDelivery[]),
        meta: { pagination: toPagination(query.page, query.pageSize, total) },
      };
    },

    async findOne(documentId: string) {
      const [delivery] = await withCounters([await load(documentId)]);
      const { fallbackTransports } = await getService(strapi, 'settings').get();
      return fallbackTransports.length ? { ...delivery, sentBy: await sentByTransport(strapi, delivery.id) } : delivery;
    },

    async create(
      input: DeliveryInput & {
        name: string;
        subject: string;
        /** Set by "Send as newsletter" (authoring/entry-deliveries.ts), never by the API's body. */
        sourceEntry?: { contentType: string; documentId: string; locale: string | null };
      },
    ) {
      assertComposable(input);
      if (input.audienceSegments?.length)
        await getService(strapi, 'audience-sources').assertValid(input.audienceSegments);
      await getService(strapi, 'segment-audience').assertOnlyAudience(input);
      const lists = await listIdsFor(input.lists);
      // "New delivery from layout": a blocks delivery with no content of its own starts with the layout's blocks.
      const content =
        input.contentMode === 'blocks' && input.content == null && input.layout
          ? (await getService(strapi, 'layouts').findOne(input.layout)).content
          : input.content;
      const created = await documents().create({ data: { ...input, content, lists, status: 'draft' } });
      return this.findOne(created.documentId);
    },

    async update(documentId: string, input: DeliveryInput) {
      const current = await load(documentId);
      assertDraft(current, 'edit');
      assertComposable({ ...current, ...input });
      if (input.audienceSegments?.length)
        await getService(strapi, 'audience-sources').assertValid(input.audienceSegments);
      // What the delivery goes to once saved: the input's fields over the current ones.
      const next = { ...current, segment: current.segment?.documentId, ...input };
      await getService(strapi, 'segment-audience').assertOnlyAudience(next);
      const data: Record<string, unknown> = { ...input };
      if (input.lists) data.lists = await listIdsFor(input.lists);
      await documents().update({ documentId, data });
      return this.findOne(documentId);
    },

    /** Deletes a delivery that is not under way, with its logs, links and tracking events. */
    async delete(documentId: string) {
      const delivery = await load(documentId);
      if (isActive(delivery.status)) {
        throw new errors.ValidationError(
          `Cannot delete delivery "${delivery.name}": it is ${delivery.status}. Cancel it first.`,
        );
      }
      await deliveryQueries(strapi).deleteRowsOf(delivery.id);
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
        const scheduled = await transition(strapi, delivery.id, 'draft', 'scheduled', {
          changes: { scheduledAt: when },
          details: { scheduledAt: when },
        });
        if (!scheduled) throw new errors.ValidationError(`Delivery "${delivery.name}" changed meanwhile; reload it.`);
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
      const delivery: StartableDelivery | null = await strapi.db.query(UID.delivery).findOne({
        where: { id, status: 'scheduled' },
        populate: { lists: { select: ['id'] }, segment: { select: ['documentId'] } },
      });
      if (!delivery) return false;
      return (await start(delivery, ['scheduled'])).started;
    },

    /** Pauses sending (messages in flight finish); a scheduled delivery goes back to draft. */
    async pause(documentId: string) {
      const delivery = await load(documentId);
      if (delivery.status === 'scheduled') {
        await transition(strapi, delivery.id, 'scheduled', 'draft');
        return this.findOne(documentId);
      }
      if (delivery.status !== 'sending') {
        const hint = delivery.status === 'preparing' ? ' Wait until it is sending, or cancel it.' : '';
        throw new errors.ValidationError(
          `Cannot pause delivery "${delivery.name}": it is ${delivery.status}; only a sending delivery can be paused.${hint}`,
        );
      }
      // Announced after the halt: the paused event's counters include the messages that were in flight.
      await transition(strapi, delivery.id, 'sending', 'paused', { beforeEvent: () => sender().halt(delivery.id) });
      return this.findOne(documentId);
    },

    async resume(documentId: string) {
      const delivery = await load(documentId);
      if (delivery.status !== 'paused') {
        throw new errors.ValidationError(
          `Cannot resume delivery "${delivery.name}": it is ${delivery.status}; only a paused delivery can be resumed.`,
        );
      }
      // A person's resume ends a pause for a relay failure too: the next send tries the relay again.
      await transition(strapi, delivery.id, 'paused', 'sending', { changes: { ...NO_RELAY_PAUSE, lastError: null } });
      sender().wake();
      return this.findOne(documentId);
    },

    /** Stops for good: recipients not sent yet stay pending (never sent), the rest is kept. */
    async cancel(documentId: string) {
      const delivery = await load(documentId);
      if (!isActive(delivery.status)) {
        throw new errors.ValidationError(`Cannot cancel delivery "${delivery.name}": it is ${delivery.status}.`);
      }
      // Announced once the messages in flight ended, with the counters they leave.
      await transition(strapi, delivery.id, ACTIVE, 'cancelled', {
        changes: { finishedAt: new Date(), lockedBy: null, lockedUntil: null },
        beforeEvent: async () => {
          await sender().halt(delivery.id);
          const counters = (await countersFor([delivery.id])).get(delivery.id);
          await strapi.db.query(UID.delivery).update({ where: { id: delivery.id }, data: { counters } });
        },
      });
      composer().forget(delivery.id);
      return this.findOne(documentId);
    },

    /** A proof to the given addresses, as recipients get it (sending/test-send.ts). */
    async test(documentId: string, input: TestSendInput & { emails: string[] }): Promise<TestSendResult> {
      const delivery = await load(documentId);
      assertComposable(delivery);
      return sendTest(strapi, delivery, input);
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
      if (!isRetryable(delivery.status)) {
        throw new errors.ValidationError(`Cannot retry delivery "${delivery.name}": it is ${delivery.status}.`);
      }
      const retried = await requeueFailedLogs(strapi, delivery.id, input);
      // Recipients still pending (a delivery the relay's outage ended) are sent by the same move.
      if (retried > 0 || (await hasPendingLogs(strapi, delivery.id))) {
        await transition(strapi, delivery.id, RETRYABLE.filter(isFinished), 'sending', {
          changes: { ...NO_RELAY_PAUSE, finishedAt: null, lastError: null },
        });
        sender().wake();
      }
      return { retried };
    },

    async logs(documentId: string, query: DeliveryLogQuery) {
      return logReads.page((await load(documentId)).id, query);
    },

    /** The logs as CSV, read page by page: memory stays flat whatever the audience. */
    async logsCsv(documentId: string, query: DeliveryLogQuery): Promise<{ filename: string; stream: Readable }> {
      const delivery = await load(documentId);
      return {
        filename: csvFilename(delivery.name, 'logs'),
        stream: Readable.from(logReads.csvLines(delivery.id, query)),
      };
    },
  };
};

export type DeliveriesService = ReturnType<typeof createDeliveriesService>;
export default createDeliveriesService;

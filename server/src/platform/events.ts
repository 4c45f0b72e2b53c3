// The plugin's events: put on Strapi's event hub (and so offered to Strapi's webhooks) once their write is committed,
// never on the path of the request or the send that caused them.
//
// Producers call publish() / reactions() and return at once: emission runs on a later turn of the event loop, and a
// listener that throws or hangs is logged, never felt by the producer. Reactions (opens, clicks) arrive at the rate
// of tracking hits: they are queued and enriched (recipient email, delivery documentId) by one query per REACTION_MS
// window, whatever the number of hits, so a busy tracker costs the database a few small reads a second at most.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { LRUCache } from 'lru-cache';
import {
  CAMPAIGNS_EVENTS,
  webhookKeyOf,
  type CampaignsEventName,
  type ContactEvent,
  type EventPayloads,
} from '../../../shared/contracts/events';
import { chunked } from '../db/chunks';
import { knexOf, tableOf } from '../db/tables';

/** The part of Strapi's webhook store used here (its type is not exported). */
export interface WebhookStore {
  addAllowedEvent?: (key: string, value: string) => void;
}

const REACTION_MS = 250;
const MAX_QUEUED_REACTIONS = 50_000;
const DELIVERY_CACHE_SIZE = 1_000;

/** A reaction as the recorder knows it: the email and the delivery's documentId are looked up before emission. */
export type Reaction = { name: 'campaigns.contact.opened' | 'campaigns.contact.clicked'; deliveryId: number } & Omit<
  ContactEvent,
  'version' | 'email' | 'deliveryDocumentId' | 'deliveryId'
>;

export type EventListener<N extends CampaignsEventName> = (payload: EventPayloads[N], name: N) => unknown;

const createEventsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const inFlight = new Set<Promise<unknown>>();
  const documentIds = new LRUCache<number, string>({ max: DELIVERY_CACHE_SIZE });
  let reactions: Reaction[] = [];
  let reactionTimer: NodeJS.Timeout | null = null;
  let dropped = 0;

  const logError = (what: string, error: unknown) =>
    strapi.log.error(
      `[campaigns] events: ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );

  const track = <T>(job: Promise<T>): void => {
    const tracked: Promise<unknown> = job
      .catch((error) => logError('emitting failed', error))
      .finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  /** Emits on a later turn, each event on its own: one listener's failure never stops the others. */
  const publishMany = (items: Array<{ name: CampaignsEventName; payload: unknown }>): void => {
    if (!items.length) return;
    track(
      new Promise((resolve) => setImmediate(resolve)).then(() =>
        Promise.all(
          items.map(({ name, payload }) =>
            Promise.resolve()
              .then(() => strapi.eventHub.emit(name, payload))
              .catch((error) => logError(`a ${name} listener failed`, error)),
          ),
        ),
      ),
    );
  };

  /** documentIds of deliveries by id: cached, they never change. */
  const deliveryDocumentIds = async (ids: number[]): Promise<Map<number, string>> => {
    const found = new Map<number, string>();
    const missing: number[] = [];
    for (const id of new Set(ids)) {
      const cached = documentIds.get(id);
      if (cached) found.set(id, cached);
      else missing.push(id);
    }
    if (missing.length) {
      const { table, column } = tableOf(strapi, UID.delivery);
      const rows = await knexOf(strapi)(table)
        .whereIn('id', missing)
        .select({ id: 'id', documentId: column('documentId') });
      for (const row of rows) {
        documentIds.set(Number(row.id), String(row.documentId));
        found.set(Number(row.id), String(row.documentId));
      }
    }
    return found;
  };

  /** Emails of delivery-logs by id, in chunks that keep every driver's parameter count low. */
  const emailsOf = async (logIds: number[]): Promise<Map<number, string>> => {
    const emails = new Map<number, string>();
    const unique = [...new Set(logIds)];
    const { table, column } = tableOf(strapi, UID.deliveryLog);
    for (const ids of chunked(unique)) {
      const rows = await knexOf(strapi)(table)
        .whereIn('id', ids)
        .select({ id: 'id', email: column('email') });
      for (const row of rows) emails.set(Number(row.id), String(row.email));
    }
    return emails;
  };

  const linkUrls = async (linkIds: number[]): Promise<Map<number, string>> => {
    const urls = new Map<number, string>();
    if (!linkIds.length) return urls;
    const { table, column } = tableOf(strapi, UID.trackedLink);
    const unique = [...new Set(linkIds)];
    for (const ids of chunked(unique)) {
      const rows = await knexOf(strapi)(table)
        .whereIn('id', ids)
        .select({ id: 'id', url: column('url') });
      for (const row of rows) urls.set(Number(row.id), String(row.url));
    }
    return urls;
  };

  const flushReactions = async (): Promise<void> => {
    if (reactionTimer) clearTimeout(reactionTimer);
    reactionTimer = null;
    if (!reactions.length) return;
    const batch = reactions;
    reactions = [];
    const [emails, deliveries, urls] = await Promise.all([
      emailsOf(batch.map((r) => r.deliveryLogId).filter((id): id is number => id != null)),
      deliveryDocumentIds(batch.map((r) => r.deliveryId)),
      // The tracker's link cache gives the URL of almost every click; the rare others are read here.
      linkUrls(batch.filter((r) => r.trackedLinkId && !r.url).map((r) => r.trackedLinkId!)),
    ]);
    for (const reaction of batch) {
      if (reaction.trackedLinkId && !reaction.url) reaction.url = urls.get(reaction.trackedLinkId);
    }
    publishMany(
      batch.map(({ name, ...reaction }) => ({
        name,
        payload: {
          version: 1,
          ...reaction,
          deliveryDocumentId: deliveries.get(reaction.deliveryId) ?? '',
          email: reaction.deliveryLogId != null ? (emails.get(reaction.deliveryLogId) ?? null) : null,
        } satisfies ContactEvent,
      })),
    );
  };

  return {
    /** Emits one event once the current turn is over. Never throws. */
    publish<N extends CampaignsEventName>(name: N, payload: EventPayloads[N]): void {
      publishMany([{ name, payload }]);
    },

    publishMany,

    /** Work that ends in events (looking up what they carry): settled() waits for it too. Never throws. */
    track,

    /**
     * Opens and clicks just committed by the tracker: queued, enriched and emitted within REACTION_MS. Past
     * MAX_QUEUED_REACTIONS (a database that no longer answers) the oldest are dropped and counted, never buffered
     * without bound.
     */
    reactions(items: Reaction[]): void {
      if (!items.length) return;
      reactions.push(...items);
      if (reactions.length > MAX_QUEUED_REACTIONS) {
        const excess = reactions.length - MAX_QUEUED_REACTIONS;
        reactions.splice(0, excess);
        dropped += excess;
        if (dropped === excess || dropped % 10_000 < excess)
          strapi.log.warn(`[campaigns] events: ${dropped} reaction events dropped so far`);
      }
      reactionTimer ??= setTimeout(() => track(flushReactions()), REACTION_MS);
      reactionTimer.unref?.();
    },

    deliveryDocumentIds,

    /**
     * Calls the listener for each of these events; returns the function that stops it. The same events reach
     * Strapi's webhooks, configured in Settings > Webhooks.
     */
    subscribe<N extends CampaignsEventName>(names: N | N[], listener: EventListener<N>): () => void {
      const offs = (Array.isArray(names) ? names : [names]).map((name) =>
        strapi.eventHub.on(name, async (payload: EventPayloads[N]) => {
          await listener(payload, name);
        }),
      );
      return () => offs.forEach((off) => off());
    },

    /** bootstrap(): every event is offered to Strapi's webhooks. */
    start() {
      const store = strapi.get('webhookStore') as WebhookStore | undefined;
      for (const name of Object.values(CAMPAIGNS_EVENTS)) {
        try {
          store?.addAllowedEvent?.(webhookKeyOf(name), name);
        } catch (error) {
          logError(`could not offer ${name} to webhooks`, error);
        }
      }
    },

    /** Waits until every event produced so far is emitted (tests, shutdown). */
    async settled() {
      while (inFlight.size || reactions.length) {
        if (reactions.length) track(flushReactions());
        await Promise.allSettled([...inFlight]);
      }
    },

    /** destroy(): the queued reactions are emitted while the database is still open. */
    async stop() {
      await this.settled();
    },
  };
};

export type EventsService = ReturnType<typeof createEventsService>;
export default createEventsService;

// The preference centre behind /api/campaigns/p/<token>: the public lists a contact is in, changed by the contact.
// Leaving or joining a list writes a `preferences` consent record (the public lists before and after) and nothing
// else: it is no unsubscription, so the indicators do not count it. Unsubscribing from everything goes through
// tracking/unsubscriptions.ts, the same path as the unsubscribe link (status, suppression, the message's
// unsubscribedAt and the `unsubscribe` event, in one transaction), so it counts once, as any unsubscription does.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import type { TokenPayload } from '../platform/tokens';
import { getService } from '../platform/get-service';
import { consentIp, type ConsentList } from '../audience/consents';
import type { RequestFacts } from './unsubscriptions';

export interface PreferenceList {
  id: number;
  name: string;
  description: string | null;
  subscribed: boolean;
}

export interface PreferencesView {
  email: string;
  locale: string | null;
  /** Unsubscribed from everything (or quarantined, or suppressed): the page offers to subscribe again. */
  unsubscribed: boolean;
  lists: PreferenceList[];
  /** A test send or preview (deliveryLogId 0): shown, never changed. */
  preview: boolean;
}

interface ContactRow {
  id: number;
  email: string;
  locale: string | null;
  status: string;
}

const PREVIEW_EMAIL = 'you@example.com';
/** Statuses that receive nothing, whatever the lists say. */
const STOPPED = new Set(['unsubscribed', 'quarantined', 'bounced']);

const createPreferencesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const contacts = () => strapi.db.query(UID.contact);

  const publicLists = async (): Promise<Array<{ id: number; name: string; description: string | null }>> =>
    strapi.db.query(UID.list).findMany({
      where: { public: true },
      select: ['id', 'name', 'description'],
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });

  const memberOf = async (contactId: number): Promise<number[]> => {
    const row = await contacts().findOne({
      where: { id: contactId },
      select: ['id'],
      populate: { lists: { select: ['id'] } },
    });
    return ((row?.lists ?? []) as Array<{ id: number }>).map((list) => Number(list.id));
  };

  /** The message's log and its contact (the one it names, or the one re-created with its address since). */
  const messageOf = async (payload: TokenPayload) => {
    const log = await strapi.db.query(UID.deliveryLog).findOne({
      where: { id: payload.deliveryLogId, deliveryId: payload.deliveryId },
      select: ['id', 'contactId', 'email', 'unsubscribedAt'],
    });
    if (!log) return null;
    const contact = (await getService(strapi, 'suppressions').contactOf(log, [
      'id',
      'email',
      'locale',
      'status',
    ])) as ContactRow | null;
    return { log, contact };
  };

  const viewOf = async (payload: TokenPayload): Promise<PreferencesView | null> => {
    if (payload.deliveryLogId === 0) {
      const lists = await publicLists();
      return {
        email: PREVIEW_EMAIL,
        locale: null,
        unsubscribed: false,
        lists: lists.map((list) => ({ ...list, subscribed: false })),
        preview: true,
      };
    }
    const message = await messageOf(payload);
    if (!message) return null;
    const { log, contact } = message;
    if (!contact) {
      // The contact was deleted and not re-created: there are no lists to show, only the address's state.
      return { email: log.email, locale: null, unsubscribed: log.unsubscribedAt != null, lists: [], preview: false };
    }
    const [lists, member] = await Promise.all([publicLists(), memberOf(contact.id)]);
    const memberSet = new Set(member);
    return {
      email: contact.email,
      locale: contact.locale,
      unsubscribed: STOPPED.has(contact.status),
      lists: lists.map((list) => ({ ...list, subscribed: memberSet.has(list.id) })),
      preview: false,
    };
  };

  return {
    /** What the page shows; null when the token names no existing message (answered 404). Changes nothing. */
    view: viewOf,

    /**
     * Puts the contact in exactly the chosen public lists (ids not public are ignored; lists that are not public
     * are left as they are) and records the change as a `preferences` consent record, in one transaction.
     * No change, no record. A preview changes nothing.
     */
    async saveLists(payload: TokenPayload, chosen: number[], request: RequestFacts): Promise<PreferencesView | null> {
      if (payload.deliveryLogId === 0) return viewOf(payload);
      const keepIp = (await getService(strapi, 'settings').get()).subscribe.storeConsentIp;
      const saved = await strapi.db.transaction(async () => {
        const message = await messageOf(payload);
        if (!message) return false;
        const { contact } = message;
        if (!contact) return true;
        const lists = await publicLists();
        const publicIds = new Set(lists.map((list) => list.id));
        const member = await memberOf(contact.id);
        const wanted = new Set(chosen.filter((id) => publicIds.has(id)));
        const before = member.filter((id) => publicIds.has(id));
        const after = lists.map((list) => list.id).filter((id) => wanted.has(id));
        const changed = before.length !== after.length || before.some((id) => !wanted.has(id));
        if (!changed) return true;
        const kept = member.filter((id) => !publicIds.has(id));
        await contacts().update({ where: { id: contact.id }, data: { lists: [...kept, ...after] } });
        const named = (ids: number[]): ConsentList[] =>
          lists.filter((list) => ids.includes(list.id)).map(({ id, name }) => ({ id, name }));
        await getService(strapi, 'consents').record({
          contactId: contact.id,
          action: 'preferences',
          lists: { before: named(before), after: named(after) },
          source: 'preference centre',
          wording: request.wording ?? null,
          ip: consentIp(request.ip, keepIp),
          userAgent: request.userAgent,
          locale: contact.locale,
        });
        return true;
      });
      return saved ? viewOf(payload) : null;
    },

    /** Unsubscribes from everything: the unsubscribe link's own path, so it counts once as an unsubscription. */
    async unsubscribeAll(payload: TokenPayload, request: RequestFacts): Promise<PreferencesView | null> {
      if (payload.deliveryLogId === 0) return viewOf(payload);
      const done = await getService(strapi, 'unsubscriptions').unsubscribe(payload, 'page', {
        ...request,
        via: 'preferences',
      });
      return done ? viewOf(payload) : null;
    },

    /** Subscribes again (only what the person's own unsubscription stopped: see unsubscriptions.resubscribe). */
    async resubscribe(payload: TokenPayload, request: RequestFacts): Promise<PreferencesView | null> {
      if (payload.deliveryLogId === 0) return viewOf(payload);
      const done = await getService(strapi, 'unsubscriptions').resubscribe(payload, { ...request, via: 'preferences' });
      return done ? viewOf(payload) : null;
    },
  };
};

export type PreferencesService = ReturnType<typeof createPreferencesService>;
export default createPreferencesService;

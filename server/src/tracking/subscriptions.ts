// Signing up from a public form, with double opt-in. The answer never tells whether an address is known: the route
// answers the same whatever happened here (controllers/subscriptions.ts), and the confirmation email is sent after
// the answer. What happens, by the address's state:
//   new address          created subscribed (unconfirmed when a requested list asks for double opt-in); joins the
//                        lists without double opt-in at once, the others once confirmed
//   subscribed           joins the lists without double opt-in at once; the others once confirmed. Its name and
//                        attributes are left alone: a stranger may type anyone's address.
//   unconfirmed          as a new address again (a new confirmation email)
//   unsubscribed         nothing until confirmed, whatever the lists: a new consent needs the person's own click
//   bounced, quarantined, or suppressed for any reason but an unsubscription: nothing at all, never mailed
// Every sign-up writes a `subscribe` consent record (the proof: lists, words, source, IP, user agent, locale); a
// confirmation writes a `confirm` one.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../../../shared/constants';
import { CAMPAIGNS_EVENTS } from '../../../shared/contracts/events';
import type { SubscribeInput } from '../../../shared/subscribe-input';
import { emailProblem, normalizeEmail } from '../platform/email-address';
import { createDocumentId } from '../platform/document-id';
import { getService } from '../platform/get-service';
import { getPublicUrl } from '../platform/public-url';
import { getConfirmTokenSigner } from '../platform/confirm-token-signer';
import type { ConfirmTokenPayload } from '../platform/confirm-tokens';
import { consentIp, type ConsentList } from '../audience/consents';
import { pluginSender } from '../sending/sender-address';
import { confirmationEmail } from './confirmation-email';

/** The documentIds of a sign-up's lists (the records of sign-ups always keep them). */
const listIds = (lists: ConsentList[]) => lists.flatMap((list) => (list.documentId ? [list.documentId] : []));

export interface SubscribeRequest {
  ip: string;
  userAgent: string;
}

/** A CAPTCHA check (or any other) an app registers: true lets the sign-up through. */
export type SubscribeVerifier = (input: { body: Record<string, unknown>; ip: string }) => boolean | Promise<boolean>;

export type ConfirmOutcome = {
  state: 'confirm' | 'confirmed' | 'already' | 'expired';
  email: string;
  lists: string[];
  locale: string | null;
} | null;

interface ContactRow {
  id: number;
  email: string;
  status: string;
  locale: string | null;
  lists?: Array<{ id: number }>;
}

/** A suppression the person wrote themselves (an unsubscription) is lifted by their confirmation; the others never. */
const BLOCKING = (reason: string) => reason !== 'unsubscribed';

const createSubscriptionsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const contacts = () => strapi.db.query(UID.contact);
  const consents = () => getService(strapi, 'consents');
  let verifier: SubscribeVerifier | null = null;

  const settings = async () => getService(strapi, 'settings').get();

  /** The requested lists; any that is missing or not public is refused (the same message: no probing of lists). */
  const publicLists = async (refs: Array<string | number>): Promise<ConsentList[]> => {
    const documentIds = refs.filter((ref): ref is string => typeof ref === 'string');
    const ids = refs.map(Number).filter((id) => Number.isSafeInteger(id) && id > 0);
    const rows = await strapi.db.query(UID.list).findMany({
      where: { $or: [{ documentId: { $in: documentIds } }, { id: { $in: ids } }] },
      select: ['id', 'documentId', 'name', 'public', 'doubleOptIn'],
    });
    for (const ref of refs) {
      const row = rows.find((list) => list.documentId === ref || Number(list.id) === Number(ref));
      if (!row || !row.public) {
        throw new errors.ValidationError(`The list "${ref}" is not open for sign-up.`, { field: 'lists' });
      }
    }
    const unique = new Map(rows.filter((row) => row.public).map((row) => [Number(row.id), row]));
    return [...unique.values()].map((row) => ({
      id: Number(row.id),
      documentId: String(row.documentId),
      name: String(row.name),
      doubleOptIn: Boolean(row.doubleOptIn),
    }));
  };

  const findContact = (where: Record<string, unknown>): Promise<ContactRow | null> =>
    contacts().findOne({
      where,
      select: ['id', 'email', 'status', 'locale'],
      populate: { lists: { select: ['id'] } },
    });

  /** Adds the contact to the lists it is not in yet. */
  const join = async (contact: ContactRow, lists: ConsentList[]) => {
    const member = new Set((contact.lists ?? []).map((list) => Number(list.id)));
    const missing = lists.filter((list) => !member.has(list.id));
    if (missing.length) {
      await contacts().update({
        where: { id: contact.id },
        data: { lists: { connect: missing.map((list) => ({ id: list.id })) } },
      });
    }
  };

  const sendConfirmation = async (consentId: number, email: string, lists: ConsentList[], locale: string | null) => {
    const config = await settings();
    const token = getConfirmTokenSigner(strapi).sign({ consentId, issuedAt: Math.floor(Date.now() / 1000) });
    const url = `${getPublicUrl(strapi, config.publicUrl)}/api/campaigns/confirm/${token}`;
    const message = confirmationEmail({ email, lists: lists.map((list) => list.name), locale, url });
    const [messenger, sender] = await Promise.all([getService(strapi, 'messenger').get(), pluginSender(strapi)]);
    await messenger.send({
      from: sender.from,
      to: email,
      ...message,
      headers: { 'X-Campaigns-Confirmation': '1', 'Auto-Submitted': 'auto-generated' },
      messageId: `<confirm.${consentId}.${createDocumentId()}@${sender.domain}>`,
    });
  };

  /** Sign-up work that decides whether a confirmation is due; returns what to mail, or null. */
  const record = async (input: SubscribeInput, email: string, lists: ConsentList[], request: SubscribeRequest) => {
    const config = await settings();
    const suppressions = getService(strapi, 'suppressions');
    const suppression = (await suppressions.find([email])).get(email);
    if (suppression && BLOCKING(suppression.reason)) return null;

    const locale = input.locale ?? null;
    const proof = {
      source: input.source ?? null,
      wording: input.consentText ?? null,
      locale,
      ip: consentIp(request.ip, config.subscribe.storeConsentIp),
      userAgent: request.userAgent || null,
    };
    const withConfirmation = lists.filter((list) => list.doubleOptIn);
    const atOnce = lists.filter((list) => !list.doubleOptIn);

    const attempt = () =>
      strapi.db.transaction(async () => {
        let contact = await findContact({ email });
        if (contact && (contact.status === 'bounced' || contact.status === 'quarantined')) return null;
        const now = new Date();
        if (!contact) {
          const created = await contacts().create({
            data: {
              documentId: createDocumentId(),
              email,
              firstName: input.firstName ?? null,
              lastName: input.lastName ?? null,
              locale,
              attributes: input.attributes ?? null,
              // A suppressed (unsubscribed) address comes back as unsubscribed until its owner confirms.
              status: suppression ? 'unsubscribed' : withConfirmation.length ? 'unconfirmed' : 'subscribed',
              statusReason: 'signed up from a form',
              statusChangedAt: now,
              publishedAt: now,
            },
          });
          contact = { id: Number(created.id), email, status: created.status, locale, lists: [] };
        }
        // An unsubscribed person comes back only through their own confirmation, whatever the lists.
        const unsubscribed = contact.status === 'unsubscribed' || suppression !== undefined;
        const pending = unsubscribed ? lists : withConfirmation;
        if (!unsubscribed) await join(contact, atOnce);
        const consentId = await consents().record({ action: 'subscribe', contactId: contact.id, lists, ...proof });
        return {
          consentId,
          contactId: contact.id,
          joined: unsubscribed ? [] : atOnce,
          pending,
          locale: locale ?? contact.locale,
        };
      });
    try {
      return await attempt();
    } catch (error) {
      // Two sign-ups of a new address at once: the second insert meets the unique email; it is a known address now.
      if (await findContact({ email })) return attempt();
      throw error;
    }
  };

  return {
    /** The check an app registered through the developer API (api.subscriptions.verifyWith); one at a time. */
    verifyWith(check: SubscribeVerifier | null) {
      if (check !== null && typeof check !== 'function') throw new TypeError('verifyWith expects a function or null');
      verifier = check;
    },

    /** Refused (a ValidationError) when the registered verifier says no or fails. */
    async verify(body: Record<string, unknown>, ip: string) {
      if (!verifier) return;
      let passed = false;
      try {
        passed = (await verifier({ body, ip })) === true;
      } catch (error) {
        strapi.log.warn(`[campaigns] subscribe: the sign-up verifier failed: ${(error as Error)?.message ?? error}`);
      }
      if (!passed) throw new errors.ValidationError('The sign-up could not be verified (CAPTCHA). Please try again.');
    },

    /** Checks what the answer must reveal (bad input), then records the sign-up; throws ValidationError on bad input. */
    async subscribe(input: SubscribeInput, request: SubscribeRequest): Promise<void> {
      const email = normalizeEmail(input.email);
      const problem = emailProblem(email);
      if (problem) throw new errors.ValidationError(`Invalid email: ${problem}.`, { field: 'email' });
      const config = await settings();
      const allowed = new Set(config.subscribe.attributes);
      const refused = Object.keys(input.attributes ?? {}).filter((key) => !allowed.has(key));
      if (refused.length) {
        throw new errors.ValidationError(`Attribute(s) not accepted from sign-up forms: ${refused.join(', ')}.`, {
          field: 'attributes',
        });
      }
      const lists = await publicLists(input.lists);
      const signUp = await record(input, email, lists, request);
      if (!signUp) return;
      getService(strapi, 'events').publish(CAMPAIGNS_EVENTS.contactSubscribed, {
        version: 1,
        contactId: signUp.contactId,
        email,
        lists: listIds(signUp.joined),
        pendingLists: listIds(signUp.pending),
        source: input.source ?? null,
        at: new Date().toISOString(),
      });
      if (signUp.pending.length) {
        // After the answer: its timing must not tell whether an email was due.
        setImmediate(() => {
          sendConfirmation(signUp.consentId, email, signUp.pending, signUp.locale).catch((error) =>
            strapi.log.warn(`[campaigns] subscribe: the confirmation email failed: ${(error as Error)?.message}`),
          );
        });
      }
    },

    /** What the confirmation link's page shows; with `apply`, confirms. null: no such sign-up (answered 404). */
    async confirm(payload: ConfirmTokenPayload, request: SubscribeRequest, apply: boolean): Promise<ConfirmOutcome> {
      const config = await settings();
      const consent = await consents().find(payload.consentId);
      if (!consent || consent.action !== 'subscribe' || consent.contactId === null) return null;
      const contact = await findContact({ id: consent.contactId });
      if (!contact) return null;
      const outcome = { email: contact.email, lists: consent.lists.map((list) => list.name), locale: consent.locale };
      if (consent.confirmedAt) return { state: 'already', ...outcome };
      const expiresAt = (payload.issuedAt + config.subscribe.confirmationHours * 3600) * 1000;
      if (Date.now() > expiresAt) return { state: 'expired', ...outcome };
      if (!apply) return { state: 'confirm', ...outcome };

      const suppression = (await getService(strapi, 'suppressions').find([contact.email])).get(contact.email);
      const blocked =
        (suppression && BLOCKING(suppression.reason)) ||
        contact.status === 'bounced' ||
        contact.status === 'quarantined';
      let joined = null as ConsentList[] | null;
      const confirmed = await strapi.db.transaction(async () => {
        if (!(await consents().markConfirmed(consent.id))) return { state: 'already' as const, ...outcome };
        if (blocked) return { state: 'confirmed' as const, ...outcome };
        await getService(strapi, 'suppressions').remove([contact.email], 'unsubscribed');
        if (contact.status !== 'subscribed') {
          await contacts().update({
            where: { id: contact.id },
            data: {
              status: 'subscribed',
              statusReason: 'confirmed from the sign-up email',
              statusChangedAt: new Date(),
            },
          });
        }
        const existing = await strapi.db.query(UID.list).findMany({
          where: { id: { $in: consent.lists.map((list) => list.id) } },
          select: ['id'],
        });
        const still = new Set(existing.map((row) => Number(row.id)));
        const lists = consent.lists.filter((list) => still.has(list.id));
        await join(contact, lists);
        await consents().record({
          action: 'confirm',
          contactId: contact.id,
          lists: consent.lists,
          source: consent.source,
          wording: consent.wording,
          locale: consent.locale,
          ip: consentIp(request.ip, config.subscribe.storeConsentIp),
          userAgent: request.userAgent || null,
        });
        joined = lists;
        return { state: 'confirmed' as const, ...outcome };
      });
      // Once committed.
      if (joined) {
        getService(strapi, 'events').publish(CAMPAIGNS_EVENTS.contactConfirmed, {
          version: 1,
          contactId: contact.id,
          email: contact.email,
          lists: listIds(joined),
          source: consent.source,
          at: new Date().toISOString(),
        });
      }
      return confirmed;
    },
  };
};

export type SubscriptionsService = ReturnType<typeof createSubscriptionsService>;
export default createSubscriptionsService;

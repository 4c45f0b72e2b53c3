// The programmatic API: what an app's code may call, in one typed place.
//
//   import type { CampaignsApi } from 'strapi-plugin-campaigns/strapi-server';
//   const campaigns = strapi.plugin('campaigns').service('api') as CampaignsApi;
//
// Inputs go through the same zod schemas and services as the admin API, so a bad input fails with the same
// ValidationError (a 400 naming the field, if it reaches an HTTP answer) and a missing document with the same
// NotFoundError.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { UID } from '../../shared/constants';
import { pluginDocuments } from './platform/plugin-documents';
import { emailProblem, normalizeEmail } from './platform/email-address';
import type { AudienceSource } from './audience/source-types';
import type { MessengerRegistration } from './sending/messenger-types';
import type { TemplateVariable } from './sending/template-variable-types';
import type { SubscribeVerifier } from './tracking/subscriptions';
import { CAMPAIGNS_EVENTS, type CampaignsEventName, type ContactEvent } from '../../shared/contracts/events';
import type { Delivery, SendResponse } from '../../shared/contracts/deliveries';
import type { IndicatorsInclude, IndicatorsResponse } from '../../shared/contracts/monitoring';
import type { ReportQuery, ReportQueryResponse } from '../../shared/contracts/reports';
import { getService } from './platform/get-service';
import { chunked } from './db/chunks';
import { documentIdSchema, parseOrThrow } from './validation/common';
import { deliveryCreateBody, sendInput } from '../../shared/delivery-input';
import { deliveryListQuery } from './validation/deliveries';
import { listCreateBody } from './validation/lists';
import { reportQuerySchema } from './validation/reports';
import type { EventListener } from './platform/events';

const MAX_CONTACTS_PER_CALL = 10_000;

const contactToAdd = z
  .object({
    email: z.string().min(1, 'email is required').max(254),
    firstName: z.string().trim().max(255).nullable().optional(),
    lastName: z.string().trim().max(255).nullable().optional(),
    locale: z.string().trim().max(35).nullable().optional(),
    attributes: z.record(z.unknown()).nullable().optional(),
  })
  .strict();
const contactsToAdd = z
  .array(contactToAdd)
  .max(MAX_CONTACTS_PER_CALL, `at most ${MAX_CONTACTS_PER_CALL} contacts per call`);
const includeInput = z.object({ bots: z.boolean().optional(), machine: z.boolean().optional() }).strict().optional();

export type DeliveryCreateInput = z.input<typeof deliveryCreateBody>;
export type DeliveryListInput = z.input<typeof deliveryListQuery>;
export type ContactToAdd = z.input<typeof contactToAdd>;

export interface AddContactsResult {
  /** Contacts that did not exist. */
  created: number;
  /** Existing contacts (same email) updated with the given fields. */
  updated: number;
  /** Contacts now in the list: created + updated. */
  total: number;
}

export interface UnsubscribeResult {
  documentId: string;
  email: string;
  /** False when the contact was already unsubscribed: nothing changed. */
  changed: boolean;
}

const createApiService = ({ strapi }: { strapi: Core.Strapi }) => {
  const deliveries = () => getService(strapi, 'deliveries');
  const contacts = () => strapi.db.query(UID.contact);

  const documentId = (value: unknown, what: string): string => parseOrThrow(documentIdSchema, value, what);

  return {
    deliveries: {
      /** A draft delivery (same fields as POST /campaigns/deliveries). */
      async create(input: DeliveryCreateInput): Promise<Delivery> {
        return (await deliveries().create(parseOrThrow(deliveryCreateBody, input, 'delivery'))) as unknown as Delivery;
      },
      /** Sends a draft now, or schedules it (`scheduledAt` in the future). */
      async send(deliveryDocumentId: string, options: { scheduledAt?: string } = {}): Promise<SendResponse> {
        const id = documentId(deliveryDocumentId, 'delivery id');
        return (await deliveries().send(
          id,
          parseOrThrow(sendInput, options, 'send options'),
        )) as unknown as SendResponse;
      },
      async pause(deliveryDocumentId: string): Promise<Delivery> {
        return (await deliveries().pause(documentId(deliveryDocumentId, 'delivery id'))) as unknown as Delivery;
      },
      async resume(deliveryDocumentId: string): Promise<Delivery> {
        return (await deliveries().resume(documentId(deliveryDocumentId, 'delivery id'))) as unknown as Delivery;
      },
      async cancel(deliveryDocumentId: string): Promise<Delivery> {
        return (await deliveries().cancel(documentId(deliveryDocumentId, 'delivery id'))) as unknown as Delivery;
      },
      /** The delivery with its counters (targeted, excluded, pending, sent, failed, bounced). */
      async get(deliveryDocumentId: string): Promise<Delivery> {
        return (await deliveries().findOne(documentId(deliveryDocumentId, 'delivery id'))) as unknown as Delivery;
      },
      /** A page of deliveries (page, pageSize, search, status, sort as on the admin list). */
      async list(query: DeliveryListInput = {}) {
        return deliveries().find(parseOrThrow(deliveryListQuery, query, 'query'));
      },
    },

    lists: {
      async create(input: { name: string; description?: string | null }) {
        return getService(strapi, 'lists').create(parseOrThrow(listCreateBody, input, 'list'));
      },

      /**
       * Adds contacts to a list, upserting by email: a new address becomes a subscribed contact (unless it is
       * suppressed: then it gets the suppression's status), an existing one keeps its status (an unsubscribed contact
       * stays unsubscribed) and gets the fields given.
       */
      async addContacts(listDocumentId: string, input: ContactToAdd[]): Promise<AddContactsResult> {
        const listId = documentId(listDocumentId, 'list id');
        const people = parseOrThrow(contactsToAdd, input, 'contacts');
        const list = await strapi.db.query(UID.list).findOne({ where: { documentId: listId }, select: ['id'] });
        if (!list) throw new errors.NotFoundError(`No list with id "${listId}".`);
        const byEmail = new Map<string, ContactToAdd>();
        people.forEach((person, index) => {
          const email = normalizeEmail(person.email);
          const problem = emailProblem(email);
          if (problem) {
            throw new errors.ValidationError(`Invalid contacts: ${index}.email: ${problem}`, {
              errors: [{ path: [index, 'email'], message: problem }],
            });
          }
          byEmail.set(email, { ...byEmail.get(email), ...person, email });
        });
        const emails = [...byEmail.keys()];
        const existing = new Map<string, string>();
        for (const part of chunked(emails)) {
          const rows = await contacts().findMany({ where: { email: { $in: part } }, select: ['documentId', 'email'] });
          for (const row of rows) existing.set(String(row.email), row.documentId);
        }
        // A suppressed address comes back with its suppression's status, never subscribed (audience/suppressions.ts).
        const suppressed = await getService(strapi, 'suppressions').statusesOf(
          emails.filter((email) => !existing.has(email)),
        );
        const documents = pluginDocuments(strapi, UID.contact);
        let created = 0;
        let updated = 0;
        for (const [email, person] of byEmail) {
          const fields: Record<string, unknown> = {};
          for (const key of ['firstName', 'lastName', 'locale', 'attributes'] as const)
            if (person[key] !== undefined) fields[key] = person[key];
          const found = existing.get(email);
          if (found) {
            // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the plugin's types are not in Strapi's generated registry, so its document data have no type
            await documents.update({ documentId: found, data: { ...fields, lists: { connect: [listId] } } as any });
            updated += 1;
          } else {
            await documents.create({
              data: { ...fields, email, status: 'subscribed', lists: [listId], ...suppressed.get(email) },
            });
            created += 1;
          }
        }
        return { created, updated, total: created + updated };
      },
    },

    contacts: {
      /** Unsubscribes a contact, by email or documentId; emits campaigns.contact.unsubscribed when it changed. */
      async unsubscribe(emailOrDocumentId: string, options: { reason?: string } = {}): Promise<UnsubscribeResult> {
        const key = String(emailOrDocumentId ?? '').trim();
        if (!key) throw new errors.ValidationError('Invalid contact: give an email or a contact id.');
        const where = key.includes('@') ? { email: normalizeEmail(key) } : { documentId: key };
        const contact = await contacts().findOne({ where, select: ['id', 'documentId', 'email', 'status'] });
        if (!contact) throw new errors.NotFoundError(`No contact with ${key.includes('@') ? 'email' : 'id'} "${key}".`);
        await getService(strapi, 'suppressions').add([contact.email], 'unsubscribed');
        if (contact.status === 'unsubscribed')
          return { documentId: contact.documentId, email: contact.email, changed: false };
        const now = new Date();
        const { count } = await contacts().updateMany({
          where: { id: contact.id, status: { $ne: 'unsubscribed' } },
          data: {
            status: 'unsubscribed',
            statusReason: (options.reason ?? 'unsubscribed by the application').slice(0, 255),
            statusChangedAt: now,
          },
        });
        if (count > 0) {
          const payload: ContactEvent = {
            version: 1,
            deliveryId: null,
            deliveryDocumentId: null,
            deliveryLogId: null,
            contactId: Number(contact.id),
            email: contact.email,
            at: now.toISOString(),
            source: 'api',
          };
          getService(strapi, 'events').publish(CAMPAIGNS_EVENTS.contactUnsubscribed, payload);
        }
        return { documentId: contact.documentId, email: contact.email, changed: count > 0 };
      },
    },

    indicators: {
      /** The delivery's indicators; bots and machine opens are left out unless included (as on the admin route). */
      async get(deliveryDocumentId: string, include?: Partial<IndicatorsInclude>): Promise<IndicatorsResponse> {
        const wanted = parseOrThrow(includeInput, include, 'include') ?? {};
        const resolved: IndicatorsInclude = { bots: wanted.bots ?? false, machine: wanted.machine ?? false };
        const service = getService(strapi, 'indicators');
        const delivery = await service.resolve(documentId(deliveryDocumentId, 'delivery id'));
        const { indicators, leftOut } = await service.compute(delivery.id, resolved);
        return {
          data: indicators,
          meta: { delivery, include: resolved, leftOut, computedAt: new Date().toISOString() },
        } as IndicatorsResponse;
      },
    },

    reports: {
      /** A report query (dimensions, metrics, filters, period), answered by the report engine. */
      async query(query: ReportQuery): Promise<ReportQueryResponse> {
        return getService(strapi, 'reports').query(parseOrThrow(reportQuerySchema, query, 'report query'));
      },
    },

    events: {
      /** Every event name, by kind (CAMPAIGNS_EVENTS in shared/contracts/events.ts). */
      names: CAMPAIGNS_EVENTS,
      /** Calls `listener` with each payload of these events; returns the function that stops it. */
      subscribe<N extends CampaignsEventName>(names: N | N[], listener: EventListener<N>): () => void {
        return getService(strapi, 'events').subscribe(names, listener);
      },
    },

    audienceSources: {
      /** A source of recipients besides the plugin's lists, picked in the delivery editor. Call it in register(). */
      register(source: AudienceSource): void {
        getService(strapi, 'audience-sources').register(source);
      },
    },

    messengers: {
      /** Another way to deliver messages, chosen by name in the plugin config (`messenger`). */
      register<Options = Record<string, unknown>>(definition: MessengerRegistration<Options>): void {
        getService(strapi, 'messengers').register(definition);
      },
    },

    templateVariables: {
      /** An extra `{{ name }}` computed per recipient. */
      register(variable: TemplateVariable): void {
        getService(strapi, 'template-variables').register(variable);
      },
    },

    subscriptions: {
      /**
       * A check of every public sign-up (a CAPTCHA's server-side verification): gets the posted body and the client's
       * IP, answers true to let it through; false (or a throw) refuses it with a 400. null removes it.
       */
      verifyWith(verifier: SubscribeVerifier | null): void {
        getService(strapi, 'subscriptions').verifyWith(verifier);
      },
    },
  };
};

export type CampaignsApi = ReturnType<typeof createApiService>;
export default createApiService;

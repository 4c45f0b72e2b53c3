// The I/O edge around sending/compose: prepares a delivery once (tracked links and compiled templates stored), keeps the
// compiled template of each delivery in memory, and renders one recipient's message with its tracking URLs and headers.
import { randomBytes } from 'crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { BlockDocument, ContentMode } from '../../../shared/blocks';
import type { LayoutSnapshot } from '../../../shared/layouts';
import type { BlockLink } from '../authoring/mjml-document';
import { attributeLinks } from '../authoring/render';
import { composeMessage, validateMessage, type ComposedMessage } from './compose';
import { utmTagsOf, type UtmTags } from '../../../shared/utm';
import { quotedPrintablePart } from './encoded-parts';
import { compileTemplate, TemplateError, type CompiledTemplate, type RenderContact } from './template';
import { preferredTextEncoding, type OutgoingMessage } from './messengers/types';
import { deliveryQueries } from '../db/deliveries';
import { trackedLinkQueries } from '../db/tracked-links';
import { getPublicUrl } from '../platform/public-url';
import { getService } from '../platform/get-service';
import { getTokenSigner } from '../platform/token-signer';

/** What composing needs from a delivery. */
export interface ComposableDelivery {
  id: number;
  documentId: string;
  subject: string;
  html?: string | null;
  text?: string | null;
  fromName?: string | null;
  fromEmail?: string | null;
  replyTo?: string | null;
  trackOpens?: boolean | null;
  trackLinks?: boolean | null;
  linkTracking?: Record<string, boolean> | null;
  /** 'blocks': `content` is rendered to `html` with the delivery's layout (authoring/authoring.ts) before composing. */
  contentMode?: ContentMode | null;
  content?: BlockDocument | null;
  layoutSnapshot?: LayoutSnapshot | null;
  /** The links of a rendered blocks message with their block and entry, in reading order. */
  blockLinks?: BlockLink[];
  /** UTM tags for the tracked links (shared/utm.ts): the delivery's choice, resolved with Settings by withUtm. */
  name?: string | null;
  utmTags?: boolean | null;
  utmSource?: string | null;
  utmMedium?: string | null;
  utmCampaign?: string | null;
  utm?: UtmTags | null;
}

/** A delivery's message compiled once, ready for per-recipient substitution. */
export interface DeliveryTemplate {
  deliveryId: number;
  documentId: string;
  subject: CompiledTemplate;
  /** An A/B test's other subjects (variant 1 is the first): a recipient's variant picks its subject. */
  variantSubjects?: CompiledTemplate[];
  html: CompiledTemplate | null;
  text: CompiledTemplate;
  /** Tracked-link id by link position: click URLs carry the id, never the URL. */
  linkIds: Map<number, number>;
  /** Stored URL by position, for test sends of a delivery not prepared yet. */
  linkUrls: Map<number, string>;
  from: string;
  replyTo?: string;
  /** Domain of the From address: the right-hand side of every Message-ID. */
  domain: string;
  textEncoding: 'quoted-printable' | 'base64';
}

export interface RecipientRef {
  /** 0 for a test send: tokens that record nothing. */
  logId: number;
  contact: RenderContact;
  messageId: string;
  /** Values of the app's registered template variables (sending/template-variable-registry.ts). */
  variables?: Record<string, unknown>;
  /** An A/B test's variant (0 is the delivery's own subject). */
  variant?: number | null;
}

const TEXT_FOOTER = '\n\nUnsubscribe: {{unsubscribeUrl}}\nEmail preferences: {{preferencesUrl}}\n';
const UNSUBSCRIBE_VARIABLE = /\{\{\s*unsubscribeUrl\s*\}\}/;
const LINE_BREAK = /[\r\n]/;
const LINE_BREAKS = /[\r\n]+/g;

const quoteName = (name: string) => `"${name.replace(/["\\]/g, '\\$&')}"`;

/** Each problem as the API reports it: part, variable, line, column and a sentence. */
export const describeTemplateErrors = (errors: TemplateError[]) =>
  errors.map((error) => ({ ...error.toJSON(), part: error.part ?? 'html' }));

const linkTrackingByPosition = (linkTracking: Record<string, boolean> | null | undefined) => {
  if (!linkTracking) return undefined;
  return Object.fromEntries(Object.entries(linkTracking).map(([position, tracked]) => [Number(position), tracked]));
};

const createComposerService = ({ strapi }: { strapi: Core.Strapi }) => {
  const cache = new Map<number, Promise<DeliveryTemplate>>();
  const knex = () => strapi.db.connection;
  /** The app's registered variables are allowed in every template, besides the built-in ones. */
  const extraVariables = () => getService(strapi, 'template-variables').names();

  const senderOf = async (delivery: ComposableDelivery) => {
    const { defaultFrom } = await getService(strapi, 'settings').get();
    const email = delivery.fromEmail || defaultFrom.email;
    if (!email) throw new Error('the delivery has no From address and the plugin config has no defaultFrom.email');
    const name = delivery.fromName ?? defaultFrom.name;
    return {
      from: name ? `${quoteName(name)} <${email}>` : email,
      replyTo: delivery.replyTo || undefined,
      domain: email.slice(email.lastIndexOf('@') + 1),
    };
  };

  /**
   * The delivery with the HTML it is sent with: a blocks message rendered with its layout (once per delivery, never
   * per recipient), whose problems stop it here; a raw HTML one as written.
   */
  const withHtml = async <T extends ComposableDelivery>(delivery: T): Promise<T> => {
    if (delivery.contentMode !== 'blocks') return delivery;
    const rendered = await getService(strapi, 'authoring').renderDelivery(delivery);
    if (rendered.problems.length) {
      throw new Error(`the message is not ready: ${rendered.problems.map((problem) => problem.message).join(' ')}`);
    }
    return {
      ...delivery,
      html: rendered.html,
      text: null,
      layoutSnapshot: rendered.layout,
      blockLinks: rendered.links,
    };
  };

  /** The delivery with the UTM tags its tracked links get (none unless it asks), defaults from Settings. */
  const withUtm = async <T extends ComposableDelivery>(delivery: T): Promise<T> => {
    const { tracking } = await getService(strapi, 'settings').get();
    return { ...delivery, utm: utmTagsOf(delivery, tracking.utm) };
  };

  /** A text-only delivery: the editor's text with an unsubscribe line unless it already has one. */
  const textOnlySource = (text: string) => (UNSUBSCRIBE_VARIABLE.test(text) ? text : `${text.trimEnd()}${TEXT_FOOTER}`);

  const compose = (
    delivery: ComposableDelivery,
  ): Pick<ComposedMessage, 'links' | 'htmlSource' | 'textSource'> & {
    subject: CompiledTemplate;
    html: CompiledTemplate | null;
    text: CompiledTemplate;
  } => {
    if (!delivery.html?.trim()) {
      const problems = validateMessage({
        subject: delivery.subject,
        html: '',
        text: delivery.text ?? '',
        extraVariables: extraVariables(),
      });
      if (problems.length) throw problems[0];
      const textSource = textOnlySource(delivery.text ?? '');
      return {
        links: [],
        htmlSource: '',
        textSource,
        subject: compileTemplate(delivery.subject, { escape: 'none', extraVariables: extraVariables() }),
        html: null,
        text: compileTemplate(textSource, { escape: 'none', extraVariables: extraVariables() }),
      };
    }
    return composeMessage({
      subject: delivery.subject,
      html: delivery.html,
      text: delivery.text,
      trackOpens: delivery.trackOpens ?? true,
      trackLinks: delivery.trackLinks ?? true,
      linkTracking: linkTrackingByPosition(delivery.linkTracking),
      extraVariables: extraVariables(),
      utm: delivery.utm ?? null,
    });
  };

  const buildUrls = (template: DeliveryTemplate, logId: number, publicUrl: string) => {
    const signer = getTokenSigner(strapi);
    const deliveryId = template.deliveryId;
    const url = (path: string, kind: 'open' | 'unsubscribe' | 'preferences' | 'mirror') =>
      `${publicUrl}/api/campaigns/${path}/${signer.sign({ kind, deliveryId, deliveryLogId: logId })}`;
    const unsubscribe = url('u', 'unsubscribe');
    return {
      unsubscribe,
      preferences: url('p', 'preferences'),
      mirror: url('m', 'mirror'),
      open: url('o', 'open'),
      link: (position: number) => {
        const trackedLinkId = template.linkIds.get(position);
        // A link not stored as tracked (a preview of a draft) goes straight to its URL; a test send's links are stored
        // and go through the tracking route with log 0, which redirects without recording.
        if (trackedLinkId === undefined) return template.linkUrls.get(position) ?? publicUrl;
        return `${publicUrl}/api/campaigns/c/${signer.sign({ kind: 'click', deliveryId, deliveryLogId: logId, trackedLinkId })}`;
      },
    };
  };

  /** A delivery composed now, as it is (drafts are not prepared): for previews and test sends. */
  const draft = async (given: ComposableDelivery) => {
    const delivery = await withUtm(await withHtml(given));
    const composed = compose(delivery);
    const sender = await senderOf(delivery);
    const template: DeliveryTemplate = {
      deliveryId: delivery.id,
      documentId: delivery.documentId,
      subject: composed.subject,
      html: composed.html,
      text: composed.text,
      linkIds: new Map(),
      linkUrls: new Map(composed.links.map((link) => [link.position, link.url])),
      textEncoding: preferredTextEncoding(`${composed.htmlSource}${composed.textSource}`),
      ...sender,
    };
    return { template, links: composed.links, source: delivery };
  };

  /** The message's links as tracked-link rows, replacing what an earlier preparation or test send stored. */
  const storeLinks = (
    trx: Knex.Transaction,
    delivery: Pick<ComposableDelivery, 'id' | 'blockLinks'>,
    links: ComposedMessage['links'],
    now: Date,
  ) => trackedLinkQueries(strapi).replace(trx, delivery.id, attributeLinks(links, delivery.blockLinks ?? []), now);

  return {
    /** Every personalisation problem of the delivery's subject, HTML and text (empty when it can be sent). */
    problems(
      delivery: Pick<ComposableDelivery, 'subject' | 'html' | 'text' | 'trackOpens' | 'trackLinks' | 'linkTracking'>,
    ): TemplateError[] {
      const found = validateMessage({
        subject: delivery.subject,
        html: delivery.html ?? '',
        text: delivery.text,
        extraVariables: extraVariables(),
      });
      if (found.length) return found;
      try {
        compose({ id: 0, documentId: '', ...delivery });
        return [];
      } catch (error) {
        if (error instanceof TemplateError) return [error];
        throw error;
      }
    },

    /**
     * Composes once and stores what sending needs: the tracked links and the compiled sources. Runs in one
     * transaction, replacing what a previous interrupted run may have left.
     */
    async prepare(given: ComposableDelivery): Promise<void> {
      const delivery = await withUtm(await withHtml(given));
      const composed = compose(delivery);
      const now = new Date();
      await knex().transaction(async (trx) => {
        await storeLinks(trx, delivery, composed.links, now);
        await deliveryQueries(strapi).savePrepared(
          trx,
          delivery.id,
          {
            compiledHtml: composed.html ? composed.htmlSource : null,
            compiledText: composed.textSource,
            // A blocks message keeps the HTML and the layout it was sent with: editing the layout later changes nothing.
            sent: delivery.layoutSnapshot ? { html: delivery.html ?? '', layout: delivery.layoutSnapshot } : null,
          },
          now,
        );
      });
      cache.delete(delivery.id);
    },

    /** The compiled template of a prepared delivery, from memory, or rebuilt from the stored sources (no HTML parse). */
    template(deliveryId: number): Promise<DeliveryTemplate> {
      let entry = cache.get(deliveryId);
      if (!entry) {
        entry = (async () => {
          const delivery = await deliveryQueries(strapi).preparedSources(deliveryId);
          if (!delivery) throw new Error(`delivery ${deliveryId} does not exist`);
          const { compiledHtml, compiledText } = delivery;
          if (compiledText == null) throw new Error(`delivery ${deliveryId} is not prepared`);
          const links = await trackedLinkQueries(strapi).byPosition(deliveryId);
          const sender = await senderOf({ id: deliveryId, ...delivery });
          const extra = extraVariables();
          return {
            deliveryId,
            documentId: delivery.documentId,
            subject: compileTemplate(delivery.subject, { escape: 'none', extraVariables: extra }),
            variantSubjects: delivery.abSubjects.map((subject) =>
              compileTemplate(subject, { escape: 'none', extraVariables: extra }),
            ),
            html: compiledHtml
              ? compileTemplate(compiledHtml, { escape: 'html', allowInternal: true, extraVariables: extra })
              : null,
            text: compileTemplate(compiledText, {
              escape: 'none',
              allowInternal: true,
              extraVariables: extra,
            }),
            linkIds: new Map(links.filter((l) => l.kind === 'tracked').map((l) => [l.position, l.id])),
            linkUrls: new Map(links.map((l) => [l.position, l.url])),
            textEncoding: preferredTextEncoding(`${compiledHtml ?? ''}${compiledText}`),
            ...sender,
          };
        })();
        entry.catch(() => cache.delete(deliveryId));
        cache.set(deliveryId, entry);
      }
      return entry;
    },

    /** A template for a test send: composed now from the delivery as it is (drafts are not prepared). */
    async draftTemplate(delivery: ComposableDelivery): Promise<DeliveryTemplate> {
      return (await draft(delivery)).template;
    },

    /**
     * A template for a test send of a draft: composed now, its links stored so that they go through the tracking
     * route like a recipient's (with log 0: redirected, never counted). A prepared delivery tests as it is sent.
     */
    async testTemplate(
      delivery: ComposableDelivery & { preparedAt?: string | Date | null },
    ): Promise<DeliveryTemplate> {
      if (delivery.preparedAt) return this.template(delivery.id);
      const { template, links, source } = await draft(delivery);
      await knex().transaction((trx) => storeLinks(trx, source, links, new Date()));
      const stored = await trackedLinkQueries(strapi).byPosition(delivery.id, 'tracked');
      return { ...template, linkIds: new Map(stored.map((row) => [row.position, row.id])) };
    },

    /** The app's registered variables this template uses: computed per recipient before rendering. */
    variablesUsedBy(template: Pick<DeliveryTemplate, 'subject' | 'variantSubjects' | 'html' | 'text'>): string[] {
      const used = new Set([
        ...template.subject.variables,
        ...(template.variantSubjects ?? []).flatMap((subject) => subject.variables),
        ...(template.html?.variables ?? []),
        ...template.text.variables,
      ]);
      return getService(strapi, 'template-variables').usedBy([...used]);
    },

    forget(deliveryId: number) {
      cache.delete(deliveryId);
    },

    /** `<deliveryId.logId.random@domain>`: unique, and names its delivery log for bounce matching. */
    messageIdFor(template: Pick<DeliveryTemplate, 'deliveryId' | 'domain'>, logId: number | string): string {
      return `<${template.deliveryId}.${logId}.${randomBytes(6).toString('hex')}@${template.domain}>`;
    },

    /**
     * One recipient's message: substitution into the compiled template, tracking URLs signed for this log.
     * `publicUrl` comes from getPublicUrl; `mailto` is the optional List-Unsubscribe address.
     */
    render(
      template: DeliveryTemplate,
      recipient: RecipientRef,
      options: { publicUrl: string; mailto?: string; test?: boolean },
    ): OutgoingMessage {
      const urls = buildUrls(template, recipient.logId, options.publicUrl);
      const ctx = { contact: recipient.contact, urls, extra: recipient.variables };
      const variantSubject = recipient.variant ? template.variantSubjects?.[recipient.variant - 1] : undefined;
      const subject = (variantSubject ?? template.subject).render(ctx);
      const htmlParts = template.html?.renderParts(ctx);
      const textParts = template.text.renderParts(ctx);
      const rendered = {
        // A line break in a personalised subject would end the header early.
        subject: LINE_BREAK.test(subject) ? subject.replace(LINE_BREAKS, ' ') : subject,
        html: htmlParts?.join(''),
        text: textParts.join(''),
      };
      const listUnsubscribe = options.mailto
        ? `<${urls.unsubscribe}>, <mailto:${options.mailto}?subject=unsubscribe>`
        : `<${urls.unsubscribe}>`;
      return {
        from: template.from,
        to: recipient.contact.email,
        ...(template.replyTo ? { replyTo: template.replyTo } : {}),
        subject: options.test ? `[Test] ${rendered.subject}` : rendered.subject,
        ...(rendered.html !== undefined ? { html: rendered.html } : {}),
        text: rendered.text,
        headers: {
          'List-Unsubscribe': listUnsubscribe,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'X-Campaigns-Delivery': template.documentId,
          ...(options.test ? { 'X-Campaigns-Test': 'true' } : {}),
        },
        messageId: recipient.messageId,
        textEncoding: template.textEncoding,
        // Base64 pieces cannot be joined the way quoted-printable ones can (sending/encoded-parts.ts).
        ...(template.textEncoding === 'quoted-printable'
          ? {
              encodedParts: {
                ...(htmlParts ? { html: quotedPrintablePart(template.html!, htmlParts, 'text/html') } : {}),
                text: quotedPrintablePart(template.text, textParts, 'text/plain'),
              },
            }
          : {}),
      };
    },

    publicUrl: async () => getPublicUrl(strapi, (await getService(strapi, 'settings').get()).publicUrl),
  };
};

export type ComposerService = ReturnType<typeof createComposerService>;
export default createComposerService;

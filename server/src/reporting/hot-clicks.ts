// Hot clicks: the message as its recipients got it, each tracked link marked with its clicks.
//
// The HTML is the delivery's compiled template (the one every message was rendered from) rendered once with a
// neutral recipient (empty personalisation) and with markers instead of tracking URLs: a preview can never record an
// open, a click or an unsubscription. Scripts and event handler attributes are removed; the admin shows the result in
// a sandboxed iframe as well. Each tracked anchor carries `data-campaigns-link="<tracked link id>"`, its href is "#"
// and its title the link's URL. The unsubscribe and mirror links are not tracked links (their use is counted as
// unsubscriptions and mirror views): they carry `data-campaigns-kind` and are not in `links`.
//
// Clicks per link come from the event-count rollup (db/event-counts.ts), the delivery's unique clickers from the
// message-count rollup, unique clickers per link from the tracking log's (delivery_id, tracked_link_id,
// delivery_log_id, flags) index: no row read. The text part shares its tracked links with the HTML (a click in either
// counts on the same link), so every link is reported with part 'html' when the message has HTML.
import { linkLabel } from '../tracking/link-label';
import type { Core } from '@strapi/strapi';
import type { HotClickLink, HotClicksResponse } from '../../../shared/contracts/reports';
import type { IndicatorsInclude } from '../../../shared/contracts/monitoring';
import { UID } from '../../../shared/constants';
import { entryOfKey } from '../../../shared/entries';
import { rate } from './indicator-formulas';
import { LINK_MARKER, MIRROR_MARKER, previewHtml, UNSUBSCRIBE_MARKER } from './report-preview';
import type { RenderContext } from '../sending/template';
import type { ComposableDelivery } from '../sending/composer';
import { errors } from '@strapi/utils';
import { getService } from '../platform/get-service';
import { knexOf, quoteIdentifier, tableOf, toCount } from '../db/tables';
import { createEventCountReads } from './event-count-reads';

const BLANK_PIXEL = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
const NEUTRAL_CONTACT = { email: '', firstName: '', lastName: '', locale: null, attributes: {} };

/** A tracked link as forDelivery() selects it. */
interface LinkRow {
  id: number;
  url: string;
  label: string | null;
  position: number;
  blockId: string | null;
  entry: string | null;
}

const createHotClicksService = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => knexOf(strapi);
  const countReads = createEventCountReads(strapi);
  /**
   * Previews of prepared deliveries, keyed by the composer's cached template: preparing a delivery again makes a new
   * template (new tracked links), so a preview can never outlive the message it shows.
   */
  const previews = new WeakMap<object, { html: string; text: string }>();

  /**
   * Clicks per tracked link from the event-count rollup, the delivery's unique clickers from the message-count rollup,
   * unique clickers per link from the tracking log's (delivery_id, tracked_link_id, delivery_log_id, flags) index (a
   * distinct count no rollup holds): its distinct (link, message) pairs, counted per link (on MariaDB 34.0 ms against
   * 41.2 for a COUNT(DISTINCT) per link at 1,000,000 events, the same on PostgreSQL: bench/README.md).
   */
  const clickCounts = async (deliveryId: number, include: IndicatorsInclude) => {
    const { table, column } = tableOf(strapi, UID.trackingLog);
    const c = (attribute: string) => quoteIdentifier(strapi, column(attribute));
    // Only clicks carry a tracked link: "has a link" selects them from the index alone, without reading the rows.
    const pairs = knex()(table)
      .distinct({ linkId: column('trackedLinkId'), logId: column('deliveryLogId') })
      .where(column('deliveryId'), deliveryId)
      .whereNotNull(column('trackedLinkId'))
      .whereNotNull(column('deliveryLogId'));
    if (!include.bots) pairs.whereRaw(`${c('isBot')} IS NOT TRUE`);
    if (!include.machine) pairs.whereRaw(`${c('isMachineOpen')} IS NOT TRUE`);
    const [clicks, perLink, uniqueClickers] = await Promise.all([
      countReads.clicksByLink(deliveryId, include),
      knex().from(pairs.as('pairs')).groupBy('linkId').select('linkId').count({ unique: '*' }) as Promise<
        Record<string, unknown>[]
      >,
      countReads.messagesCounted(deliveryId, include, 'clicked'),
    ]);
    const byLink = new Map<number, { clicks: number; unique: number }>();
    for (const [linkId, n] of clicks) if (n > 0) byLink.set(linkId, { clicks: n, unique: 0 });
    for (const row of perLink) {
      const linkId = Number(row.linkId);
      byLink.set(linkId, { clicks: clicks.get(linkId) ?? 0, unique: toCount(row.unique) });
    }
    return { byLink, uniqueClickers };
  };

  return {
    async forDelivery(
      documentId: string,
      options: { mode: 'total' | 'unique'; include: IndicatorsInclude },
    ): Promise<HotClicksResponse> {
      const row = await strapi.db
        .query(UID.delivery)
        .findOne({ where: { documentId }, select: ['id', 'documentId', 'name', 'preparedAt'] });
      if (!row) throw new errors.NotFoundError(`No delivery with id "${documentId}".`);
      const delivery = { id: Number(row.id), documentId: row.documentId as string, name: row.name as string };
      const composer = getService(strapi, 'composer');
      // A delivery not prepared yet has no tracked links: its preview is composed now, without click counts.
      const prepared = row.preparedAt != null;
      const [template, linkRows, counts] = await Promise.all([
        prepared
          ? composer.template(delivery.id)
          : strapi.db
              .query(UID.delivery)
              .findOne({ where: { id: delivery.id } })
              .then((full: ComposableDelivery) => composer.draftTemplate(full)),
        // A draft's stored links are a test send's: the preview of a draft has no link of its own to count.
        prepared
          ? strapi.db.query(UID.trackedLink).findMany({
              where: { deliveryId: delivery.id, kind: 'tracked' },
              select: ['id', 'url', 'label', 'position', 'blockId', 'entry'],
              orderBy: { position: 'asc' },
            })
          : Promise.resolve([]),
        clickCounts(delivery.id, options.include),
      ]);
      const urlOf = new Map<number, string>(linkRows.map((row: LinkRow) => [Number(row.id), String(row.url)]));

      const context = (forText: boolean): RenderContext => ({
        contact: NEUTRAL_CONTACT,
        urls: {
          open: BLANK_PIXEL,
          unsubscribe: forText ? '[unsubscribe link]' : UNSUBSCRIBE_MARKER,
          mirror: forText ? '[web version link]' : MIRROR_MARKER,
          link: (position) => {
            const id = template.linkIds.get(position);
            if (forText || id === undefined) return template.linkUrls.get(position) ?? '#';
            return `${LINK_MARKER}${id}`;
          },
        },
      });
      let preview = previews.get(template);
      if (!preview) {
        preview = {
          html: template.html ? previewHtml(template.html.render(context(false)), urlOf) : '',
          text: template.text.render(context(true)),
        };
        if (prepared) previews.set(template, preview);
      }
      const { html, text } = preview;

      const { byLink, uniqueClickers } = counts;
      const totalClicks = [...byLink.entries()]
        .filter(([id]) => urlOf.has(id))
        .reduce((sum, [, n]) => sum + n.clicks, 0);
      const uniqueSum = [...byLink.entries()].filter(([id]) => urlOf.has(id)).reduce((sum, [, n]) => sum + n.unique, 0);
      const seen = new Map<string, number>();
      const links: HotClickLink[] = linkRows.map((row: LinkRow) => {
        const url = String(row.url);
        const occurrence = (seen.get(url) ?? 0) + 1;
        seen.set(url, occurrence);
        const counts = byLink.get(Number(row.id)) ?? { clicks: 0, unique: 0 };
        return {
          linkId: Number(row.id),
          url,
          label: linkLabel(row.label, url),
          position: Number(row.position),
          occurrence,
          blockId: row.blockId ?? null,
          entry: entryOfKey(row.entry),
          part: template.html ? 'html' : 'text',
          clicks: counts.clicks,
          uniqueClicks: counts.unique,
          share: options.mode === 'unique' ? rate(counts.unique, uniqueSum) : rate(counts.clicks, totalClicks),
        };
      });
      return {
        data: { html, text, links, totals: { clicks: totalClicks, uniqueClicks: uniqueClickers } },
        meta: {
          delivery: { id: delivery.id, documentId: delivery.documentId, name: delivery.name },
          mode: options.mode,
          include: options.include,
        },
      };
    },
  };
};

export type HotClicksService = ReturnType<typeof createHotClicksService>;
export default createHotClicksService;

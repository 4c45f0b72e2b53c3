// Follow-ups of a sent delivery: "send to those who did not open" (or did not click). A follow-up is an ordinary
// delivery (its own subject, editable while a draft, scheduled and sent like any other) with parentDeliveryId and
// followUpKind set; its audience is not lists but the parent's recipients without a human open or click, resolved
// when it is prepared (sending/follow-up-audience.ts) from one query (db/follow-ups.ts) that also sizes it here.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../../../shared/constants';
import type { FollowUpCreateInput, FollowUpKind } from '../../../shared/follow-ups';
import type { FollowUpsOverview } from '../../../shared/contracts/follow-ups';
import { followUpQueries } from '../db/follow-ups';
import { toIso } from '../platform/dates';
import { getService } from '../platform/get-service';
import { pluginDocuments } from '../platform/plugin-documents';

type DeliveryRow = Record<string, unknown> & {
  id: number;
  documentId: string;
  name: string;
  status: string;
  parentDeliveryId: number | null;
  followUpKind: FollowUpKind | null;
};

/** The message a follow-up copies from its parent: what it says and how it is tracked, not its audience. */
const COPIED = [
  'fromName',
  'fromEmail',
  'replyTo',
  'contentMode',
  'content',
  'layoutSnapshot',
  'text',
  'trackOpens',
  'trackLinks',
  'linkTracking',
  'utmTags',
  'utmSource',
  'utmMedium',
  'utmCampaign',
  'sendRate',
] as const;

const createFollowUpsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const queries = followUpQueries(strapi);
  const rows = () => strapi.db.query(UID.delivery);

  const load = async (documentId: string): Promise<DeliveryRow> => {
    const row = await rows().findOne({ where: { documentId }, populate: { layout: { select: ['documentId'] } } });
    if (!row) throw new errors.NotFoundError(`No delivery with id "${documentId}".`);
    return row as DeliveryRow;
  };

  return {
    /** The number of recipients a follow-up of this kind would get now (the sender's query). */
    audienceSize: (parentDeliveryId: number, kind: FollowUpKind) => queries.audienceSize(parentDeliveryId, kind),

    /** A copy of a sent delivery's message to its recipients without a human open (or click), sent after a delay. */
    async create(parentDocumentId: string, input: FollowUpCreateInput) {
      const parent = await load(parentDocumentId);
      if (parent.status !== 'sent')
        throw new errors.ValidationError(
          `Cannot follow up delivery "${parent.name}": it is ${parent.status}; only a sent delivery has recipients to follow up.`,
        );
      if (parent.parentDeliveryId)
        throw new errors.ValidationError(
          `Cannot follow up delivery "${parent.name}": it is a follow-up itself; follow up its parent instead.`,
        );
      // Without the parent's opens or clicks tracked per recipient, "did not open" would be everyone.
      const { tracking } = await getService(strapi, 'settings').get();
      const tracked = input.kind === 'not_opened' ? parent.trackOpens || parent.trackLinks : parent.trackLinks;
      if (!tracking.individualTracking || !tracked)
        throw new errors.ValidationError(
          `Cannot follow up delivery "${parent.name}": its ${input.kind === 'not_opened' ? 'opens were' : 'clicks were'} not tracked per recipient, so everyone would get it.`,
        );
      const scheduledAt = input.delayHours > 0 ? new Date(Date.now() + input.delayHours * 3_600_000) : null;
      const copied = Object.fromEntries(COPIED.map((field) => [field, parent[field] ?? null]));
      const layout = (parent.layout as { documentId?: string } | null)?.documentId;
      const created = await pluginDocuments(strapi, UID.delivery).create({
        data: {
          ...copied,
          html: parent.contentMode === 'html' ? parent.html : null,
          layout: layout ?? null,
          name: `${parent.name} - ${input.kind === 'not_opened' ? 'not opened' : 'not clicked'}`.slice(0, 255),
          subject: input.subject,
          scheduledAt,
          status: 'draft',
          parentDeliveryId: parent.id,
          followUpKind: input.kind,
        } as never,
      });
      const deliveries = getService(strapi, 'deliveries');
      if (!input.schedule) return { data: await deliveries.findOne(created.documentId), meta: {} };
      return deliveries.send(created.documentId, scheduledAt ? { scheduledAt: scheduledAt.toISOString() } : {});
    },

    /** A delivery's follow-ups with their figures, or a follow-up's parent; the reach of them all together. */
    async overview(documentId: string): Promise<FollowUpsOverview> {
      const delivery = await load(documentId);
      const parent = delivery.parentDeliveryId
        ? ((await rows().findOne({ where: { id: delivery.parentDeliveryId } })) as DeliveryRow | null)
        : null;
      const root = parent ?? delivery;
      const children = (await rows().findMany({
        where: { parentDeliveryId: root.id },
        orderBy: { id: 'asc' },
      })) as DeliveryRow[];
      const figures = await queries.figures(children.map((child) => child.id));
      const kind = delivery.followUpKind;
      return {
        parent: parent && kind ? { documentId: parent.documentId, name: parent.name, kind } : null,
        followUps: parent
          ? []
          : children.map((child) => ({
              documentId: child.documentId,
              name: child.name,
              subject: String(child.subject ?? ''),
              status: child.status as FollowUpsOverview['followUps'][number]['status'],
              kind: child.followUpKind ?? 'not_opened',
              scheduledAt: toIso(child.scheduledAt),
              finishedAt: toIso(child.finishedAt),
              ...figures.get(child.id)!,
            })),
        combinedReach: await queries.combinedReach([root.id, ...children.map((child) => child.id)]),
        audienceNow:
          parent && kind && ['draft', 'scheduled'].includes(delivery.status)
            ? await queries.audienceSize(parent.id, kind)
            : null,
      };
    },
  };
};

export type FollowUpsService = ReturnType<typeof createFollowUpsService>;
export default createFollowUpsService;

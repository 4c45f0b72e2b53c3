// A contact's timeline: every delivery sent to them with its outcome, every open, click and mirror view (a bot's or
// a machine open flagged with its reason), bounces, complaints and unsubscriptions, newest first and paged; and an
// engagement score. Read in two queries (db/contact-timeline.ts) and merged here: a contact's history is bounded (one
// log per delivery), and the most recent MAX_LOGS logs and MAX_EVENTS events are what the page shows.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID, type DeliveryLogStatus, type FlagReason } from '../../../shared/constants';
import type {
  ContactTimelineEntry,
  ContactTimelineResponse,
  EngagementScore,
} from '../../../shared/contracts/contact-timeline';
import { contactTimelineQueries, type ContactEventRow, type ContactLogRow } from '../db/contact-timeline';
import { toDate } from '../platform/dates';
import { toPagination } from '../platform/pagination';

const MAX_LOGS = 2000;
const MAX_EVENTS = 5000;
/** The engagement score's window (README, "A contact's timeline"). */
export const ENGAGEMENT_DAYS = 90;

type Entry = ContactTimelineEntry & { time: number };

const entry = (
  kind: ContactTimelineEntry['kind'],
  at: unknown,
  log: ContactLogRow,
  extra: Partial<ContactTimelineEntry> = {},
): Entry | null => {
  const date = toDate(at);
  if (!date) return null;
  return {
    kind,
    at: date.toISOString(),
    time: date.getTime(),
    delivery:
      log.deliveryDocumentId && log.deliveryName
        ? { documentId: log.deliveryDocumentId, name: log.deliveryName }
        : null,
    status: null,
    reason: null,
    url: null,
    isBot: false,
    isMachineOpen: false,
    flagReason: null,
    ...extra,
  };
};

/**
 * Messages a person opened (any reaction by a person proves an open) and clicked in over the window, each message
 * counted once: score = opened + 2 x clicked, capped at 100. Bots and machine opens do not count.
 */
export const engagementOf = (events: ContactEventRow[], now = Date.now()): EngagementScore => {
  const since = now - ENGAGEMENT_DAYS * 86_400_000;
  const opened = new Set<number>();
  const clicked = new Set<number>();
  for (const event of events) {
    const at = toDate(event.at)?.getTime() ?? 0;
    if (at < since || event.isBot || event.isMachineOpen) continue;
    opened.add(event.deliveryLogId);
    if (event.type === 'click') clicked.add(event.deliveryLogId);
  }
  return {
    score: Math.min(100, opened.size + 2 * clicked.size),
    humanOpened: opened.size,
    humanClicked: clicked.size,
    days: ENGAGEMENT_DAYS,
  };
};

const createContactTimelineService = ({ strapi }: { strapi: Core.Strapi }) => {
  const queries = contactTimelineQueries(strapi);

  return {
    async forContact(documentId: string, page: number, pageSize: number): Promise<ContactTimelineResponse> {
      const contact = await strapi.db.query(UID.contact).findOne({ where: { documentId }, select: ['id'] });
      if (!contact) throw new errors.NotFoundError(`No contact with id "${documentId}".`);
      const logs = await queries.logs(Number(contact.id), MAX_LOGS);
      const events = logs.length
        ? await queries.events(
            logs.map((log) => log.id),
            MAX_EVENTS,
          )
        : [];
      const logById = new Map(logs.map((log) => [log.id, log]));

      const entries: Array<Entry | null> = [];
      for (const log of logs) {
        entries.push(
          entry('delivery', log.sentAt ?? log.createdAt, log, {
            status: log.status as DeliveryLogStatus,
            reason: log.exclusionReason ?? log.failureReason,
          }),
          entry('bounce', log.bouncedAt, log, { reason: log.failureReason }),
          entry('complaint', log.complainedAt, log),
          entry('unsubscribe', log.unsubscribedAt, log),
        );
      }
      for (const event of events) {
        const log = logById.get(event.deliveryLogId);
        if (!log) continue;
        entries.push(
          entry(event.type, event.at, log, {
            url: event.type === 'click' ? event.url : null,
            isBot: event.isBot,
            isMachineOpen: event.isMachineOpen,
            flagReason: event.flagReason as FlagReason | null,
          }),
        );
      }
      const sorted = entries.filter((found): found is Entry => found !== null).sort((a, b) => b.time - a.time);
      const start = (page - 1) * pageSize;
      return {
        data: sorted.slice(start, start + pageSize).map(({ time: _time, ...rest }) => rest),
        meta: { pagination: toPagination(page, pageSize, sorted.length), engagement: engagementOf(events) },
      };
    },
  };
};

export type ContactTimelineService = ReturnType<typeof createContactTimelineService>;
export default createContactTimelineService;

// A delivery to an engagement segment: its members (db/segments.ts) written page by page into delivery logs, with
// the same exclusions as a list's members (sending/audience.ts exclusionFor). The size the editor shows is counted
// by walking the same pages through the same exclusions without writing, so it is the number of messages a
// delivery prepared at that moment sends.
//
// Crash-safe as the other audiences: each page is written in one transaction and a run starts after the highest
// contact already logged. "The last N deliveries" of a rule mean those started before this delivery was, so a
// resumed run reads the same deliveries.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { SegmentMember, SegmentRules, SegmentSize } from '../../../shared/segments';
import { chunked } from '../db/chunks';
import { segmentQueries, type ResolvedRules, type SegmentRow } from '../db/segments';
import { normalizeEmail } from '../platform/email-address';
import { getService } from '../platform/get-service';
import { exclusionFor, type ResolveOptions, type ResolveResult } from './audience';
import { createAudienceStore, type NewLog } from './audience-store';

const PAGE_SIZE = 1000;
/** Sizing reads more contacts per page: it writes nothing. */
const SIZE_PAGE_SIZE = 5000;
const PREVIEW_SIZE = 50;

const createSegmentAudience = ({ strapi }: { strapi: Core.Strapi }) => {
  const queries = segmentQueries(strapi);

  /** Each member with the reason a delivery would leave them out (null: they get it). */
  const classify = async (rows: SegmentRow[]) => {
    const suppressed = await getService(strapi, 'suppressions').find(rows.map((row) => row.email));
    return rows.map((row) => ({
      row,
      exclusion: exclusionFor(
        { id: row.id, email: row.email, status: row.status, locale: null, attributes: null },
        suppressed.has(normalizeEmail(row.email)),
      ),
    }));
  };

  return {
    /** Messages a delivery to the saved segment sends now: counted as its preparation will count them. */
    async recipientsOf(documentId: string): Promise<number> {
      const { rules } = await getService(strapi, 'segments').findOne(documentId);
      return (await this.evaluate(rules)).size.recipients;
    },

    /**
     * A delivery goes to an engagement segment or to lists (and sources' segments, narrowed by a filter), not both:
     * the segment's own rules name the lists it needs, and one audience keeps the size shown the size sent.
     */
    async assertOnlyAudience(audience: {
      segment?: string | null;
      lists?: unknown[];
      audienceSegments?: unknown[] | null;
      audienceFilter?: unknown;
    }): Promise<void> {
      if (!audience.segment) return;
      await getService(strapi, 'segments').findOne(audience.segment);
      if (audience.lists?.length || audience.audienceSegments?.length || audience.audienceFilter) {
        throw new errors.ValidationError(
          "A delivery goes to an engagement segment or to lists, not both: name the lists in the segment's rules instead.",
          { field: 'segment' },
        );
      }
    },

    /** Who the rules select now: the size (counted as preparation counts it) and the first members, for a preview. */
    async evaluate(rules: SegmentRules, now = new Date()): Promise<{ size: SegmentSize; members: SegmentMember[] }> {
      const ids = await queries.memberIds(await queries.resolve(rules, now), 0);
      const size: SegmentSize = { members: ids.length, recipients: 0, excluded: {} };
      const members: SegmentMember[] = [];
      for (const page of chunked(ids, SIZE_PAGE_SIZE)) {
        for (const { row, exclusion } of await classify(await queries.rows(page))) {
          if (exclusion) size.excluded[exclusion] = (size.excluded[exclusion] ?? 0) + 1;
          else size.recipients += 1;
          if (members.length < PREVIEW_SIZE)
            members.push({ documentId: row.documentId, email: row.email, status: row.status, exclusion });
        }
      }
      return { size, members };
    },

    /** Writes the delivery's logs from the segment, page by page, starting after the last contact already logged. */
    async resolve(
      delivery: { id: number; rules: SegmentRules; startedAt: Date },
      options: ResolveOptions = {},
    ): Promise<ResolveResult> {
      const store = createAudienceStore(strapi);
      const resolved: ResolvedRules = await queries.resolve(delivery.rules, delivery.startedAt);
      const pageSize = options.pageSize ?? PAGE_SIZE;
      const ids = await queries.memberIds(resolved, await queries.lastLoggedContactId(delivery.id));
      let logs = 0;
      for (const page of chunked(ids, pageSize)) {
        const inserts: NewLog[] = (await classify(await queries.rows(page))).map(({ row, exclusion }) => ({
          contactId: row.id,
          listId: null,
          email: row.email,
          exclusion,
        }));
        await store.transaction((trx) => store.insertLogs(trx, delivery.id, inserts, new Date()));
        logs += inserts.length;
        if (options.afterPage && !(await options.afterPage({ contacts: logs, logs }))) return { complete: false, logs };
      }
      return { complete: true, logs };
    },
  };
};

export type SegmentAudienceService = ReturnType<typeof createSegmentAudience>;
export default createSegmentAudience;

// A follow-up's audience resolved when it is prepared (not when it was created: someone who opened the parent
// meanwhile is left out), from db/follow-ups.ts's query, into pending delivery logs page by page. Each page's logs
// are written in one transaction and a run starts after the highest contact already logged, so a preparation
// resumed after a crash or a lost lease writes nobody twice.
import type { Core } from '@strapi/strapi';
import type { FollowUpKind } from '../../../shared/follow-ups';
import { followUpQueries } from '../db/follow-ups';
import { createAudienceStore } from './audience-store';
import type { ResolveOptions, ResolveResult } from './audience';

const PAGE_SIZE = 1000;

export const resolveFollowUpAudience = async (
  strapi: Core.Strapi,
  delivery: { id: number; parentDeliveryId: number; followUpKind: FollowUpKind },
  options: ResolveOptions = {},
): Promise<ResolveResult> => {
  const queries = followUpQueries(strapi);
  const store = createAudienceStore(strapi);
  const pageSize = options.pageSize ?? PAGE_SIZE;
  let cursor = await queries.lastLoggedContactId(delivery.id);
  let logs = 0;

  for (;;) {
    const page = await queries.audiencePage(delivery.parentDeliveryId, delivery.followUpKind, cursor, pageSize);
    if (!page.length) return { complete: true, logs };
    await store.transaction((trx) =>
      store.insertLogs(
        trx,
        delivery.id,
        page.map((recipient) => ({ ...recipient, listId: null, exclusion: null })),
        new Date(),
      ),
    );
    logs += page.length;
    cursor = page[page.length - 1].contactId;
    if (options.afterPage && !(await options.afterPage({ contacts: logs, logs }))) return { complete: false, logs };
    if (page.length < pageSize) return { complete: true, logs };
  }
};

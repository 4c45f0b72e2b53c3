// POST /api/campaigns/contacts/sync: the one content-api route that writes, for apps that keep their users in step.
// Its action (plugin::campaigns.contact-sync.upsert) is not a find, so a read-only API token is refused; a custom
// token needs it ticked, a full-access token has it.
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { contactSyncBody } from '../../../shared/audience-input';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async upsert(ctx: Context) {
    const { contacts, updateExisting } = parseOrThrow(contactSyncBody, ctx.request.body, 'contact sync');
    ctx.body = await getService(strapi, 'contact-sync').sync(contacts, { updateExisting });
  },
});

// A contact's timeline and engagement score (reporting/contact-timeline.ts).
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { contactTimelineQuery } from '../validation/contact-timeline';

const createContactTimelineController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    const { page, pageSize } = parseOrThrow(contactTimelineQuery, ctx.query, 'query');
    ctx.body = await getService(strapi, 'contact-timeline').forContact(ctx.params.id, page, pageSize);
  },
});

export default createContactTimelineController;

// Hot clicks of one delivery: its message as sent, with the clicks of each link.
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { hotClicksQuery } from '../validation/reports';

const createHotClicksController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async forDelivery(ctx: Context) {
    const query = parseOrThrow(hotClicksQuery, ctx.query, 'query');
    ctx.body = await getService(strapi, 'hot-clicks').forDelivery(ctx.params.id, query);
  },
});

export default createHotClicksController;

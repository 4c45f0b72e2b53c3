// Read access for Strapi API tokens (content-api routes under /api/campaigns, never public): deliveries, their
// indicators and links, and report queries. Action names end in find / findOne because that is how Strapi tells a
// read-only token's rights: such a token may call exactly these; a custom token gets whichever are ticked.
// Nothing here writes: sending, pausing and editing stay admin routes.
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../platform/get-service';
import { documentIdSchema, parseOrThrow } from '../validation/common';
import { deliveryListQuery } from '../validation/deliveries';
import { indicatorsQuery } from '../validation/monitoring';
import { reportQuerySchema } from '../validation/reports';

type Factory = ({ strapi }: { strapi: Core.Strapi }) => Record<string, (ctx: Context) => Promise<void>>;

const deliveryId = (ctx: Context) => parseOrThrow(documentIdSchema, ctx.params.id, 'delivery id');

/** GET /api/campaigns/deliveries and /deliveries/:id. */
const delivery: Factory = ({ strapi }) => ({
  async find(ctx) {
    ctx.body = await getService(strapi, 'deliveries').find(parseOrThrow(deliveryListQuery, ctx.query, 'query'));
  },
  async findOne(ctx) {
    ctx.body = { data: await getService(strapi, 'deliveries').findOne(deliveryId(ctx)) };
  },
});

/** GET /api/campaigns/deliveries/:id/indicators (?include=bots,machine). */
const deliveryIndicators: Factory = ({ strapi }) => ({
  async findOne(ctx) {
    const { include } = parseOrThrow(indicatorsQuery, ctx.query, 'query');
    const service = getService(strapi, 'indicators');
    const found = await service.resolve(deliveryId(ctx));
    const { indicators, leftOut } = await service.compute(found.id, include);
    ctx.body = { data: indicators, meta: { delivery: found, include, leftOut, computedAt: new Date().toISOString() } };
  },
});

/** GET /api/campaigns/deliveries/:id/links: the message's links with their clicks. */
const deliveryLinks: Factory = ({ strapi }) => ({
  async find(ctx) {
    ctx.body = await getService(strapi, 'tracking-logs').links(deliveryId(ctx));
  },
});

/** POST /api/campaigns/reports/query: a report query (it reads, whatever the verb: the query is a body). */
const reportQuery: Factory = ({ strapi }) => ({
  async find(ctx) {
    ctx.body = await getService(strapi, 'reports').query(
      parseOrThrow(reportQuerySchema, ctx.request.body, 'report query'),
    );
  },
});

export default {
  delivery,
  'delivery-indicators': deliveryIndicators,
  'delivery-links': deliveryLinks,
  'report-query': reportQuery,
};

// Strapi entries in newsletters: the collection types and their shapes, entries to pick from, and deliveries made
// from entries (server/src/authoring/entries.ts, entry-deliveries.ts).
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { createEntryDeliveries } from '../authoring/entry-deliveries';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { digestBody, entryPageQuery, fromEntryBody } from '../validation/authoring';

const createEntriesController = ({ strapi }: { strapi: Core.Strapi }) => {
  const entries = () => getService(strapi, 'entries');
  const made = createEntryDeliveries(strapi);
  return {
    async types(ctx: Context) {
      ctx.body = { data: await entries().types() };
    },

    async saveShape(ctx: Context) {
      const body = (ctx.request.body ?? {}) as Record<string, unknown>;
      ctx.body = { data: await entries().saveShape({ ...body, contentType: ctx.params.uid }) };
    },

    async page(ctx: Context) {
      ctx.body = await entries().page(ctx.params.uid, parseOrThrow(entryPageQuery, ctx.query, 'query'));
    },

    async view(ctx: Context) {
      const locale = typeof ctx.query.locale === 'string' ? ctx.query.locale : null;
      const entry = await entries().view(ctx.params.uid, ctx.params.documentId, locale);
      if (!entry)
        throw new errors.NotFoundError(`No published entry "${ctx.params.documentId}" of "${ctx.params.uid}".`);
      ctx.body = { data: entry };
    },

    async deliveries(ctx: Context) {
      entries().typeCheck(ctx.params.uid);
      ctx.body = { data: await made.deliveriesOf(ctx.params.uid, ctx.params.documentId) };
    },

    async fromEntry(ctx: Context) {
      const body = parseOrThrow(fromEntryBody, ctx.request.body, 'entry');
      ctx.status = 201;
      ctx.body = { data: await made.fromEntry(body) };
    },

    async digest(ctx: Context) {
      const body = parseOrThrow(digestBody, ctx.request.body, 'digest');
      ctx.status = 201;
      ctx.body = { data: await made.digest(body) };
    },
  };
};

export default createEntriesController;

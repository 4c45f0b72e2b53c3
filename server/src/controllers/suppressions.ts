import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../platform/get-service';
import { documentIdSchema, parseOrThrow } from '../validation/common';
import { suppressionListQuery } from '../validation/suppressions';

const createSuppressionsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    const query = parseOrThrow(suppressionListQuery, ctx.query, 'query');
    ctx.body = await getService(strapi, 'suppressions').list(query);
  },

  async delete(ctx: Context) {
    const documentId = parseOrThrow(documentIdSchema, ctx.params.id, 'suppression id');
    ctx.body = { data: await getService(strapi, 'suppressions').lift(documentId) };
  },
});

export default createSuppressionsController;

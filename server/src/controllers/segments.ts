import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { z } from 'zod';
import { segmentInputSchema, segmentRulesSchema } from '../../../shared/segments';
import { getService } from '../platform/get-service';
import { listQuerySchema, parseOrThrow } from '../validation/common';

const segmentListQuery = listQuerySchema(['name', 'createdAt', 'updatedAt'], 'name:asc');
/** Rules not saved yet: the editor sizes them as they are typed. */
const rulesBody = z.object({ rules: segmentRulesSchema });

const createSegmentsController = ({ strapi }: { strapi: Core.Strapi }) => {
  const segments = () => getService(strapi, 'segments');
  const audience = () => getService(strapi, 'segment-audience');
  return {
    async find(ctx: Context) {
      ctx.body = await segments().find(parseOrThrow(segmentListQuery, ctx.query, 'query'));
    },

    async findOne(ctx: Context) {
      ctx.body = { data: await segments().findOne(ctx.params.id) };
    },

    async create(ctx: Context) {
      const body = parseOrThrow(segmentInputSchema, ctx.request.body, 'segment');
      ctx.status = 201;
      ctx.body = { data: await segments().create(body) };
    },

    async update(ctx: Context) {
      const body = parseOrThrow(segmentInputSchema, ctx.request.body, 'segment');
      ctx.body = { data: await segments().update(ctx.params.id, body) };
    },

    async delete(ctx: Context) {
      ctx.body = { data: await segments().delete(ctx.params.id) };
    },

    /** Size and first members of rules (saved or not), counted as a delivery prepared now would count them. */
    async evaluate(ctx: Context) {
      const { rules } = parseOrThrow(rulesBody, ctx.request.body, 'segment rules');
      ctx.body = { data: await audience().evaluate(rules) };
    },
  };
};

export default createSegmentsController;

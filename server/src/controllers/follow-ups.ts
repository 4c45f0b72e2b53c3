// Follow-ups of a sent delivery (sending/follow-ups.ts): create one, and the parent / follow-ups overview.
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { followUpCreateBody } from '../../../shared/follow-ups';

const createFollowUpsController = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'follow-ups');

  return {
    async create(ctx: Context) {
      const body = parseOrThrow(followUpCreateBody, ctx.request.body, 'follow-up');
      ctx.status = 201;
      ctx.body = await service().create(ctx.params.id, body);
    },

    async overview(ctx: Context) {
      ctx.body = { data: await service().overview(ctx.params.id) };
    },
  };
};

export default createFollowUpsController;

// A/B tests of a delivery (sending/ab-tests.ts): each variant's figures, and the winner sent on an editor's click.
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { abWinnerBody } from '../../../shared/ab-test';

const createAbTestsController = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'ab-tests');

  return {
    async results(ctx: Context) {
      ctx.body = { data: await service().results(ctx.params.id) };
    },

    async pick(ctx: Context) {
      const body = parseOrThrow(abWinnerBody, ctx.request.body ?? {}, 'A/B test winner');
      ctx.body = { data: await service().pick(ctx.params.id, body.variant) };
    },
  };
};

export default createAbTestsController;

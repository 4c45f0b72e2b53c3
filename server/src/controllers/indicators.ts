// Indicators and the opens / clicks timeline of one delivery.
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { indicatorsQuery, timelineQuery } from '../validation/monitoring';

const createIndicatorsController = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'indicators');

  return {
    async forDelivery(ctx: Context) {
      const { include } = parseOrThrow(indicatorsQuery, ctx.query, 'query');
      const delivery = await service().resolve(ctx.params.id);
      const { indicators, leftOut } = await service().compute(delivery.id, include);
      ctx.body = { data: indicators, meta: { delivery, include, leftOut, computedAt: new Date().toISOString() } };
    },

    async timeline(ctx: Context) {
      const query = parseOrThrow(timelineQuery, ctx.query, 'query');
      const delivery = await service().resolve(ctx.params.id);
      let points;
      try {
        points = await service().timeline(delivery.id, query);
      } catch (error) {
        if (error instanceof RangeError) throw new errors.ValidationError(`Invalid query: ${error.message}.`);
        throw error;
      }
      ctx.body = {
        data: points.map((point) => ({ at: point.at.toISOString(), opens: point.opens, clicks: point.clicks })),
        meta: {
          bucket: query.bucket,
          include: query.include,
          timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        },
      };
    },
  };
};

export default createIndicatorsController;

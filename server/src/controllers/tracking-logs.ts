import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { trackingLogQuery } from '../validation/tracking-logs';

const createTrackingLogsController = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'tracking-logs');

  return {
    /** JSON pages, or `?format=csv`: every matching event, streamed. */
    async find(ctx: Context) {
      const { format, page, pageSize, sort, ...filters } = parseOrThrow(trackingLogQuery, ctx.query, 'query');
      if (format === 'csv') {
        const { filename, stream } = await service().csv(ctx.params.id, filters);
        ctx.set('Content-Type', 'text/csv; charset=utf-8');
        ctx.set('Content-Disposition', `attachment; filename="${filename}"`);
        ctx.body = stream;
        return;
      }
      ctx.body = await service().find(ctx.params.id, { page, pageSize, sort, ...filters });
    },

    async links(ctx: Context) {
      ctx.body = await service().links(ctx.params.id);
    },
  };
};

export default createTrackingLogsController;

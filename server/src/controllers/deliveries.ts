import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { deliveryCreateBody, deliveryUpdateBody, sendInput, testSendInput } from '../../../shared/delivery-input';
import { deliveryListQuery, deliveryLogQuery, retryFailedBody } from '../validation/deliveries';

const createDeliveriesController = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'deliveries');

  return {
    async find(ctx: Context) {
      ctx.body = await service().find(parseOrThrow(deliveryListQuery, ctx.query, 'query'));
    },

    async findOne(ctx: Context) {
      ctx.body = { data: await service().findOne(ctx.params.id) };
    },

    async create(ctx: Context) {
      const body = parseOrThrow(deliveryCreateBody, ctx.request.body, 'delivery');
      ctx.status = 201;
      ctx.body = { data: await service().create(body) };
    },

    async update(ctx: Context) {
      const body = parseOrThrow(deliveryUpdateBody, ctx.request.body, 'delivery');
      ctx.body = { data: await service().update(ctx.params.id, body) };
    },

    async delete(ctx: Context) {
      ctx.body = { data: await service().delete(ctx.params.id) };
    },

    async send(ctx: Context) {
      ctx.body = await service().send(ctx.params.id, parseOrThrow(sendInput, ctx.request.body, 'send options'));
    },

    async pause(ctx: Context) {
      ctx.body = { data: await service().pause(ctx.params.id) };
    },

    async resume(ctx: Context) {
      ctx.body = { data: await service().resume(ctx.params.id) };
    },

    async cancel(ctx: Context) {
      ctx.body = { data: await service().cancel(ctx.params.id) };
    },

    async test(ctx: Context) {
      const body = parseOrThrow(testSendInput, ctx.request.body, 'test send');
      ctx.body = {
        data: await service().test(ctx.params.id, {
          ...body,
          emails: body.emails ?? [String(ctx.state.user?.email ?? '')].filter(Boolean),
        }),
      };
    },

    async retryFailed(ctx: Context) {
      ctx.body = {
        data: await service().retryFailed(
          ctx.params.id,
          parseOrThrow(retryFailedBody, ctx.request.body, 'retry options'),
        ),
      };
    },

    /** JSON pages, or `?format=csv`: a CSV streamed page by page. */
    async logs(ctx: Context) {
      const query = parseOrThrow(deliveryLogQuery, ctx.query, 'query');
      if (query.format === 'csv') {
        const { filename, stream } = await service().logsCsv(ctx.params.id, query);
        ctx.set('Content-Type', 'text/csv; charset=utf-8');
        ctx.set('Content-Disposition', `attachment; filename="${filename}"`);
        ctx.body = stream;
        return;
      }
      ctx.body = await service().logs(ctx.params.id, query);
    },
  };
};

export default createDeliveriesController;

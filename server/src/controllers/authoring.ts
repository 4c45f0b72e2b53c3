import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { LayoutInput } from '../../../shared/contracts/authoring';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { errors } from '@strapi/utils';
import { layoutCreateBody, layoutUpdateBody, previewBody, saveAsLayoutBody } from '../validation/authoring';

const createAuthoringController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async preview(ctx: Context) {
    const body = parseOrThrow(previewBody, ctx.request.body, 'preview');
    ctx.body = { data: await getService(strapi, 'authoring').preview(body) };
  },

  async layouts(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'layouts').list() };
  },

  async layout(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'layouts').findOne(ctx.params.id) };
  },

  async createLayout(ctx: Context) {
    const body = parseOrThrow(layoutCreateBody, ctx.request.body, 'layout');
    ctx.status = 201;
    ctx.body = { data: await getService(strapi, 'layouts').create(body as LayoutInput & { name: string }) };
  },

  async updateLayout(ctx: Context) {
    const body = parseOrThrow(layoutUpdateBody, ctx.request.body, 'layout');
    ctx.body = { data: await getService(strapi, 'layouts').update(ctx.params.id, body as LayoutInput) };
  },

  async saveAsLayout(ctx: Context) {
    const body = parseOrThrow(saveAsLayoutBody, ctx.request.body, 'layout');
    const delivery = await getService(strapi, 'deliveries').findOne(ctx.params.id);
    if (delivery.contentMode !== 'blocks')
      throw new errors.ValidationError(
        `Cannot save delivery "${delivery.name}" as a layout: it is written in HTML, and a layout is made of blocks.`,
      );
    ctx.status = 201;
    ctx.body = {
      data: await getService(strapi, 'layouts').fromDelivery(
        { layoutDocumentId: delivery.layout?.documentId ?? null, content: delivery.content ?? null },
        body,
      ),
    };
  },

  async deleteLayout(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'layouts').delete(ctx.params.id) };
  },
});

export default createAuthoringController;

import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { LayoutInput } from '../../../shared/contracts/authoring';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { layoutCreateBody, layoutUpdateBody, previewBody } from '../validation/authoring';

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

  async deleteLayout(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'layouts').delete(ctx.params.id) };
  },
});

export default createAuthoringController;

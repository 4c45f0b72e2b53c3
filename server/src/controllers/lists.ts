import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { listCreateBody, listListQuery, listUpdateBody } from '../validation/lists';

const createListsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    const query = parseOrThrow(listListQuery, ctx.query, 'query');
    ctx.body = await getService(strapi, 'lists').find(query);
  },

  async findOne(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'lists').findOne(ctx.params.id) };
  },

  async create(ctx: Context) {
    const body = parseOrThrow(listCreateBody, ctx.request.body, 'list');
    ctx.status = 201;
    ctx.body = { data: await getService(strapi, 'lists').create(body) };
  },

  async update(ctx: Context) {
    const body = parseOrThrow(listUpdateBody, ctx.request.body, 'list');
    ctx.body = { data: await getService(strapi, 'lists').update(ctx.params.id, body) };
  },

  async delete(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'lists').delete(ctx.params.id) };
  },
});

export default createListsController;

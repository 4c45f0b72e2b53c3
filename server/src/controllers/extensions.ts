// What the delivery editor reads about the app's extensions: its audience sources and its template variables.
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../platform/get-service';

const createExtensionsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Every registered audience source with its segments and their sizes. */
  async audienceSources(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'audience-sources').describe() };
  },

  /** The template variables the app registered (the built-in ones are the editor's own). */
  async templateVariables(ctx: Context) {
    ctx.body = { data: getService(strapi, 'template-variables').list() };
  },
});

export default createExtensionsController;

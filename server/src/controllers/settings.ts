import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { settingsBody } from '../validation/monitoring';

const createSettingsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async get(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'settings').getPublic() };
  },

  /** Saves the editable settings in the plugin store (over the file config); answers them as get() does. */
  async update(ctx: Context) {
    await getService(strapi, 'settings').set(parseOrThrow(settingsBody, ctx.request.body, 'settings'));
    ctx.body = { data: await getService(strapi, 'settings').getPublic() };
  },

  /**
   * Connects (and authenticates) without sending: { ok, error?, messenger }. With the saved transport, or with the
   * unsaved changes of the body (the same as for update(), validated the same way, nothing saved).
   */
  async verifyTransport(ctx: Context) {
    const { config } = await getService(strapi, 'settings').resolve(
      parseOrThrow(settingsBody, ctx.request.body ?? {}, 'settings'),
    );
    ctx.body = { data: await getService(strapi, 'messenger').verify(config) };
  },
});

export default createSettingsController;

// The UTM defaults of Settings, for the delivery editor's links table (which shows each tracked link's final URL):
// readable by those who write deliveries, who may not read the rest of the settings.
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { getService } from '../platform/get-service';

const createUtmController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async defaults(ctx: Context) {
    ctx.body = { data: (await getService(strapi, 'settings').get()).tracking.utm };
  },
});

export default createUtmController;

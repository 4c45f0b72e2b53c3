import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';

const createSettingsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async get(ctx: any) {
    ctx.body = { data: await getService(strapi, 'settings').getPublic() };
  },
});

export default createSettingsController;

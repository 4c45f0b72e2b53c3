// The playground app: the plugin does the work; with CAMPAIGNS_DEMO=1 it seeds demo data on first start.
import type { Core } from '@strapi/strapi';
import { seedDemo } from './demo-seed';

export default {
  register() {},
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    if (process.env.CAMPAIGNS_DEMO === '1') await seedDemo(strapi);
  },
};

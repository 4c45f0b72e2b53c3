import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

/** A shutdown loses nothing: jobs in progress finish their batch first. */
export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await getService(strapi, 'contact-import').drain();
};

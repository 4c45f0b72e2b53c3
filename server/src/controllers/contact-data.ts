// A contact's data on request: the export (a JSON download) and the erasure (audience/contact-data.ts,
// audience/contact-erasure.ts).
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { contactEraseBody } from '../validation/contact-data';
import { ContactErasedError } from '../audience/contact-erasure';

const createContactDataController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async export(ctx: Context) {
    const data = await getService(strapi, 'contact-data').export(ctx.params.id);
    ctx.set('Content-Disposition', `attachment; filename="contact-${data.profile.documentId}.json"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = JSON.stringify(data, null, 2);
  },

  async erase(ctx: Context) {
    const body = parseOrThrow(contactEraseBody, ctx.request.body, 'erasure');
    try {
      ctx.body = { data: await getService(strapi, 'contact-data').erase(ctx.params.id, body.email) };
    } catch (error) {
      if (!(error instanceof ContactErasedError)) throw error;
      ctx.status = 409;
      ctx.body = { data: null, error: { status: 409, name: 'ConflictError', message: error.message, details: {} } };
    }
  },
});

export default createContactDataController;

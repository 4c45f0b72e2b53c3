import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { settingsBody } from '../validation/monitoring';

const createBounceMailboxController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * Logs in to the bounce mailbox and opens its folder: { ok, error? }. With the saved settings, or with the unsaved
   * changes of the body, validated as PUT /settings validates them (a changed host needs the password again).
   */
  async verify(ctx: Context) {
    const { config } = await getService(strapi, 'settings').resolve(
      parseOrThrow(settingsBody, ctx.request.body ?? {}, 'settings'),
    );
    ctx.body = { data: await getService(strapi, 'bounce-mailbox').verify(config.bounceMailbox) };
  },

  /** The messages moved to the review folder, newest first. */
  async review(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'bounce-mailbox').review() };
  },

  /** Reads the mailbox now (the timer does it every intervalSeconds). */
  async run(ctx: Context) {
    try {
      ctx.body = { data: await getService(strapi, 'bounce-mailbox').runNow() };
    } catch (error) {
      ctx.status = 502;
      ctx.body = { error: { status: 502, name: 'BounceMailboxError', message: (error as Error).message } };
    }
  },
});

export default createBounceMailboxController;

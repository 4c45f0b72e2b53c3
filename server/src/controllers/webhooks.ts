// Bounce and complaint notifications from mail providers: POST /api/campaigns/webhooks/<provider>, authenticated by
// the shared secret webhooks.secret (header X-Campaigns-Secret, or ?secret= for providers that cannot set headers).
import { createHash, timingSafeEqual } from 'crypto';
import type { Core } from '@strapi/strapi';
import {
  BOUNCE_PROVIDERS,
  NotificationFormatError,
  parseBounceNotifications,
  type BounceProvider,
} from '../lib/bounce-notifications';
import { getService } from '../utils/get-service';

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
const sameSecret = (given: unknown, expected: string): boolean => {
  if (typeof given !== 'string' || given === '') return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
};

const fail = (ctx: any, status: number, name: string, message: string) => {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message } };
};

const createWebhooksController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async receive(ctx: any) {
    const provider = ctx.params?.provider as BounceProvider;
    if (!BOUNCE_PROVIDERS.includes(provider)) {
      return fail(ctx, 404, 'NotFoundError', `Unknown provider; use one of: ${BOUNCE_PROVIDERS.join(', ')}`);
    }
    const { secret } = getService(strapi, 'settings').fileConfig().webhooks;
    if (!secret) {
      return fail(ctx, 503, 'ServiceUnavailableError', 'Bounce webhooks are disabled: set webhooks.secret in the campaigns plugin config');
    }
    const given = ctx.get('x-campaigns-secret') || (typeof ctx.query?.secret === 'string' ? ctx.query.secret : '');
    if (!sameSecret(given, secret)) {
      return fail(ctx, 401, 'UnauthorizedError', 'Missing or wrong webhook secret (X-Campaigns-Secret header or ?secret=)');
    }

    let parsed;
    try {
      parsed = parseBounceNotifications(provider, ctx.request.body);
    } catch (error) {
      if (error instanceof NotificationFormatError) return fail(ctx, 400, 'ValidationError', `Not a ${provider} notification: ${error.message}`);
      throw error;
    }
    if (parsed.subscribeUrl) {
      // No outbound requests from here: an operator confirms the subscription by opening this URL.
      strapi.log.info(`[campaigns] Amazon SNS subscription to confirm: open ${parsed.subscribeUrl}`);
    }
    const result = await getService(strapi, 'bounces').apply(parsed.notices);
    ctx.status = 200;
    ctx.body = { data: { ...result, ignored: parsed.ignored } };
  },
});

export default createWebhooksController;

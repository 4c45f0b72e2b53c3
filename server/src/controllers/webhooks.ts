// Bounce and complaint notifications from mail providers: POST /api/campaigns/webhooks/<provider>, authenticated by
// the shared secret webhooks.secret (tracking/webhook-secret.ts: basic auth or a header, never the query string), then by
// the provider's own signature where it signs (tracking/webhook-signatures.ts).
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import {
  BOUNCE_PROVIDERS,
  NotificationFormatError,
  parseBounceNotifications,
  type BounceProvider,
} from '../tracking/bounce-notifications';
import { checkProviderSignature } from '../tracking/webhook-signatures';
import { givenSecret, QUERY_SECRET_PARAM, sameSecret, SECRET_FORMS, SECRET_HEADER } from '../tracking/webhook-secret';
import { webhookRequestState } from '../tracking/webhook-request';
import { getService } from '../platform/get-service';

const fail = (ctx: Context, status: number, name: string, message: string) => {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message } };
};

const createWebhooksController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async receive(ctx: Context) {
    const provider = ctx.params?.provider as BounceProvider;
    if (!BOUNCE_PROVIDERS.includes(provider)) {
      return fail(ctx, 404, 'NotFoundError', `Unknown provider; use one of: ${BOUNCE_PROVIDERS.join(', ')}`);
    }
    const config = getService(strapi, 'settings').fileConfig().webhooks;
    if (!config.secret) {
      return fail(
        ctx,
        503,
        'ServiceUnavailableError',
        'Bounce webhooks are disabled: set webhooks.secret in the campaigns plugin config',
      );
    }
    const request = webhookRequestState(ctx);
    if (request.querySecret || ctx.query?.[QUERY_SECRET_PARAM] !== undefined) {
      strapi.log.warn(`[campaigns] ${provider} webhook: refused a secret in the query string; ${SECRET_FORMS}`);
      return fail(
        ctx,
        401,
        'UnauthorizedError',
        `The secret is not accepted in the query string, where request logs keep it: ${SECRET_FORMS}`,
      );
    }
    const given = givenSecret({ secretHeader: ctx.get(SECRET_HEADER), authorization: ctx.get('authorization') });
    if (!sameSecret(given, config.secret)) {
      return fail(ctx, 401, 'UnauthorizedError', `Missing or wrong webhook secret: ${SECRET_FORMS}`);
    }
    const refusal = await checkProviderSignature(
      { provider, body: ctx.request.body, rawBody: request.rawBody(), header: (name) => ctx.get(name) },
      config,
      (url) => getService(strapi, 'sns-certificates').get(url),
    );
    if (refusal) {
      strapi.log.warn(`[campaigns] ${provider} webhook: ${refusal.message}`);
      return fail(
        ctx,
        refusal.status,
        refusal.status === 403 ? 'ForbiddenError' : 'ServiceUnavailableError',
        refusal.message,
      );
    }

    let parsed;
    try {
      parsed = parseBounceNotifications(provider, ctx.request.body);
    } catch (error) {
      if (error instanceof NotificationFormatError)
        return fail(ctx, 400, 'ValidationError', `Not a ${provider} notification: ${error.message}`);
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

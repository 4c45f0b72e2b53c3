// A Koa middleware mounted first with strapi.server.app.use() in register(), ahead of Strapi's middleware stack, for
// the plugin's public routes that stay ordinary content-api routes (opens and clicks never get here: see
// tracking/fast-path.ts):
// - the unsubscribe and mirror routes take exactly one token segment: anything else (traversal, encoded
//   characters, extra segments, oversized) is refused here, before it costs Strapi's whole stack;
// - bounce webhooks are prepared for the stack (tracking/webhook-request.ts).
import type { Core } from '@strapi/strapi';
import type { ServerResponse } from 'http';
import { prepareWebhookRequest, type WebhookRequestContext } from './webhook-request';
import { answerNotFound } from './fast-path';

interface GuardContext extends WebhookRequestContext {
  path: string;
  respond?: boolean;
  res: ServerResponse;
}

// What a token can look like (platform/tokens.ts: base64url, at most MAX_TOKEN_LENGTH characters).
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,128}$/;
const PAGE_PATH = /^[um]\/(.*)$/s;

export const createPublicRoutesGuard = ({ strapi }: { strapi: Core.Strapi }) => {
  const prefix = `${String(strapi.config.get('api.rest.prefix', '/api')).replace(/\/+$/, '')}/campaigns/`;
  // Lower case: Strapi's router matches paths whatever their case, and a secret must never slip through on one.
  const webhooksPrefix = `${prefix}webhooks/`.toLowerCase();

  return async (ctx: GuardContext, next: () => Promise<unknown>) => {
    const { path } = ctx;
    if (path.toLowerCase().startsWith(webhooksPrefix)) {
      prepareWebhookRequest(ctx);
      return next();
    }
    if (!path.startsWith(prefix)) return next();
    const page = PAGE_PATH.exec(path.slice(prefix.length));
    if (page && !TOKEN_SHAPE.test(page[1])) {
      // The same plain 404 as a bad open or click token, written by hand: Koa must not answer again.
      ctx.respond = false;
      return answerNotFound(ctx.res, strapi.log);
    }
    return next();
  };
};

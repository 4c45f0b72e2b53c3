// What the bounce webhooks (controllers/webhooks.ts) need done before Strapi's middleware stack sees the request. Run
// by the plugin's middleware mounted ahead of that stack (tracking/public-routes-guard.ts) for every request
// under /api/campaigns/webhooks/:
// - Strapi's request logger prints ctx.url once the request is answered, whatever the answer
//   (node_modules/@strapi/core/dist/middlewares/logger.js): a secret in the query string is taken out of the URL
//   here, so that no log line ever holds it, and only remembered as given, for the controller's refusal.
// - SendGrid signs the exact bytes it posts, but Strapi's body parser keeps only the parsed JSON: the bytes it reads
//   are copied here as the request emits them, without changing how or when the parser reads them.
import type { IncomingMessage } from 'http';
import { QUERY_SECRET_PARAM } from './webhook-secret';

export interface WebhookRequestContext {
  querystring: string;
  req: IncomingMessage;
  state: Record<string, unknown>;
}

export interface WebhookRequestState {
  /** The caller put a secret in the query string (refused: see tracking/webhook-secret.ts). */
  querySecret: boolean;
  /** The body as received, once Strapi's body parser has read it. */
  rawBody(): Buffer;
}

const STATE_KEY = 'campaignsWebhook';

export const prepareWebhookRequest = (ctx: WebhookRequestContext): void => {
  const params = new URLSearchParams(ctx.querystring);
  const secretNames = [...params.keys()].filter((name) => name.toLowerCase() === QUERY_SECRET_PARAM);
  for (const name of secretNames) params.delete(name);
  // Setting the query string rewrites ctx.url, which is what the request logger prints.
  if (secretNames.length > 0) ctx.querystring = params.toString();

  const chunks: Buffer[] = [];
  const req = ctx.req;
  const emit = req.emit.bind(req);
  req.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'data') chunks.push(Buffer.isBuffer(args[0]) ? args[0] : Buffer.from(String(args[0])));
    return emit(event, ...args);
  }) as typeof req.emit;

  const state: WebhookRequestState = { querySecret: secretNames.length > 0, rawBody: () => Buffer.concat(chunks) };
  ctx.state[STATE_KEY] = state;
};

/** What prepareWebhookRequest() kept for this request (nothing given, nothing read, when it did not run). */
export const webhookRequestState = (ctx: { state?: Record<string, unknown> }): WebhookRequestState =>
  (ctx.state?.[STATE_KEY] as WebhookRequestState | undefined) ?? { querySecret: false, rawBody: () => Buffer.alloc(0) };

// The open pixel and the click redirect, answered by a Koa middleware that runs before Strapi's own stack.
//
// Why here and not as content-api routes: Strapi's per-request machinery (logger, errors, security, cors, query,
// body, session, router, auth, policies) costs ~300 µs of CPU per request, which caps a route at a few thousand
// requests per second on a small machine; a delivery to a large audience produces its opens and clicks in bursts.
// Mounted with strapi.server.app.use() in register(), this answers before that stack (docs/ARCHITECTURE.md,
// "Decisions and their measured reasons"), so it must do itself what the stack would: set its own headers, validate everything, never throw.
// The rare public routes (unsubscribe page and one-click POST, mirror page, bounce webhooks) stay ordinary
// content-api routes: they need body parsing and error handling, and are not hot. Being the one middleware ahead
// of Strapi's stack, this also prepares webhook requests for it (tracking/webhook-request.ts).
import type { Core } from '@strapi/strapi';
import type { TokenSigner } from '../platform/tokens';
import type { TrackingHit } from './tracker-types';
import { getService } from '../platform/get-service';
import { getTokenSigner } from '../platform/token-signer';
import { prepareWebhookRequest, type WebhookRequestContext } from './webhook-request';
import { reasonOf } from '../platform/error-reason';

/** The smallest transparent GIF (1x1, 43 bytes). */
export const TRANSPARENT_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
// As a latin1 string, so Node writes headers and body in one write() instead of a writev() of two buffers (measured:
// the syscall was a third of this route's CPU time on a small VM).
const GIF_BODY = TRANSPARENT_GIF.toString('latin1');

// Nothing here may be cached: a cached pixel or redirect is an open or a click nobody records.
const NO_STORE = 'no-store, no-cache, must-revalidate, private, max-age=0';

const COMMON_HEADERS: Record<string, string> = {
  'Cache-Control': NO_STORE,
  Pragma: 'no-cache',
  Expires: '0',
  'X-Content-Type-Options': 'nosniff',
  // The tracking URL carries a token: the destination site must not receive it as a Referer.
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex, nofollow',
};
const PIXEL_HEADERS: Record<string, string> = {
  ...COMMON_HEADERS,
  'Content-Type': 'image/gif',
  'Content-Length': String(TRANSPARENT_GIF.length),
  // Mail clients and webmail proxies embed the pixel from another origin.
  'Cross-Origin-Resource-Policy': 'cross-origin',
};
const DOCUMENT_HEADERS: Record<string, string> = {
  ...COMMON_HEADERS,
  'Content-Type': 'text/plain; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Frame-Options': 'DENY',
};
const NOT_FOUND_HEADERS = { ...DOCUMENT_HEADERS, 'Content-Length': '9' };
const UNAVAILABLE_HEADERS = { ...DOCUMENT_HEADERS, 'Content-Length': '19', 'Retry-After': '5' };
const REDIRECT_BODY = 'Redirecting';

interface FastPathContext extends WebhookRequestContext {
  method: string;
  path: string;
  ip: string;
  respond?: boolean;
  res: import('http').ServerResponse;
  get(field: string): string;
}

/**
 * Writes the whole answer at once, bypassing Koa's respond() (ctx.respond = false): every header is known here,
 * and the body is a latin1 string so Node sends it in the same write as the headers. HEAD gets no body (Node).
 */
const send = (ctx: FastPathContext, status: number, headers: Record<string, string>, body: string) => {
  ctx.respond = false;
  if (ctx.res.headersSent || ctx.res.destroyed) return;
  ctx.res.writeHead(status, headers);
  ctx.res.end(body, 'latin1');
};

// What a token can look like (platform/tokens.ts: base64url, at most MAX_TOKEN_LENGTH characters).
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,128}$/;
const PAGE_PATH = /^[um]\/(.*)$/s;

const notFound = (ctx: FastPathContext) => send(ctx, 404, NOT_FOUND_HEADERS, 'Not found');

export const createTrackingFastPath = ({ strapi }: { strapi: Core.Strapi }) => {
  const prefix = `${String(strapi.config.get('api.rest.prefix', '/api')).replace(/\/+$/, '')}/campaigns/`;
  const openPrefix = `${prefix}o/`;
  const clickPrefix = `${prefix}c/`;
  // Lower case: Strapi's router matches paths whatever their case, and a secret must never slip through on one.
  const webhooksPrefix = `${prefix}webhooks/`.toLowerCase();
  // Built on first use: the keys come from the plugin config, which is complete once Strapi has loaded.
  let signer: TokenSigner | null = null;
  const tokens = () => (signer ??= getTokenSigner(strapi));

  /** Recording never decides the answer: a failure is logged, the recipient still gets the pixel or the redirect. */
  const record = async (hit: TrackingHit) => {
    try {
      await getService(strapi, 'tracker').record(hit);
    } catch (error) {
      strapi.log.warn(`[campaigns] tracking hit answered but not recorded: ${reasonOf(error)}`);
    }
  };

  const open = async (ctx: FastPathContext, token: string) => {
    const payload = tokens().verify(token, 'open');
    if (!payload) return notFound(ctx);
    // A HEAD is a prefetch or a check, not a person looking at the message: answered, not recorded.
    if (ctx.method === 'GET' && payload.deliveryLogId > 0) {
      await record({
        type: 'open',
        deliveryId: payload.deliveryId,
        deliveryLogId: payload.deliveryLogId,
        at: new Date(),
        userAgent: ctx.get('user-agent'),
        ip: ctx.ip,
      });
    }
    send(ctx, 200, PIXEL_HEADERS, GIF_BODY);
  };

  const click = async (ctx: FastPathContext, token: string) => {
    const payload = tokens().verify(token, 'click');
    if (!payload || payload.trackedLinkId === undefined) return notFound(ctx);
    let link;
    try {
      link = await getService(strapi, 'tracker').findTrackedLink(payload.trackedLinkId);
    } catch (error) {
      // Without the stored URL there is nowhere safe to send the recipient.
      strapi.log.error(`[campaigns] click: could not read tracked link ${payload.trackedLinkId}: ${reasonOf(error)}`);
      return send(ctx, 503, UNAVAILABLE_HEADERS, 'Service unavailable');
    }
    // The token names the link and its delivery: both must agree, or it is not a link of this message.
    if (!link || link.deliveryId !== payload.deliveryId) return notFound(ctx);
    if (ctx.method === 'GET' && link.tracked && payload.deliveryLogId > 0) {
      await record({
        type: 'click',
        deliveryId: payload.deliveryId,
        deliveryLogId: payload.deliveryLogId,
        trackedLinkId: link.id,
        at: new Date(),
        userAgent: ctx.get('user-agent'),
        ip: ctx.ip,
      });
    }
    send(
      ctx,
      302,
      { ...DOCUMENT_HEADERS, 'Content-Length': String(REDIRECT_BODY.length), Location: link.url },
      REDIRECT_BODY,
    );
  };

  return async (ctx: FastPathContext, next: () => Promise<unknown>) => {
    const { path, method } = ctx;
    const isOpen = path.startsWith(openPrefix);
    if (!isOpen && !path.startsWith(clickPrefix)) {
      // Not a tracking hit, so not hot: lower-casing the path costs nothing next to Strapi's stack.
      if (path.toLowerCase().startsWith(webhooksPrefix)) {
        prepareWebhookRequest(ctx);
        return next();
      }
      if (!path.startsWith(prefix)) return next();
      // The unsubscribe and mirror routes take exactly one token segment: anything else (traversal, encoded
      // characters, extra segments, oversized) is refused here, before it costs Strapi's whole stack.
      const page = PAGE_PATH.exec(path.slice(prefix.length));
      if (page && !TOKEN_SHAPE.test(page[1])) return notFound(ctx);
      return next();
    }
    if (method !== 'GET' && method !== 'HEAD') return next();
    try {
      // The token is the whole rest of the path; anything else under these prefixes names nothing.
      const token = path.slice(isOpen ? openPrefix.length : clickPrefix.length);
      if (isOpen) await open(ctx, token);
      else await click(ctx, token);
    } catch (error) {
      // Strapi's error middleware is not around us: nothing may escape as an unhandled error page.
      strapi.log.error(`[campaigns] tracking route failed: ${reasonOf(error)}`);
      notFound(ctx);
    }
  };
};

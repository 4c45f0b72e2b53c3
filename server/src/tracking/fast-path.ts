// The open pixel and the click redirect, answered on Node's raw request and response, before Koa builds a context.
//
// Why here and not as content-api routes: Strapi's per-request machinery (logger, errors, security, cors, query,
// body, session, router, auth, policies) costs ~300 µs of CPU per request, which caps a route at a few thousand
// requests per second on a small machine; a delivery to a large audience produces its opens and clicks in bursts.
// Why not as a Koa middleware ahead of that stack (as it was until bench/README.md, "Where a click's time goes"):
// Koa's context, its request-context AsyncLocalStorage scope and its response bookkeeping still cost a few
// allocations and promises per hit. So installTrackingFastPath() puts a listener in place of Strapi's own on its
// http server (node_modules/@strapi/core/dist/services/server/http-server.js): it answers GET and HEAD under
// /api/campaigns/o/ and /api/campaigns/c/ itself and hands every other request to Strapi's listener unchanged.
// It must therefore do itself what the stack would: set its own headers, validate everything, never throw.
// The rare public routes (unsubscribe page and one-click POST, mirror page, bounce webhooks) stay ordinary
// content-api routes, guarded by tracking/public-routes-guard.ts.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'http';
import type { Core } from '@strapi/strapi';
import type { TokenSigner } from '../platform/tokens';
import type { TrackedLinkTarget, TrackingHit } from './tracker-types';
import type { TrackerService } from './tracker';
import { getService } from '../platform/get-service';
import { getTokenSigner } from '../platform/token-signer';
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
const DOCUMENT_HEADERS: Record<string, string> = {
  ...COMMON_HEADERS,
  'Content-Type': 'text/plain; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Frame-Options': 'DENY',
};

/** Headers as the flat [name, value, ...] list writeHead() takes as it is: built once, nothing to walk per hit. */
const flat = (headers: Record<string, string>): string[] => Object.entries(headers).flat();

const PIXEL_HEADERS = flat({
  ...COMMON_HEADERS,
  'Content-Type': 'image/gif',
  'Content-Length': String(TRANSPARENT_GIF.length),
  // Mail clients and webmail proxies embed the pixel from another origin.
  'Cross-Origin-Resource-Policy': 'cross-origin',
});
const NOT_FOUND_HEADERS = flat({ ...DOCUMENT_HEADERS, 'Content-Length': '9' });
const UNAVAILABLE_HEADERS = flat({ ...DOCUMENT_HEADERS, 'Content-Length': '19', 'Retry-After': '5' });
// The redirect has no body: browsers never show one, and with a body Node sends two buffers (writev) instead of one.
const redirectHeaders = (url: string): string[] => flat({ ...DOCUMENT_HEADERS, 'Content-Length': '0', Location: url });

/** Writes the whole answer at once; HEAD gets no body (Node). Never throws. */
const send = (
  res: ServerResponse,
  status: number,
  headers: string[],
  body: string,
  log: Core.Strapi['log'],
): undefined => {
  if (res.headersSent || res.destroyed) return undefined;
  try {
    res.writeHead(status, headers);
    res.end(body, 'latin1');
  } catch (error) {
    log.error(`[campaigns] tracking route could not answer: ${reasonOf(error)}`);
    res.destroy();
  }
  return undefined;
};

/** The part of Koa's application that says how Koa would read the client's address (Strapi's proxy settings). */
interface ProxySettings {
  proxy: boolean;
  proxyIpHeader: string;
  maxIpsCount: number;
}

/** The plain 404 of every public tracking URL that names nothing. */
export const answerNotFound = (res: ServerResponse, log: Core.Strapi['log']) =>
  send(res, 404, NOT_FOUND_HEADERS, 'Not found', log);

/** The client's address exactly as Koa's ctx.ip reads it (node_modules/koa/lib/request.js, `ips` and `ip`). */
export const clientIp = (req: IncomingMessage, app: ProxySettings): string => {
  if (app.proxy) {
    const value = req.headers[app.proxyIpHeader.toLowerCase()];
    if (typeof value === 'string' && value !== '') {
      let ips = value.split(',').map((ip) => ip.trim());
      if (app.maxIpsCount > 0) ips = ips.slice(-app.maxIpsCount);
      if (ips[0]) return ips[0];
    }
  }
  return req.socket.remoteAddress ?? '';
};

/**
 * Answers the request when it is an open or a click (GET or HEAD under the two prefixes), and returns whether it
 * did; any other request is left untouched for Strapi.
 */
export const createTrackingFastPath = ({ strapi }: { strapi: Core.Strapi }) => {
  const prefix = `${String(strapi.config.get('api.rest.prefix', '/api')).replace(/\/+$/, '')}/campaigns/`;
  const openPrefix = `${prefix}o/`;
  const clickPrefix = `${prefix}c/`;
  const proxySettings = strapi.server.app as unknown as ProxySettings;
  // Built on first use: the keys and services are complete only once Strapi has loaded.
  let signer: TokenSigner | null = null;
  let trackerService: TrackerService | null = null;
  const tokens = () => (signer ??= getTokenSigner(strapi));
  const tracker = () => (trackerService ??= getService(strapi, 'tracker'));
  // Per cached link object (the tracker's link cache keeps the same object while it holds the link).
  const redirects = new WeakMap<TrackedLinkTarget, string[]>();

  const notFound = (res: ServerResponse) => answerNotFound(res, strapi.log);
  const unavailable = (res: ServerResponse) => send(res, 503, UNAVAILABLE_HEADERS, 'Service unavailable', strapi.log);

  const hitOf = (
    req: IncomingMessage,
    type: 'open' | 'click',
    deliveryId: number,
    deliveryLogId: number,
    trackedLinkId: number | null,
  ): TrackingHit => ({
    type,
    deliveryId,
    deliveryLogId,
    trackedLinkId,
    at: new Date(),
    userAgent: req.headers['user-agent'] ?? '',
    ip: clientIp(req, proxySettings),
  });

  /**
   * Answers once the group commit that stores the hit has ended, from its callback (no promise per hit). Recording
   * never decides the answer: a failure is logged, the recipient still gets the pixel or the redirect.
   */
  const recordThen = (hit: TrackingHit, answer: () => void): undefined => {
    tracker().submit(hit, (error) => {
      if (error) strapi.log.warn(`[campaigns] tracking hit answered but not recorded: ${reasonOf(error)}`);
      answer();
    });
    return undefined;
  };

  const open = (req: IncomingMessage, res: ServerResponse, token: string) => {
    const payload = tokens().verify(token, 'open');
    if (!payload) return notFound(res);
    const answer = () => send(res, 200, PIXEL_HEADERS, GIF_BODY, strapi.log);
    // A HEAD is a prefetch or a check, not a person looking at the message: answered, not recorded.
    if (req.method !== 'GET' || !(payload.deliveryLogId > 0)) return answer();
    const { deliveryId, deliveryLogId } = payload;
    return recordThen(hitOf(req, 'open', deliveryId, deliveryLogId, null), answer);
  };

  const redirect = (
    req: IncomingMessage,
    res: ServerResponse,
    link: TrackedLinkTarget | null,
    logId: number,
    deliveryId: number,
  ) => {
    // The token names the link and its delivery: both must agree, or it is not a link of this message.
    if (!link || link.deliveryId !== deliveryId) return notFound(res);
    let headers = redirects.get(link);
    if (!headers) redirects.set(link, (headers = redirectHeaders(link.url)));
    const answer = () => send(res, 302, headers, '', strapi.log);
    if (req.method !== 'GET' || !link.tracked || !(logId > 0)) return answer();
    return recordThen(hitOf(req, 'click', deliveryId, logId, link.id), answer);
  };

  const click = (req: IncomingMessage, res: ServerResponse, token: string) => {
    const payload = tokens().verify(token, 'click');
    if (!payload || payload.trackedLinkId === undefined) return notFound(res);
    const { trackedLinkId, deliveryLogId, deliveryId } = payload;
    // Cached links are answered without a promise in between; the others are read once, then cached.
    const cached = tracker().cachedTrackedLink(trackedLinkId);
    if (cached) return redirect(req, res, cached, deliveryLogId, deliveryId);
    return tracker()
      .findTrackedLink(trackedLinkId)
      .then(
        (link) => redirect(req, res, link, deliveryLogId, deliveryId),
        (error: unknown) => {
          // Without the stored URL there is nowhere safe to send the recipient.
          strapi.log.error(`[campaigns] click: could not read tracked link ${trackedLinkId}: ${reasonOf(error)}`);
          unavailable(res);
        },
      );
  };

  const fail = (res: ServerResponse, error: unknown) => {
    strapi.log.error(`[campaigns] tracking route failed: ${reasonOf(error)}`);
    notFound(res);
  };

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '';
    const isOpen = url.startsWith(openPrefix);
    if (!isOpen && !url.startsWith(clickPrefix)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    // The token is the whole rest of the path; anything else under these prefixes names nothing. The query string
    // is never read: no answer may depend on what the request adds to the signed URL.
    const query = url.indexOf('?');
    const token = url.slice((isOpen ? openPrefix : clickPrefix).length, query < 0 ? undefined : query);
    try {
      const answered = isOpen ? open(req, res, token) : click(req, res, token);
      // Nothing may escape as an unhandled rejection or an unanswered request.
      answered?.catch((error: unknown) => fail(res, error));
    } catch (error) {
      fail(res, error);
    }
    return true;
  };
};

const INSTALLED = Symbol.for('strapi-plugin-campaigns.tracking-fast-path');

/**
 * Puts the fast path in front of Strapi's request listener on its http server, once per server. Strapi creates the
 * server with its listener before plugins register, and strapi.listen() / server.listen() reuse that same server, so
 * the wrapper holds for the life of this Strapi instance; several instances in one process each get their own.
 */
export const installTrackingFastPath = (strapi: Core.Strapi): void => {
  const server = strapi.server.httpServer as Server & { [INSTALLED]?: true };
  if (server[INSTALLED]) return;
  const [strapiListener, ...others] = server.listeners('request') as RequestListener[];
  if (!strapiListener) throw new Error('[campaigns] Strapi http server has no request listener to put tracking before');
  const answer = createTrackingFastPath({ strapi });
  // Replaced in place, keeping the order of any listener added after Strapi's.
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!answer(req, res)) strapiListener.call(server, req, res);
  });
  for (const listener of others) server.on('request', listener);
  server[INSTALLED] = true;
};

// The public sign-up route and the confirmation link's pages. POST /subscribe takes JSON (a script's fetch) or a plain
// HTML form post from any origin, answered with a small HTML page: a form post needs no CORS, so a static page on
// another site works without configuring Strapi's CORS. Nothing here tells whether an address is known.
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { countFields, subscribeBody, SUBSCRIBE_LIMITS, type SubscribeResponse } from '../../../shared/subscribe-input';
import { normalizeEmail } from '../platform/email-address';
import { createRateLimiter, type RateDecision } from '../platform/rate-window';
import { getConfirmTokenSigner } from '../platform/confirm-token-signer';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { PUBLIC_PAGE_CSP } from '../tracking/public-pages';
import { renderConfirmPage, renderSubscribeAnswer } from '../tracking/subscribe-pages';

const PAGE_HEADERS = {
  'Cache-Control': 'no-store, private, max-age=0',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex, nofollow',
  'X-Frame-Options': 'DENY',
};

const ACCEPTED: SubscribeResponse = { data: { accepted: true } };

/** A refusal this route decides itself (size, rate), in the shape of Strapi's own errors. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly name = status === 429 ? 'TooManyRequestsError' : 'PayloadTooLargeError',
  ) {
    super(message);
  }
}

const createSubscriptionsController = ({ strapi }: { strapi: Core.Strapi }) => {
  const limiter = createRateLimiter();
  const service = () => getService(strapi, 'subscriptions');

  const limit = (decision: RateDecision, ctx: Context) => {
    if (decision.allowed) return;
    ctx.set('Retry-After', String(decision.retryAfterSeconds));
    throw new Refusal(429, `Too many sign-ups; try again in ${decision.retryAfterSeconds} seconds.`);
  };

  const html = (ctx: Context, status: number, body: string) => {
    ctx.status = status;
    ctx.set({ ...PAGE_HEADERS, 'Content-Security-Policy': PUBLIC_PAGE_CSP });
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = body;
  };

  const notFound = (ctx: Context) => {
    ctx.status = 404;
    ctx.set({ ...PAGE_HEADERS, 'Content-Security-Policy': "default-src 'none'" });
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = 'Not found';
  };

  const accept = async (ctx: Context, body: unknown) => {
    const config = await getService(strapi, 'settings').get();
    const { perIp, perAddress } = config.subscribe.rateLimit;
    limit(limiter.hit(`ip:${ctx.ip}`, perIp), ctx);
    const size = Number(ctx.request.length ?? 0) || Buffer.byteLength(JSON.stringify(body ?? {}));
    if (size > SUBSCRIBE_LIMITS.bodyBytes) {
      throw new Refusal(413, `The sign-up is too large (at most ${SUBSCRIBE_LIMITS.bodyBytes / 1024} KB).`);
    }
    if (countFields(body) > SUBSCRIBE_LIMITS.fields) {
      throw new errors.ValidationError(`Too many fields in the sign-up (at most ${SUBSCRIBE_LIMITS.fields}).`);
    }
    const input = parseOrThrow(subscribeBody, body, 'sign-up');
    limit(limiter.hit(`address:${normalizeEmail(input.email)}`, perAddress), ctx);
    await service().verify(body as Record<string, unknown>, ctx.ip);
    await service().subscribe(input, { ip: ctx.ip, userAgent: ctx.get('user-agent') });
  };

  return {
    /** POST /subscribe: 202 and the same body for every accepted sign-up; 400, 413 or 429 with the reason. */
    async subscribe(ctx: Context) {
      const body = ctx.request.body;
      const fromForm = ctx.is('urlencoded', 'multipart') !== false;
      const locale = body && typeof body === 'object' && typeof body.locale === 'string' ? body.locale : null;
      try {
        await accept(ctx, body);
      } catch (error) {
        const refusal = error instanceof Refusal;
        if (!refusal && !(error instanceof errors.ValidationError)) throw error;
        if (fromForm) return html(ctx, refusal ? error.status : 400, renderSubscribeAnswer(locale, error.message));
        if (!refusal) throw error;
        ctx.status = error.status;
        ctx.body = { data: null, error: { status: error.status, name: error.name, message: error.message } };
        return;
      }
      if (fromForm) return html(ctx, 202, renderSubscribeAnswer(locale));
      ctx.status = 202;
      ctx.body = ACCEPTED;
    },

    /** GET: a page with a Confirm button (link scanners follow GETs); POST: confirms. */
    async confirm(ctx: Context) {
      const token = ctx.params?.token;
      const payload = typeof token === 'string' ? getConfirmTokenSigner(strapi).verify(token) : null;
      if (!payload) return notFound(ctx);
      const outcome = await service().confirm(
        payload,
        { ip: ctx.ip, userAgent: ctx.get('user-agent') },
        ctx.method === 'POST',
      );
      if (!outcome) return notFound(ctx);
      html(ctx, outcome.state === 'expired' ? 410 : 200, renderConfirmPage({ ...outcome, action: ctx.path }));
    },
  };
};

export default createSubscriptionsController;

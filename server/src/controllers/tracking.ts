// Public pages reached from a message: unsubscribe (page and RFC 8058 one-click POST) and the mirror page.
// Served as content-api routes (auth: false) rather than by the tracking fast path: they are rare, and they need
// what Strapi's stack gives (body parsing for forms and one-click POSTs, error handling, request logging).
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { PUBLIC_PAGE_CSP, renderUnsubscribePage, type UnsubscribePageState } from '../tracking/public-pages';
import type { TokenKind, TokenPayload } from '../platform/tokens';
import { MIRROR_CSP } from '../tracking/mirror';
import type { Recipient } from '../tracking/unsubscriptions';
import { getService } from '../platform/get-service';
import { getTokenSigner } from '../platform/token-signer';

export const PAGE_HEADERS = {
  'Cache-Control': 'no-store, private, max-age=0',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex, nofollow',
};

export const notFound = (ctx: Context) => {
  ctx.status = 404;
  ctx.set({ ...PAGE_HEADERS, 'Content-Security-Policy': "default-src 'none'", 'X-Frame-Options': 'DENY' });
  ctx.type = 'text/plain; charset=utf-8';
  ctx.body = 'Not found';
};

const createTrackingController = ({ strapi }: { strapi: Core.Strapi }) => {
  const verify = (ctx: Context, kind: TokenKind): TokenPayload | null => {
    const token = ctx.params?.token;
    return typeof token === 'string' ? getTokenSigner(strapi).verify(token, kind) : null;
  };

  const page = (ctx: Context, state: UnsubscribePageState, recipient: Recipient) => {
    ctx.status = 200;
    ctx.set({ ...PAGE_HEADERS, 'Content-Security-Policy': PUBLIC_PAGE_CSP, 'X-Frame-Options': 'DENY' });
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = renderUnsubscribePage({
      state,
      email: recipient.email,
      locale: recipient.locale,
      action: ctx.path,
      preview: recipient.preview,
    });
  };

  return {
    /** GET: asks for confirmation (or offers to resubscribe). Never changes anything: link scanners GET every link. */
    async unsubscribePage(ctx: Context) {
      const payload = verify(ctx, 'unsubscribe');
      if (!payload) return notFound(ctx);
      const recipient = await getService(strapi, 'unsubscriptions').recipient(payload);
      if (!recipient) return notFound(ctx);
      page(ctx, recipient.unsubscribed ? 'unsubscribed' : 'confirm', recipient);
    },

    /**
     * POST: unsubscribes at once (RFC 8058 `List-Unsubscribe=One-Click`, or the page's form) and answers 200;
     * `action=resubscribe` from the page undoes it.
     */
    async unsubscribe(ctx: Context) {
      const payload = verify(ctx, 'unsubscribe');
      if (!payload) return notFound(ctx);
      const body = ctx.request.body && typeof ctx.request.body === 'object' ? ctx.request.body : {};
      const service = getService(strapi, 'unsubscriptions');
      if (body.action === 'resubscribe') {
        const recipient = await service.resubscribe(payload, { userAgent: ctx.get('user-agent'), ip: ctx.ip });
        // A suppression the person did not write (a complaint, a hard bounce) keeps them unsubscribed.
        if (!recipient) return notFound(ctx);
        return page(ctx, recipient.unsubscribed ? 'unsubscribed' : 'resubscribed', recipient);
      }
      const source = body['List-Unsubscribe'] === 'One-Click' ? 'one_click' : 'page';
      const recipient = await service.unsubscribe(payload, source, { userAgent: ctx.get('user-agent'), ip: ctx.ip });
      return recipient ? page(ctx, 'unsubscribed', recipient) : notFound(ctx);
    },

    /** GET: the message as its recipient got it; the view is recorded as a 'mirror' event. */
    async mirror(ctx: Context) {
      const payload = verify(ctx, 'mirror');
      if (!payload) return notFound(ctx);
      const html = await getService(strapi, 'mirror').render(payload);
      if (html === null) return notFound(ctx);
      if (ctx.method === 'GET' && payload.deliveryLogId > 0) {
        try {
          await getService(strapi, 'tracker').record({
            type: 'mirror',
            deliveryId: payload.deliveryId,
            deliveryLogId: payload.deliveryLogId,
            at: new Date(),
            userAgent: ctx.get('user-agent'),
            ip: ctx.ip,
          });
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          strapi.log.warn(`[campaigns] mirror view answered but not recorded: ${reason}`);
        }
      }
      ctx.status = 200;
      ctx.set({ ...PAGE_HEADERS, 'Content-Security-Policy': MIRROR_CSP, 'X-Frame-Options': 'DENY' });
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = html;
    },
  };
};

export default createTrackingController;

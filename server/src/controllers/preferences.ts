// The preference centre (/api/campaigns/p/<token>), a public page like the unsubscribe page (controllers/tracking.ts):
// a GET shows it and never changes anything (link scanners GET every link of a message); a POST saves.
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { PUBLIC_PAGE_CSP } from '../tracking/public-pages';
import { preferenceStrings, renderPreferencePage, type PreferencesNotice } from '../tracking/preference-page';
import type { PreferencesView } from '../tracking/preferences';
import type { TokenPayload } from '../platform/tokens';
import { getService } from '../platform/get-service';
import { getTokenSigner } from '../platform/token-signer';
import { preferencesForm } from '../validation/preferences';
import { notFound, PAGE_HEADERS } from './tracking';

const createPreferencesController = ({ strapi }: { strapi: Core.Strapi }) => {
  const verify = (ctx: Context): TokenPayload | null => {
    const token = ctx.params?.token;
    return typeof token === 'string' ? getTokenSigner(strapi).verify(token, 'preferences') : null;
  };

  const page = (ctx: Context, view: PreferencesView, notice: PreferencesNotice = null) => {
    ctx.status = 200;
    ctx.set({ ...PAGE_HEADERS, 'Content-Security-Policy': PUBLIC_PAGE_CSP, 'X-Frame-Options': 'DENY' });
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = renderPreferencePage({ view, action: ctx.path, notice });
  };

  return {
    async page(ctx: Context) {
      const payload = verify(ctx);
      if (!payload) return notFound(ctx);
      const view = await getService(strapi, 'preferences').view(payload);
      return view ? page(ctx, view) : notFound(ctx);
    },

    async save(ctx: Context) {
      const payload = verify(ctx);
      if (!payload) return notFound(ctx);
      const form = preferencesForm.safeParse(ctx.request.body ?? {});
      if (!form.success) {
        ctx.status = 400;
        ctx.set(PAGE_HEADERS);
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = 'Bad request';
        return;
      }
      const service = getService(strapi, 'preferences');
      const before = await service.view(payload);
      if (!before) return notFound(ctx);
      const t = preferenceStrings(before.locale);
      const request = { userAgent: ctx.get('user-agent'), ip: ctx.ip };
      const { action, lists } = form.data;
      const view =
        action === 'save'
          ? await service.saveLists(payload, lists, { ...request, wording: t.save })
          : action === 'unsubscribe'
            ? await service.unsubscribeAll(payload, { ...request, wording: t.unsubscribeAll })
            : await service.resubscribe(payload, { ...request, wording: t.resubscribe });
      if (!view) return notFound(ctx);
      page(
        ctx,
        view,
        action === 'save' ? 'saved' : action === 'resubscribe' && !view.unsubscribed ? 'resubscribed' : null,
      );
    },
  };
};

export default createPreferencesController;

// Refuses every Content Manager request that names one of the plugin's content types, for every admin (Super Admin
// included). The plugin's data has its own pages, routes and RBAC actions (routes/admin.ts), with checks the Content
// Manager knows nothing of: a sent delivery's message is immutable, logs are history, contacts are validated. The
// types are also hidden (pluginOptions in content-types/*/schema.json), but an app made before kept the Editor and
// Author roles' read permission on them, and the Super Admin reads every type through the Content Manager's routes.
// Mounted with strapi.server.app.use() in register(), before Strapi's router, so it sets its own answer.
import type { Context, Next } from 'koa';
import { UID_PREFIX } from '../../../shared/constants';

const MESSAGE =
  'Campaigns data (contacts, lists, deliveries, logs, reports, alerts) is managed on the Campaigns pages and through ' +
  "the plugin's routes, not in the Content Manager.";

/** Decodes one path segment or query part as the router and the query parser do: left as is when malformed. */
const decode = (part: string) => {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return part;
  }
};

/**
 * Whether a request is the Content Manager's and names a plugin type, in a path segment, a query key or a query value,
 * however it is percent-encoded, cased or slashed (Strapi's router ignores case and decodes each parameter).
 */
export const isContentManagerRequestForPluginType = (path: string, querystring: string) => {
  const segments = path.split('/').filter(Boolean);
  if (decode(segments[0] ?? '').toLowerCase() !== 'content-manager') return false;
  return [...segments, ...querystring.split(/[&=]/)].some((part) => decode(part).toLowerCase().includes(UID_PREFIX));
};

export const createContentManagerGuard = () => async (ctx: Context, next: Next) => {
  if (!isContentManagerRequestForPluginType(ctx.path, ctx.querystring)) return next();
  ctx.status = 403;
  ctx.body = { data: null, error: { status: 403, name: 'ForbiddenError', message: MESSAGE, details: {} } };
};

// Refuses every Content Manager request that names one of the plugin's content types, for every admin (Super Admin
// included). The plugin's data has its own pages, routes and RBAC actions (routes/admin.ts), with checks the Content
// Manager knows nothing of: a sent delivery's message is immutable, logs are history, contacts are validated. The
// types are also hidden (pluginOptions in content-types/*/schema.json), but an app made before kept the Editor and
// Author roles' read permission on them, and the Super Admin reads every type through the Content Manager's routes.
// Mounted with strapi.server.app.use() in register(), before Strapi's router, so it sets its own answer.
import { UID_PREFIX } from '../constants';

const CONTENT_MANAGER = '/content-manager/';
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

/** Whether a path segment, a query key or a query value names a plugin type, however it is percent-encoded. */
export const namesPluginType = (path: string, querystring: string) =>
  [...path.split('/'), ...querystring.split(/[&=]/)].some((part) => decode(part).toLowerCase().includes(UID_PREFIX));

export const createContentManagerGuard = () => async (ctx: any, next: () => Promise<unknown>) => {
  // Lower-cased: Strapi's router matches paths without regard to case.
  if (!ctx.path.toLowerCase().startsWith(CONTENT_MANAGER) || !namesPluginType(ctx.path, ctx.querystring)) return next();
  ctx.status = 403;
  ctx.body = { data: null, error: { status: 403, name: 'ForbiddenError', message: MESSAGE, details: {} } };
};

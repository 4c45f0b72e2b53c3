import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ACTIONS, UID } from '../../shared/constants';
import { createTrackingFastPath } from './middlewares/tracking-fast-path';

const RBAC_ACTIONS = (Object.keys(ACTIONS) as Array<keyof typeof ACTIONS>).map((uid) => ({
  section: 'plugins',
  displayName: { read: 'Read', send: 'Send', reports: 'Reports', settings: 'Settings' }[uid],
  uid,
  pluginName: 'campaigns',
}));

/** Logs are history: the plugin writes them through the query engine; nobody edits them through documents. */
const READ_ONLY_UIDS = new Set<string>([UID.deliveryLog, UID.trackingLog, UID.trackedLink, UID.alert]);
const WRITE_ACTIONS = new Set(['create', 'update', 'delete', 'clone', 'publish', 'unpublish', 'discardDraft']);

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // The action registry outlives one Strapi instance when several boot in one process (tests): register once.
  const { actionProvider } = strapi.service('admin::permission') as any;
  actionProvider.registerMany(RBAC_ACTIONS.filter((action) => !actionProvider.has(`plugin::campaigns.${action.uid}`)));

  // Opens and clicks are answered before Strapi's middleware stack: see middlewares/tracking-fast-path.ts.
  strapi.server.app.use(createTrackingFastPath({ strapi }) as any);

  strapi.documents.use(async (ctx, next) => {
    if (READ_ONLY_UIDS.has(ctx.uid) && WRITE_ACTIONS.has(ctx.action)) {
      throw new errors.ForbiddenError(`${ctx.contentType.info.displayName} entries are written by the Campaigns plugin and are read-only.`);
    }
    return next();
  });
};

import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ACTIONS, UID_PREFIX } from '../../shared/constants';
import { createContentManagerGuard } from './platform/content-manager-guard';
import { installTrackingFastPath } from './tracking/fast-path';
import { createPublicRoutesGuard } from './tracking/public-routes-guard';
import { DOCUMENT_READS, isPluginWrite } from './platform/plugin-documents';

const RBAC_ACTIONS = (Object.keys(ACTIONS) as Array<keyof typeof ACTIONS>).map((uid) => ({
  section: 'plugins',
  displayName: { read: 'Read', send: 'Send', reports: 'Reports', settings: 'Settings' }[uid],
  uid,
  pluginName: 'campaigns',
}));

/** The part of the admin's permission service used here (Strapi does not type its services). */
interface ActionProvider {
  has: (uid: string) => boolean;
  registerMany: (actions: typeof RBAC_ACTIONS) => void;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // The action registry outlives one Strapi instance when several boot in one process (tests): register once.
  const { actionProvider } = strapi.service('admin::permission') as unknown as { actionProvider: ActionProvider };
  actionProvider.registerMany(RBAC_ACTIONS.filter((action) => !actionProvider.has(`plugin::campaigns.${action.uid}`)));

  // Opens and clicks are answered before Koa sees the request: see tracking/fast-path.ts.
  installTrackingFastPath(strapi);
  // The other public routes are checked and prepared before Strapi's middleware stack.
  strapi.server.app.use(createPublicRoutesGuard({ strapi }));
  // The plugin's data is reached only through its own routes and RBAC actions: see platform/content-manager-guard.ts.
  strapi.server.app.use(createContentManagerGuard());

  // Only the plugin writes its types through the document service (platform/plugin-documents.ts); reads stay open to the app.
  strapi.documents.use(async (ctx, next) => {
    if (ctx.uid.startsWith(UID_PREFIX) && !DOCUMENT_READS.has(ctx.action) && !isPluginWrite()) {
      throw new errors.ForbiddenError(
        `${ctx.contentType.info.displayName} entries are written only by the Campaigns plugin, through its admin pages, routes and services (refused: ${ctx.action}).`,
      );
    }
    return next();
  });
};

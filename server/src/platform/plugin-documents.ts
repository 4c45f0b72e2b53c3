// The plugin's own document-service access to its content types. register.ts refuses every other write to a
// plugin::campaigns.* type (the Content Manager, other plugins, the app's code), so the plugin's data only changes
// through its routes and services, with their checks (a sent delivery's message stays as sent, logs stay history).
import { AsyncLocalStorage } from 'async_hooks';
import type { Core, Modules, UID } from '@strapi/strapi';

/** Document-service actions that only read; every other action writes. */
export const DOCUMENT_READS = new Set(['findOne', 'findFirst', 'findMany', 'count']);

const pluginScope = new AsyncLocalStorage<true>();

/** Whether the running document-service call was made through pluginDocuments. */
export const isPluginWrite = () => pluginScope.getStore() === true;

/** strapi.documents(uid) whose writes are made as the plugin. */
export const pluginDocuments = <T extends UID.ContentType>(
  strapi: Core.Strapi,
  uid: T,
): Modules.Documents.ServiceInstance<T> => {
  const documents = strapi.documents(uid) as unknown as Record<string, unknown>;
  const asPlugin = Object.entries(documents).map(([action, method]) =>
    typeof method === 'function' && !DOCUMENT_READS.has(action)
      ? [action, (...args: unknown[]) => pluginScope.run(true, () => method(...args))]
      : [action, method],
  );
  return Object.fromEntries(asPlugin);
};

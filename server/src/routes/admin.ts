// Admin API: every route needs an admin login and the RBAC action it names.
import { ACTIONS, type ActionName } from '../constants';

const guard = (action: ActionName) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [ACTIONS[action]] } }],
});

const route = (method: string, path: string, handler: string, action: ActionName) => ({ method, path, handler, config: guard(action) });

export default {
  type: 'admin' as const,
  routes: [
    route('GET', '/contacts', 'contacts.find', 'read'),
    route('POST', '/contacts', 'contacts.create', 'send'),
    route('POST', '/contacts/import', 'contacts.import', 'send'),
    route('GET', '/contacts/imports', 'contacts.importJobs', 'read'),
    route('GET', '/contacts/imports/:jobId', 'contacts.importJob', 'read'),
    route('GET', '/contacts/:id', 'contacts.findOne', 'read'),
    route('PUT', '/contacts/:id', 'contacts.update', 'send'),
    route('DELETE', '/contacts/:id', 'contacts.delete', 'send'),

    route('GET', '/lists', 'lists.find', 'read'),
    route('POST', '/lists', 'lists.create', 'send'),
    route('GET', '/lists/:id', 'lists.findOne', 'read'),
    route('PUT', '/lists/:id', 'lists.update', 'send'),
    route('DELETE', '/lists/:id', 'lists.delete', 'send'),

    route('GET', '/settings', 'settings.get', 'settings'),
  ],
};

// Admin API: every route needs an admin login and the RBAC action it names.
import { ACTIONS, type ActionName } from '../../../shared/constants';

// Several actions: the admin needs every one of them (Strapi's admin::hasPermissions checks them all).
const guard = (actions: ActionName[]) => ({
  policies: [
    'admin::isAuthenticatedAdmin',
    { name: 'admin::hasPermissions', config: { actions: actions.map((action) => ACTIONS[action]) } },
  ],
});

const route = (method: string, path: string, handler: string, action: ActionName | ActionName[]) => ({
  method,
  path,
  handler,
  config: guard(Array.isArray(action) ? action : [action]),
});

export default {
  type: 'admin' as const,
  routes: [
    route('GET', '/contacts', 'contacts.find', 'read'),
    route('POST', '/contacts', 'contacts.create', 'send'),
    route('POST', '/contacts/import', 'contacts.import', 'send'),
    route('POST', '/contacts/delete', 'contacts.deleteMany', 'send'),
    route('GET', '/contacts/export', 'contacts.export', 'read'),
    route('GET', '/contacts/imports', 'contacts.importJobs', 'read'),
    route('GET', '/contacts/imports/:jobId', 'contacts.importJob', 'read'),
    route('GET', '/contacts/:id/data', 'contact-data.export', 'read'),
    route('POST', '/contacts/:id/erase', 'contact-data.erase', 'send'),
    route('GET', '/contacts/:id', 'contacts.findOne', 'read'),
    route('GET', '/contacts/:id/timeline', 'contact-timeline.find', 'read'),
    route('PUT', '/contacts/:id', 'contacts.update', 'send'),
    route('DELETE', '/contacts/:id', 'contacts.delete', 'send'),
    route('GET', '/suppressions', 'suppressions.find', 'read'),
    // Suppressing only takes addresses out of reach, as unsubscribing a contact does: the send action.
    route('POST', '/suppressions', 'suppressions.create', 'send'),
    route('POST', '/suppressions/import', 'suppressions.importFile', 'send'),
    // Lifting a suppression lets an opted-out address be reached again: the settings action, not send.
    route('DELETE', '/suppressions/:id', 'suppressions.delete', 'settings'),

    route('GET', '/lists', 'lists.find', 'read'),
    route('POST', '/lists', 'lists.create', 'send'),
    route('GET', '/lists/:id', 'lists.findOne', 'read'),
    route('PUT', '/lists/:id', 'lists.update', 'send'),
    route('DELETE', '/lists/:id', 'lists.delete', 'send'),

    route('GET', '/segments', 'segments.find', 'read'),
    route('POST', '/segments', 'segments.create', 'send'),
    // Sizes rules as typed, before they are saved: before /segments/:id, which would take "evaluate" as an id.
    route('POST', '/segments/evaluate', 'segments.evaluate', 'read'),
    route('GET', '/segments/:id', 'segments.findOne', 'read'),
    route('PUT', '/segments/:id', 'segments.update', 'send'),
    route('DELETE', '/segments/:id', 'segments.delete', 'send'),

    // The editor's preview renders without saving: before /deliveries/:id, which would take "preview" as an id.
    route('POST', '/deliveries/preview', 'authoring.preview', 'send'),
    route('GET', '/layouts', 'authoring.layouts', 'read'),
    route('POST', '/layouts', 'authoring.createLayout', 'send'),
    route('GET', '/layouts/:id', 'authoring.layout', 'read'),
    route('PUT', '/layouts/:id', 'authoring.updateLayout', 'send'),
    route('DELETE', '/layouts/:id', 'authoring.deleteLayout', 'send'),
    route('POST', '/deliveries/:id/save-as-layout', 'authoring.saveAsLayout', 'send'),
    // Strapi entries in newsletters (`:uid` is a collection type such as api::article.article).
    // The app's types and fields are shown to those who make newsletters of them; mapping one is also a setting.
    route('GET', '/entry-types', 'entries.types', 'send'),
    route('PUT', '/entry-types/:uid/shape', 'entries.saveShape', ['send', 'settings']),
    route('GET', '/entries/:uid', 'entries.page', 'send'),
    route('GET', '/entries/:uid/:documentId', 'entries.view', 'send'),
    route('GET', '/entries/:uid/:documentId/deliveries', 'entries.deliveries', 'send'),
    route('POST', '/deliveries/from-entry', 'entries.fromEntry', 'send'),
    route('POST', '/deliveries/digest', 'entries.digest', 'send'),

    route('GET', '/deliveries', 'deliveries.find', 'read'),
    route('POST', '/deliveries', 'deliveries.create', 'send'),
    route('GET', '/deliveries/:id', 'deliveries.findOne', 'read'),
    route('PUT', '/deliveries/:id', 'deliveries.update', 'send'),
    route('DELETE', '/deliveries/:id', 'deliveries.delete', 'send'),
    route('POST', '/deliveries/:id/send', 'deliveries.send', 'send'),
    route('POST', '/deliveries/:id/pause', 'deliveries.pause', 'send'),
    route('POST', '/deliveries/:id/resume', 'deliveries.resume', 'send'),
    route('POST', '/deliveries/:id/cancel', 'deliveries.cancel', 'send'),
    route('POST', '/deliveries/:id/test', 'deliveries.test', 'send'),
    route('POST', '/deliveries/:id/retry-failed', 'deliveries.retryFailed', 'send'),
    route('GET', '/deliveries/:id/logs', 'deliveries.logs', 'read'),
    // A follow-up is a new delivery to the parent's recipients: the same action as creating and sending one.
    route('POST', '/deliveries/:id/follow-ups', 'follow-ups.create', 'send'),
    route('GET', '/deliveries/:id/follow-ups', 'follow-ups.overview', 'read'),
    route('GET', '/deliveries/:id/ab-test', 'ab-tests.results', 'read'),
    route('POST', '/deliveries/:id/ab-test/winner', 'ab-tests.pick', 'send'),
    route('GET', '/deliveries/:id/indicators', 'indicators.forDelivery', 'read'),
    route('GET', '/deliveries/:id/timeline', 'indicators.timeline', 'read'),
    route('GET', '/monitoring', 'monitoring.overview', 'read'),
    route('GET', '/alerts', 'monitoring.alerts', 'read'),
    route('GET', '/deliveries/:id/tracking', 'tracking-logs.find', 'read'),
    route('GET', '/deliveries/:id/links', 'tracking-logs.links', 'read'),
    route('GET', '/deliveries/:id/hot-clicks', 'hot-clicks.forDelivery', 'read'),

    // /reports/query and /reports/schema before /reports/:id, which would otherwise take them as ids.
    route('POST', '/reports/query', 'reports.query', 'reports'),
    route('GET', '/reports/schema', 'reports.schema', 'reports'),
    route('GET', '/reports', 'reports.find', 'reports'),
    route('POST', '/reports', 'reports.create', 'reports'),
    route('GET', '/reports/:id', 'reports.findOne', 'reports'),
    route('PUT', '/reports/:id', 'reports.update', 'reports'),
    route('DELETE', '/reports/:id', 'reports.delete', 'reports'),
    route('POST', '/reports/:id/duplicate', 'reports.duplicate', 'reports'),
    route('GET', '/reports/:id/schedule', 'reports.schedule', 'reports'),
    route('PUT', '/reports/:id/schedule', 'reports.setSchedule', 'reports'),
    route('DELETE', '/reports/:id/schedule', 'reports.removeSchedule', 'reports'),
    route('POST', '/reports/:id/schedule/send', 'reports.sendScheduled', 'reports'),

    route('GET', '/audience-sources', 'extensions.audienceSources', 'read'),
    route('GET', '/template-variables', 'extensions.templateVariables', 'read'),
    // The editor shows each link's final URL: the defaults of UTM tags, to those who write deliveries.
    route('GET', '/utm-defaults', 'utm.defaults', 'send'),

    route('GET', '/settings', 'settings.get', 'settings'),
    route('PUT', '/settings', 'settings.update', 'settings'),
    route('POST', '/settings/retention/run', 'monitoring.runRetention', 'settings'),
    route('POST', '/settings/verify-transport', 'settings.verifyTransport', 'settings'),
    route('POST', '/settings/verify-bounce-mailbox', 'bounce-mailbox.verify', 'settings'),
    route('GET', '/bounce-mailbox/review', 'bounce-mailbox.review', 'settings'),
    route('POST', '/bounce-mailbox/run', 'bounce-mailbox.run', 'settings'),
  ],
};

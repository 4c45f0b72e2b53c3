// Content API (/api/campaigns/...). Public routes: tracking, sign-up and its confirmation. Opens (/o/<token>) and clicks (/c/<token>) are not here: they are answered by the
// fast path installed in register() (tracking/fast-path.ts), before Koa sees the request. These
// rare ones go through Strapi's stack for its body parsing and error handling; each validates its token or secret.
const publicRoute = (method: string, path: string, handler: string) => ({
  method,
  path,
  handler,
  config: { auth: false as const },
});
// API-token routes (auth left to Strapi: a token, or a users-permissions role, that holds the action).
const tokenRoute = (method: string, path: string, handler: string) => ({ method, path, handler, config: {} });

export default {
  type: 'content-api' as const,
  routes: [
    publicRoute('GET', '/u/:token', 'tracking.unsubscribePage'),
    publicRoute('POST', '/u/:token', 'tracking.unsubscribe'),
    publicRoute('GET', '/p/:token', 'preferences.page'),
    publicRoute('POST', '/p/:token', 'preferences.save'),
    publicRoute('GET', '/m/:token', 'tracking.mirror'),
    publicRoute('POST', '/webhooks/:provider', 'webhooks.receive'),
    publicRoute('POST', '/subscribe', 'subscriptions.subscribe'),
    publicRoute('GET', '/confirm/:token', 'subscriptions.confirm'),
    publicRoute('POST', '/confirm/:token', 'subscriptions.confirm'),

    tokenRoute('GET', '/deliveries', 'delivery.find'),
    tokenRoute('GET', '/deliveries/:id', 'delivery.findOne'),
    tokenRoute('GET', '/deliveries/:id/indicators', 'delivery-indicators.findOne'),
    tokenRoute('GET', '/deliveries/:id/links', 'delivery-links.find'),
    tokenRoute('POST', '/reports/query', 'report-query.find'),
    // The one write: contacts kept in step by an app (a full-access token, or a custom one with it ticked).
    tokenRoute('POST', '/contacts/sync', 'contact-sync.upsert'),
  ] as unknown[],
};

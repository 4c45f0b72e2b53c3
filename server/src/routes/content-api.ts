// Public routes: tracking only. Opens (/o/<token>) and clicks (/c/<token>) are not here: they are answered by the
// fast-path middleware registered in register() (middlewares/tracking-fast-path.ts), before Strapi's stack. These
// rare ones go through Strapi's stack for its body parsing and error handling; each validates its token or secret.
const publicRoute = (method: string, path: string, handler: string) => ({ method, path, handler, config: { auth: false as const } });

export default {
  type: 'content-api' as const,
  routes: [
    publicRoute('GET', '/u/:token', 'tracking.unsubscribePage'),
    publicRoute('POST', '/u/:token', 'tracking.unsubscribe'),
    publicRoute('GET', '/m/:token', 'tracking.mirror'),
    publicRoute('POST', '/webhooks/:provider', 'webhooks.receive'),
  ] as unknown[],
};

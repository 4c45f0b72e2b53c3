// A playground Strapi in its own process, loading the plugin from TypeScript source, for tests and benchmarks that
// need a real server they can stop (SIGTERM) or measure without Jest in the way.
//
// Environment: the database variables of tests/helpers/databases.ts, CAMPAIGNS_PLUGIN_PATH (set here),
// SEED_RECIPIENTS / SEED_LINKS (optional: seed a sent delivery first). With an IPC channel, answers the message
// 'stats' with what it answered on the tracking routes and how many events are stored. Prints one line
// `READY {"port":..., "seeded": {...}}` once listening on 127.0.0.1; on SIGTERM Strapi destroys itself (the
// tracker flushes) and exits 0.
const path = require('path');

require('./register-ts');

const PLAYGROUND = path.resolve(__dirname, '..', '..', 'playground');
process.env.CAMPAIGNS_PLUGIN_PATH = path.join(__dirname, 'plugin-from-source');
process.env.NODE_ENV = process.env.NODE_ENV || 'test';

const main = async () => {
  const { createStrapi } = require('@strapi/strapi');
  const app = createStrapi({ appDir: PLAYGROUND, distDir: path.join(PLAYGROUND, 'dist') });
  app.log.level = process.env.CAMPAIGNS_TEST_LOG_LEVEL || 'error';
  const strapi = await app.load();

  let seeded = null;
  if (process.env.SEED_RECIPIENTS) {
    const { seedDelivery } = require('./fixtures.ts');
    const links = Array.from(
      { length: Number(process.env.SEED_LINKS || 2) },
      (_, i) => `https://example.com/page-${i}?ref=mail`,
    );
    seeded = await seedDelivery(strapi, { recipients: Number(process.env.SEED_RECIPIENTS), links });
  }

  // SIGTERM needs no handler of ours: Strapi registers one (core/utils/signals.js) that awaits strapi.destroy(),
  // which runs the plugin's destroy (the tracker's final flush), then exits 0. A second handler would destroy twice.

  // With an IPC channel (benchmarks), count what the server really answered on the tracking routes, so the caller
  // can compare it with what was stored: a response is answered once 'finish' fired (handed to the OS), and cut
  // off when its connection closed before that (the client stopped waiting).
  const answered = { open: {}, click: {}, cutOff: 0 };
  if (process.send) {
    strapi.server.httpServer.on('request', (req, res) => {
      const kind = req.url.startsWith('/api/campaigns/c/')
        ? 'click'
        : req.url.startsWith('/api/campaigns/o/')
          ? 'open'
          : null;
      if (!kind) return;
      res.on('finish', () => (answered[kind][res.statusCode] = (answered[kind][res.statusCode] || 0) + 1));
      res.on('close', () => {
        if (!res.writableFinished) answered.cutOff += 1;
      });
    });
    process.on('message', async (message) => {
      if (message !== 'stats') return;
      const events = await strapi.db.query('plugin::campaigns.tracking-log').count({});
      process.send({ answered, events, tracker: strapi.plugin('campaigns').service('tracker').stats() });
    });
  }

  strapi.server.mount();
  await new Promise((resolve) => strapi.server.httpServer.listen(Number(process.env.PORT || 0), '127.0.0.1', resolve));
  const { port } = strapi.server.httpServer.address();
  process.stdout.write(`READY ${JSON.stringify({ port, seeded })}\n`);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// A real Strapi process running the playground with the plugin from TypeScript source, for tests that need several
// processes or kill one (sending-processes, crash-resume). The parent passes the database, PORT and CAMPAIGNS_CONFIG
// in the environment; this prints "CAMPAIGNS_READY <port>" once the server listens.
'use strict';
require('./register-ts');
const path = require('path');

const playground = path.resolve(__dirname, '..', '..', 'playground');
process.env.CAMPAIGNS_PLUGIN_PATH = path.join(__dirname, 'plugin-from-source');

(async () => {
  const { createStrapi } = require('@strapi/strapi');
  const app = createStrapi({ appDir: playground, distDir: path.join(playground, 'dist') });
  app.log.level = process.env.CAMPAIGNS_TEST_LOG_LEVEL || 'error';
  await app.start();
  process.stdout.write(`CAMPAIGNS_READY ${process.env.PORT}\n`);
  const shutdown = async () => {
    await app.destroy();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
})().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});

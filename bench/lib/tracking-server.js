// The playground Strapi of the click benchmarks (bench/track.js, scripts/profile-track.js, scripts/compare-track.js):
// tests/helpers/tracking-server.js in production mode on its own SQLite file, with a sent delivery of `recipients`
// recipients and `links` tracked links seeded, and the token key the benchmarks sign clicks with.
'use strict';
const path = require('path');
const { ROOT, startReady } = require('./child');

const TOKEN_KEY = 'bench-tracking-key-0123456789abcdef';

/** Resolves with { child, ready } once it listens; ready.seeded holds the delivery, its logs and its links. */
const startTrackingServer = ({ checkout = ROOT, dbFile, recipients, links = 2, nodeArgs = [], ...options }) =>
  startReady([...nodeArgs, path.join(checkout, 'tests', 'helpers', 'tracking-server.js')], {
    cwd: checkout,
    env: {
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: dbFile,
      CAMPAIGNS_TOKEN_KEYS: TOKEN_KEY,
      CAMPAIGNS_CONFIG: '{}',
      SEED_RECIPIENTS: String(recipients),
      SEED_LINKS: String(links),
      STRAPI_TELEMETRY_DISABLED: 'true',
      NODE_ENV: 'production',
    },
    ...options,
  });

module.exports = { TOKEN_KEY, startTrackingServer };

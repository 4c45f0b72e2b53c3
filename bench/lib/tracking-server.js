// The playground Strapi of the click benchmarks (bench/track.js, scripts/profile-track.js, scripts/compare-track.js):
// tests/helpers/tracking-server.js in production mode on its own SQLite file, with a sent delivery of `recipients`
// recipients and `links` tracked links seeded, the click paths the benchmarks send to it (signed with its token key),
// the User-Agent their people click with, and the CPU time a server has used.
'use strict';
const fs = require('fs');
const path = require('path');
const { ROOT, startReady } = require('./child');

require(path.join(ROOT, 'tests', 'helpers', 'register-ts.js'));
const { createTokenSigner } = require(path.join(ROOT, 'server', 'src', 'platform', 'tokens.ts'));

const TOKEN_KEY = 'bench-tracking-key-0123456789abcdef';
const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const signer = createTokenSigner([TOKEN_KEY]);

/** The click route's path for one recipient (delivery log; 0 for a test send) and tracked link. */
const clickPath = (deliveryId, deliveryLogId, trackedLinkId) =>
  `/api/campaigns/c/${signer.sign({ kind: 'click', deliveryId, deliveryLogId, trackedLinkId })}`;

/** The clicks of people: each seeded recipient clicking one of the links, in turn. */
const peopleClickPaths = ({ deliveryId, logs, links }) =>
  logs.map((log, i) => clickPath(deliveryId, log.id, links[i % links.length].id));

/** The clicks of bots in bursts: each of the first `recipients` seeded recipients clicking every link in turn. */
const burstClickPaths = ({ deliveryId, logs, links }, recipients = logs.length) =>
  logs.slice(0, recipients).flatMap((log) => links.map((link) => clickPath(deliveryId, log.id, link.id)));

/** CPU time (user + system, µs) a process has used so far, from /proc (Linux); null elsewhere. */
const cpuUs = (pid) => {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
};

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

module.exports = { BROWSER_UA, burstClickPaths, clickPath, cpuUs, peopleClickPaths, startTrackingServer };

#!/usr/bin/env node
// Two versions of the click route compared on a shared, noisy machine: the playground Strapi of bench/track.js started
// from each of two checkouts at once (each on its own SQLite file), and the click load of bench/track.js's main run
// (each recipient clicking one of two links in turn, a browser's User-Agent) sent to one, then the other, in short
// slices, turn about. The CPU time each server process spent (all threads, from /proc) is summed over its slices and
// divided by the clicks it answered: whatever slows the machine for a while falls on both alike.
// Usage: node scripts/compare-track.js <checkout A> <checkout B> (each with node_modules and playground/dist).
// Options (environment): COMPARE_SLICES (per version, default 12), COMPARE_SLICE (seconds, default 3),
// COMPARE_CONNECTIONS (default 50), COMPARE_RECIPIENTS (default 10000).
const fs = require('fs');
const os = require('os');
const path = require('path');
const autocannon = require('autocannon');
const { BROWSER_UA, cpuUs, peopleClickPaths, startTrackingServer } = require('../bench/lib/tracking-server');

const SLICES = Number(process.env.COMPARE_SLICES || 12);
const SLICE = Number(process.env.COMPARE_SLICE || 3);
const CONNECTIONS = Number(process.env.COMPARE_CONNECTIONS || 50);
const RECIPIENTS = Number(process.env.COMPARE_RECIPIENTS || 10_000);

const load = (server, seconds) => {
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url: `http://127.0.0.1:${server.ready.port}`,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [
          {
            method: 'GET',
            headers: { 'user-agent': BROWSER_UA },
            setupRequest: (request) => ({ ...request, path: server.paths[server.next++ % server.paths.length] }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
};

const main = async () => {
  const checkouts = process.argv.slice(2, 4).map((dir) => path.resolve(dir));
  if (checkouts.length !== 2) throw new Error('usage: node scripts/compare-track.js <checkout A> <checkout B>');
  const dirs = checkouts.map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-compare-')));
  const servers = [];
  try {
    for (const [i, checkout] of checkouts.entries()) {
      const dbFile = path.join(dirs[i], 'bench.db');
      const server = await startTrackingServer({ checkout, dbFile, recipients: RECIPIENTS, stderr: 'inherit' });
      servers.push({ checkout, ...server, paths: peopleClickPaths(server.ready.seeded), next: 0, cpu: 0, clicks: 0 });
    }
    for (const server of servers) await load(server, 3); // warm-up: JIT, caches, every recipient's first click
    for (let slice = 0; slice < SLICES; slice += 1) {
      for (const server of slice % 2 === 0 ? servers : [...servers].reverse()) {
        const before = cpuUs(server.child.pid);
        const result = await load(server, SLICE);
        server.cpu += cpuUs(server.child.pid) - before;
        server.clicks += result.requests.total;
      }
    }
    console.log(`${SLICES} slices of ${SLICE} s per version, turn about; load average ${os.loadavg()[0].toFixed(1)}`);
    for (const { checkout, cpu, clicks } of servers) {
      console.log(
        `${checkout}: ${clicks} clicks, ${(clicks / (SLICES * SLICE)).toFixed(0)} per second, ` +
          `${(cpu / clicks).toFixed(1)} µs of CPU per click`,
      );
    }
  } finally {
    for (const { child } of servers) {
      child.removeAllListeners('exit');
      child.kill('SIGKILL');
    }
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

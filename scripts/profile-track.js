#!/usr/bin/env node
// Where a click's CPU time goes: the playground Strapi of bench/track.js (SQLite, production mode) run with
// --cpu-prof under the same click load (autocannon in this process), stopped with SIGTERM, and its profile summed
// by self time into the groups below, per answered click. Prints a table for bench/README.md.
// The clicks are bench/track.js's main run: PROFILE_RECIPIENTS (default 10000) recipients, each clicking one of two
// links in turn with a desktop browser's User-Agent. PROFILE_WORST_CASE=1 replays its worst-case run instead: 200
// recipients clicking both links without a User-Agent (every click a bot's, nearly every batch a burst).
// Options (environment): PROFILE_DURATION (seconds, default 8), PROFILE_CONNECTIONS (default 50),
// PROFILE_KEEP=<dir> keeps the .cpuprofile (or perf.data, with /tmp/perf-<pid>.map left for perf script) there.
// PROFILE_RATE=<req/s> sends at that fixed rate instead of as fast as the server answers: two versions then store the
// same number of events (the event insert costs more as its indexes grow) and are compared at the same throughput.
// PROFILE_WITH=perf: Linux `perf` instead (every thread, native code, the kernel), the server run with
// --perf-basic-prof so JavaScript frames have names; samples grouped per area by scripts/lib/perf-groups.js.
// Needs perf (Debian: apt-get install linux-perf) and perf_event access (root, or kernel.perf_event_paranoid <= 1).
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const autocannon = require('autocannon');
const { BROWSER_UA, burstClickPaths, peopleClickPaths, startTrackingServer } = require('../bench/lib/tracking-server');

const ROOT = path.resolve(__dirname, '..');
const DURATION = Number(process.env.PROFILE_DURATION || 8);
const CONNECTIONS = Number(process.env.PROFILE_CONNECTIONS || 50);
const WORST_CASE = process.env.PROFILE_WORST_CASE === '1';
const RECIPIENTS = WORST_CASE ? 200 : Number(process.env.PROFILE_RECIPIENTS || 10_000);

// First match wins: [group, test on (functionName, url)].
const GROUPS = [
  ['garbage collection', (fn) => fn === '(garbage collector)'],
  ['idle', (fn) => fn === '(idle)'],
  [
    'socket write (syscall)',
    (fn) => /^(writev|writeUtf8String|writeLatin1String|writeBuffer|writeAsciiString)$/.test(fn),
  ],
  ['HMAC (token check)', (fn, url) => /crypto/.test(url) || /^(Hmac|digest|update)$/.test(fn)],
  ['SQLite (better-sqlite3)', (fn, url) => /better-sqlite3|knex/.test(url) || /^(run|all|get|exec)$/.test(fn)],
  ['user-agent parsing', (fn, url) => /ua-parser-js|isbot/.test(url)],
  ['plugin: raw tracking listener', (fn, url) => /tracking\/(raw-tracking|fast-path)/.test(url)],
  ['plugin: recorder (tracker.ts)', (fn, url) => /tracking\/tracker/.test(url)],
  ['plugin: other', (fn, url) => /\/server\/src\//.test(url)],
  [
    'Koa',
    (fn, url) => /node_modules\/(koa|koa-compose|@koa|delegates|accepts|type-is|content-type|parseurl)/.test(url),
  ],
  ['Strapi', (fn, url) => /@strapi\//.test(url)],
  ['lru-cache', (fn, url) => /lru-cache/.test(url)],
  [
    'Node HTTP parser + headers',
    (fn, url) => /node:_http|node:internal\/http|HTTPParser|^$/.test(url) && /_http/.test(url),
  ],
  [
    'Node net / streams / timers',
    (fn, url) =>
      /node:(net|stream|internal\/streams|internal\/timers|timers|events|internal\/async_hooks|async_hooks)/.test(url),
  ],
  ['Node other internals', (fn, url) => /^node:/.test(url)],
  ['(program: native, outside JS)', (fn) => fn === '(program)'],
  ['other', () => true],
];

const WITH_PERF = process.env.PROFILE_WITH === 'perf';

// perf mode: the load runs PROFILE_WARMUP seconds (default 3) before perf starts, so that the optimising compiler's
// warm-up stays out of the profile, and perf stops 0.5 s before the load does.
const WARMUP = Number(process.env.PROFILE_WARMUP || 3);
let answered = 0;

/** perf record on the server after the warm-up, then its samples summed per area, per click answered meanwhile. */
const perfProfile = async (pid, dir, load) => {
  const { GROUP_ORDER, summarise } = require('./lib/perf-groups');
  const data = path.join(dir, 'perf.data');
  const window = DURATION - WARMUP - 0.5;
  await new Promise((resolve) => setTimeout(resolve, WARMUP * 1000));
  const answeredBefore = answered;
  // cpu-clock every 100 µs of CPU, frame-pointer stacks (V8's JavaScript frames keep them), every thread.
  const perf = spawn(
    'perf',
    [
      'record',
      '-q',
      '-e',
      'cpu-clock',
      '-c',
      '100000',
      '-g',
      '-p',
      String(pid),
      '-o',
      data,
      '--',
      'sleep',
      String(window),
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await new Promise((resolve) => perf.on('exit', resolve));
  const clicks = answered - answeredBefore;
  const result = await load;
  const text = execFileSync('perf', ['script', '-i', data, '-F', 'tid,period,ip,sym,dso'], {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const { byGroup, bySymbol, total } = summarise(text);
  const us = (ns) => (ns / 1000 / clicks).toFixed(1);
  console.log(
    `${result.requests.average.toFixed(0)} req/s over ${DURATION} s; load average ${os.loadavg()[0].toFixed(1)}; ` +
      `${us(total)} µs of CPU per stored click (all threads, perf over ${window} s after ${WARMUP} s of warm-up)\n`,
  );
  console.log('| where | µs per click | share |\n|---|---:|---:|');
  for (const group of GROUP_ORDER) {
    const ns = byGroup.get(group) || 0;
    console.log(`| ${group} | ${us(ns)} | ${((100 * ns) / total).toFixed(1)}% |`);
  }
  console.log(`| **total** | **${us(total)}** | |\n\nTop symbols (innermost frame):`);
  for (const [symbol, ns] of [...bySymbol].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    console.log(`${((100 * ns) / total).toFixed(1).padStart(5)}%  ${symbol}`);
  }
};

const main = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-profile-'));
  const profileDir = process.env.PROFILE_KEEP || dir;
  fs.mkdirSync(profileDir, { recursive: true });
  const profilerFlags = WITH_PERF ? ['--perf-basic-prof'] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const { child, ready } = await startTrackingServer({
    dbFile: path.join(dir, 'bench.db'),
    recipients: RECIPIENTS,
    nodeArgs: profilerFlags,
    stderr: 'inherit',
  });
  const paths = WORST_CASE ? burstClickPaths(ready.seeded) : peopleClickPaths(ready.seeded);
  const headers = WORST_CASE ? {} : { 'user-agent': BROWSER_UA };
  let next = 0;
  const load = new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${ready.port}`,
        connections: CONNECTIONS,
        ...(process.env.PROFILE_RATE ? { overallRate: Number(process.env.PROFILE_RATE) } : {}),
        duration: DURATION,
        requests: [
          { method: 'GET', headers, setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) },
        ],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on('response', () => (answered += 1));
  });
  if (WITH_PERF) {
    try {
      await perfProfile(child.pid, profileDir, load);
    } finally {
      child.removeAllListeners('exit');
      child.kill('SIGTERM');
      if (!process.env.PROFILE_KEEP) fs.rmSync(dir, { recursive: true, force: true });
      // The symbol map --perf-basic-prof wrote for perf (a few MB), once the server has exited; kept with perf.data.
      if (!process.env.PROFILE_KEEP) {
        child.once('exit', () => fs.rmSync(path.join(os.tmpdir(), `perf-${child.pid}.map`), { force: true }));
      }
    }
    return;
  }
  const result = await load;
  await new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });
  const file = fs.readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  const profile = JSON.parse(fs.readFileSync(path.join(profileDir, file), 'utf8'));

  // Self time per node, from the samples of the load's window only (boot and shutdown left out).
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  let t = profile.startTime;
  const samplesAt = profile.samples.map(
    (id, i) => ((t += profile.timeDeltas[i]), [id, t, profile.timeDeltas[i + 1] ?? 0]),
  );
  const end = samplesAt[samplesAt.length - 1][1];
  // The load window: the last DURATION seconds before shutdown began (SIGTERM), less a margin of 1 s.
  const from = end - (DURATION + 0.5) * 1e6;
  for (const [id, at, delta] of samplesAt) {
    if (at < from || at > end - 500e3) continue;
    selfUs.set(id, (selfUs.get(id) || 0) + delta);
  }
  const byGroup = new Map();
  const byFunction = new Map();
  for (const [id, us] of selfUs) {
    const { functionName, url } = nodes.get(id).callFrame;
    const group = GROUPS.find(([, test]) => test(functionName, url))[0];
    byGroup.set(group, (byGroup.get(group) || 0) + us);
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(ROOT, '')}`;
    byFunction.set(key, (byFunction.get(key) || 0) + us);
  }
  const windowUs = DURATION * 1e6 - 500e3;
  const clicks = result.requests.total * (windowUs / (DURATION * 1e6));
  const busy = [...byGroup].filter(([g]) => g !== 'idle').reduce((sum, [, us]) => sum + us, 0);
  console.log(
    `${result.requests.average.toFixed(0)} req/s over ${DURATION} s; ${(busy / clicks).toFixed(1)} µs of CPU per click (main thread)\n`,
  );
  console.log('| where | share of busy time | µs per click |\n|---|---:|---:|');
  for (const [group, us] of [...byGroup].sort((a, b) => b[1] - a[1])) {
    if (group === 'idle') continue;
    console.log(`| ${group} | ${((100 * us) / busy).toFixed(1)}% | ${(us / clicks).toFixed(1)} |`);
  }
  console.log(
    `\nidle: ${(((byGroup.get('idle') || 0) * 100) / windowUs).toFixed(0)}% of the window\n\nTop functions (self time):`,
  );
  for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`${((100 * us) / busy).toFixed(1).padStart(5)}%  ${key}`);
  }
  if (!process.env.PROFILE_KEEP) fs.rmSync(dir, { recursive: true, force: true });
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

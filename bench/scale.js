#!/usr/bin/env node
// `npm run bench:scale`: sending at scale on PostgreSQL (issue 18, items 1 and 6).
//
// 1. One Strapi process (tests/helpers/strapi-process.js, plugin from source) on a fresh PostgreSQL database prepares
//    and sends the bench:send newsletter (20 KB, 10 tracked links, personalised) to 10,000, 100,000 and 1,000,000
//    recipients seeded in bulk SQL, through the local sink (tests/helpers/smtp-sink.js) in this process. Reported:
//    preparation time, end-to-end and send-phase throughput against the bare nodemailer loop (bench/lib/baseline.js)
//    run in the same run, the Strapi process's RSS (/proc: before the send, peak, and its curve), and every
//    recipient received exactly once (distinct Message-IDs counted at the sink).
// 2. Two and three processes on one database share a 200,000-recipient delivery (row claims, sending/store.ts), then
//    a tracking load of opens and clicks spread over the processes: no Message-ID twice, every answered hit stored.
//
// Options (environment): BENCH_SCALE_RECIPIENTS (default "10000,100000,1000000"), BENCH_SCALE_PROCESSES (default
// "2,3"; "" skips part 2), BENCH_SCALE_SHARED (recipients of part 2, default 200000), BENCH_SCALE_BASELINE (messages
// of the baseline, default the smallest of 100,000 and the largest size: its rate does not depend on the count),
// BENCH_SCALE_HITS (tracking hits, default 20000), BENCH_SCALE_POOL (SMTP pool per process, default 5),
// BENCH_SCALE_THREADS (smtp.threads, default 2), BENCH_NO_README=1. A small smoke run:
//   BENCH_SCALE_RECIPIENTS=2000,5000 BENCH_SCALE_PROCESSES=2 BENCH_SCALE_SHARED=5000 BENCH_SCALE_HITS=2000 BENCH_NO_README=1 npm run bench:scale
'use strict';
const os = require('os');
const path = require('path');
const { ROOT, childResult } = require('./lib/child');
const { BASELINE_SCRIPT } = require('./lib/baseline');
const { startCluster, seedAudience, sendAndWatch } = require('./lib/cluster');
const { trackingLoad } = require('./lib/tracking-load');
const { writeSection } = require('./readme-section');

const list = (value, fallback) =>
  (value ?? fallback)
    .split(',')
    .map((s) => Number(s.trim()))
    .filter(Boolean);
const SIZES = list(process.env.BENCH_SCALE_RECIPIENTS, '10000,100000,1000000');
const PROCESS_COUNTS = list(process.env.BENCH_SCALE_PROCESSES, '2,3');
const SHARED = Number(process.env.BENCH_SCALE_SHARED || 200_000);
const BASELINE = Number(process.env.BENCH_SCALE_BASELINE || Math.min(100_000, Math.max(...SIZES, SHARED)));
const HITS = Number(process.env.BENCH_SCALE_HITS || 20_000);
const POOL = Number(process.env.BENCH_SCALE_POOL || 5);
const THREADS = Number(process.env.BENCH_SCALE_THREADS ?? 2);
// Two sections, so that a run of one part (BENCH_SCALE_PROCESSES= or BENCH_SCALE_RECIPIENTS=) keeps the other's figures.
const SECTIONS = {
  one: ['<!-- bench:scale -->', '<!-- /bench:scale -->'],
  several: ['<!-- bench:scale:processes -->', '<!-- /bench:scale:processes -->'],
};
const fmt = (n) => Math.round(n).toLocaleString('en');
const load = () => os.loadavg()[0].toFixed(1);

/** A sink counting Message-IDs: how many arrived, how many distinct, none kept but the ids. */
const countingSink = async () => {
  const { startSmtpSink } = require(path.join(ROOT, 'tests', 'helpers', 'smtp-sink.js'));
  const ids = new Set();
  let duplicates = 0;
  const sink = await startSmtpSink({
    record: false,
    onMessage: (message) => {
      if (ids.has(message.messageId)) duplicates += 1;
      else ids.add(message.messageId);
    },
  });
  return {
    sink,
    check: (expected, what) => {
      const result = { received: sink.count(), distinct: ids.size, duplicates };
      if (result.received !== expected || result.distinct !== expected)
        throw new Error(`${what}: the sink received ${result.received} (${result.distinct} distinct) for ${expected}`);
      return result;
    },
    reset: () => {
      sink.reset();
      ids.clear();
      duplicates = 0;
    },
  };
};

/** Sends a delivery of `count` recipients with `processes` Strapi processes; `afterSend` runs before they stop. */
const sendWith = async (sinkPort, processes, count, afterSend) => {
  const cluster = await startCluster({ count: processes, port: sinkPort, pool: POOL, threads: THREADS });
  try {
    const { listDocumentId, seedSeconds } = await seedAudience(cluster, count);
    const loadBefore = load();
    const run = await sendAndWatch(cluster, listDocumentId, { timeoutMs: Math.max(600_000, count * 10) });
    if (run.status !== 'sent' || run.statuses.sent !== count)
      throw new Error(`delivery ${run.status}: ${JSON.stringify(run.statuses)}`);
    const extra = afterSend ? await afterSend(cluster, run) : {};
    return { count, seedSeconds, loadBefore, loadAfter: load(), ...run, ...extra };
  } finally {
    await cluster.close();
  }
};

const main = async () => {
  const counting = await countingSink();
  const { sink } = counting;
  const sizes = [];
  const shared = [];
  let baseline;
  try {
    process.stdout.write(`baseline (bare nodemailer) ${fmt(BASELINE)} messages ... `);
    baseline = await childResult(BASELINE_SCRIPT, [BASELINE, sink.port, POOL]);
    baseline.sink = counting.check(BASELINE, 'baseline');
    process.stdout.write(`${fmt(baseline.perSecond)} msg/s\n`);

    for (const count of SIZES) {
      counting.reset();
      process.stdout.write(`1 process, ${fmt(count)} recipients ... `);
      const run = await sendWith(sink.port, 1, count);
      run.sink = counting.check(count, `${count} recipients`);
      sizes.push(run);
      process.stdout.write(
        `prepared in ${run.prepareSeconds.toFixed(1)} s, ${fmt(count / run.seconds)} msg/s end to end, ` +
          `peak RSS ${run.rssPeakMb[0]} MB (load ${run.loadAfter})\n`,
      );
    }

    for (const processes of PROCESS_COUNTS) {
      counting.reset();
      process.stdout.write(`${processes} processes, ${fmt(SHARED)} recipients ... `);
      const run = await sendWith(sink.port, processes, SHARED, (cluster, sent) =>
        trackingLoad(cluster, sent.deliveryId, { hits: HITS, concurrency: 32 }).then((tracking) => ({ tracking })),
      );
      run.sink = counting.check(SHARED, `${processes} processes`);
      if (run.tracking.stored !== run.tracking.answered || run.tracking.answered !== HITS)
        throw new Error(`tracking: ${HITS} hits, ${JSON.stringify(run.tracking)}`);
      shared.push({ processes, ...run });
      process.stdout.write(
        `${fmt(SHARED / run.seconds)} msg/s end to end (${run.sentBy.join(' + ')}), ` +
          `${fmt(run.tracking.perSecond)} hits/s, ${run.tracking.stored} of ${run.tracking.answered} stored\n`,
      );
    }
  } finally {
    await sink.close();
  }
  report(baseline, sizes, shared);
};

const report = (baseline, sizes, shared) => {
  const ratio = (perSecond) => (perSecond / baseline.perSecond).toFixed(2);
  const small = sizes[0];
  const large = sizes[sizes.length - 1];
  const growth = sizes.length > 1 ? large.rssPeakMb[0] - small.rssPeakMb[0] : null;
  const cpu = os.cpus();
  const header = [
    `${new Date().toISOString().slice(0, 10)}, ${cpu.length} x ${cpu[0].model.trim()}, Node ${process.version}, PostgreSQL, SMTP pool of ${POOL} per process, smtp.threads = ${THREADS}.`,
    'The bench:send newsletter (20 KB, 10 tracked links, personalised). Each row: a fresh database, the audience seeded',
    'in SQL, Strapi processes started from tests/helpers/strapi-process.js, the delivery created and sent through the',
    'admin API; timed from the send action to status sent. RSS is read from /proc (VmRSS every 250 ms, VmHWM for the',
    'peak) of the Strapi process, worker threads included. The sink (tests/helpers/smtp-sink.js) runs in the',
    `orchestrating process and counts distinct Message-IDs. Baseline: the bare nodemailer loop of bench:send`,
    `(bench/lib/baseline.js), ${fmt(baseline.count)} messages in the same run: ${fmt(baseline.perSecond)} msg/s.`,
    'Load average (1 min) before the send and at the end of each row: the machine is shared, compare ratios.',
  ];
  const sections = [];
  if (sizes.length)
    sections.push([
      SECTIONS.one,
      [
        '## Sending at scale, one process (`npm run bench:scale`, PostgreSQL)',
        '',
        ...header,
        '',
        '| recipients | seeding (s) | preparation (s) | msg/s end to end | ratio | msg/s send phase | ratio | RSS before send (MB) | peak RSS (MB) | RSS curve (MB, 10 samples) | Message-IDs at the sink | load |',
        '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|',
        ...sizes.map(
          (r) =>
            `| ${fmt(r.count)} | ${r.seedSeconds.toFixed(1)} | ${r.prepareSeconds.toFixed(1)} | ${fmt(r.count / r.seconds)} | ` +
            `**${ratio(r.count / r.seconds)}x** | ${fmt(r.count / r.sendSeconds)} | ${ratio(r.count / r.sendSeconds)}x | ` +
            `${r.rssBeforeMb[0]} | ${r.rssPeakMb[0]} | ${r.rssCurveMb[0].join(' ')} | ${fmt(r.sink.distinct)} of ${fmt(r.sink.received)} | ${r.loadBefore} / ${r.loadAfter} |`,
        ),
        '',
        growth === null
          ? '- memory: one size only'
          : `- memory: peak RSS ${fmt(large.count)} - ${fmt(small.count)} recipients = ${growth} MB (aim: <= 50 MB): ${growth <= 50 ? 'met' : 'NOT met'}`,
        `- speed: end to end / baseline ${sizes.map((r) => `${ratio(r.count / r.seconds)}x`).join(', ')} (aim: 1.5x)`,
        '- every recipient exactly once: the sink counted as many distinct Message-IDs as recipients, and no repeat',
      ],
    ]);
  if (shared.length)
    sections.push([
      SECTIONS.several,
      [
        `## Several processes on one database (\`npm run bench:scale\`, PostgreSQL)`,
        '',
        ...header,
        `${fmt(SHARED)} recipients shared by the processes (row claims), then ${fmt(HITS)} opens and clicks: every other`,
        'hit an open pixel, the others clicks, over the first recipients, spread evenly over the processes, 32 at a time',
        '(plain Node http, keep-alive). Stored: tracking-log rows once the load is over.',
        '',
        '| processes | preparation (s) | msg/s end to end | ratio | msg/s send phase | sent by each process | Message-IDs at the sink | peak RSS per process (MB) | hits/s | hits answered | events stored | load |',
        '|---:|---:|---:|---:|---:|---|---:|---|---:|---:|---:|---|',
        ...shared.map(
          (r) =>
            `| ${r.processes} | ${r.prepareSeconds.toFixed(1)} | ${fmt(SHARED / r.seconds)} | ${ratio(SHARED / r.seconds)}x | ` +
            `${fmt(SHARED / r.sendSeconds)} | ${r.sentBy.join(' + ')} | ${fmt(r.sink.distinct)} of ${fmt(r.sink.received)} | ` +
            `${r.rssPeakMb.join(', ')} | ${fmt(r.tracking.perSecond)} | ${r.tracking.answered} | ${r.tracking.stored} | ${r.loadBefore} / ${r.loadAfter} |`,
        ),
      ],
    ]);
  for (const [[start, end], lines] of sections) {
    const section = [start, ...lines, end].join('\n');
    console.log(`\n${section}\n`);
    if (writeSection(start, end, section)) console.log('Figures written to bench/README.md.');
  }
  process.exitCode = growth === null || growth <= 50 ? 0 : 1;
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

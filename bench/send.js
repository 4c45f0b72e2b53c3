#!/usr/bin/env node
// `npm run bench:send`: the plugin sends 10,000 and 100,000 personalised 20 KB messages with 10 tracked links to a
// local SMTP sink, and in the same run a baseline sends the same number of pre-rendered messages with a bare
// nodemailer pooled loop of the same pool size. Prints messages per second for both, their ratio and peak RSS, and
// writes the figures to bench/README.md.
//
// Bars (issue 3): the plugin reaches at least 0.8x the baseline, and its memory does not grow with the audience
// (peak RSS with 100,000 recipients within +150 MB of 10,000).
//
// Each measured run is its own child process (fresh heap, its own peak RSS); the sink runs in this process.
// - plugin: the playground Strapi (plugin from TypeScript source) on a fresh SQLite file, N contacts inserted in
//   bulk, one delivery created and sent through the deliveries service; timed from the send action to status 'sent'
//   (preparation: composition and audience resolution into N delivery logs; then claims, rendering, token signing,
//   sending and recording). The send phase alone is also reported. Default config: smtp.threads = 2, so MIME
//   encoding runs on two worker threads sharing the pool's connections.
// - baseline: nodemailer, pool of the same size, the same socket option as the plugin's messenger (TCP_NODELAY, see
//   server/src/sending/messengers/smtp.ts), sending 1,000 messages pre-rendered by the plugin's composer in turn (same
//   size, links, headers), each with its own recipient and Message-ID. Nothing is rendered while timed.
// Options (environment): BENCH_SEND_SIZES (default "10000,100000"), BENCH_SEND_POOL (default 5),
// BENCH_SEND_THREADS (the plugin's smtp.threads, default 2; 0 = on Strapi's main thread), BENCH_NO_README=1.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const SIZES = (process.env.BENCH_SEND_SIZES || '10000,100000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter(Boolean);
const POOL = Number(process.env.BENCH_SEND_POOL || 5);
const { README, writeSection } = require('./readme-section');
const { measureRender } = require('./render');
const { PUBLIC_URL, TOKEN_KEY, FROM, SUBJECT, messageHtml, contactFor, mb } = require('./lib/newsletter');
const { BASELINE_SCRIPT } = require('./lib/baseline');
const { childResult, reportResult } = require('./lib/child');
const SECTION_START = '<!-- bench:send -->';
const SECTION_END = '<!-- /bench:send -->';

// ---------------------------------------------------------------- child

const runPlugin = async (count, port) => {
  require(path.join(ROOT, 'tests', 'helpers', 'register-ts.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-bench-send-'));
  Object.assign(process.env, {
    DATABASE_CLIENT: 'sqlite',
    DATABASE_FILENAME: path.join(dir, 'data.db'),
    NODE_ENV: 'production',
    CAMPAIGNS_PLUGIN_PATH: path.join(ROOT, 'tests', 'helpers', 'plugin-from-source'),
    CAMPAIGNS_CONFIG: JSON.stringify({
      publicUrl: PUBLIC_URL,
      tokenKeys: [TOKEN_KEY],
      smtp: {
        host: '127.0.0.1',
        port,
        pool: POOL,
        maxMessagesPerConnection: 1000,
        threads: Number(process.env.BENCH_SEND_THREADS || 2),
      },
      defaultFrom: FROM,
    }),
  });
  const { createStrapi } = require('@strapi/strapi');
  const playground = path.join(ROOT, 'playground');
  const strapi = await createStrapi({ appDir: playground, distDir: path.join(playground, 'dist') });
  strapi.log.level = 'error';
  await strapi.load();
  try {
    const { UID } = require(path.join(ROOT, 'shared', 'constants.ts'));
    const { createDocumentId } = require(path.join(ROOT, 'server', 'src', 'platform', 'document-id.ts'));
    const { contactListsJoin } = require(path.join(ROOT, 'server', 'src', 'db', 'join-tables.ts'));
    const knex = strapi.db.connection;
    // Through the plugin's developer API: the plugin's content types take writes from the plugin only.
    const list = await strapi.plugin('campaigns').service('api').lists.create({ name: 'Bench' });
    const [listRow] = await knex(strapi.db.metadata.get(UID.list).tableName)
      .where('document_id', list.documentId)
      .select('id');
    const contacts = strapi.db.metadata.get(UID.contact).tableName;
    const join = contactListsJoin(strapi);
    const seedStarted = Date.now();
    for (let start = 0; start < count; start += 1000) {
      const now = new Date();
      await knex.transaction(async (trx) => {
        const rows = [];
        for (let i = start; i < Math.min(count, start + 1000); i += 1) {
          const c = contactFor(i);
          rows.push({
            document_id: createDocumentId(),
            email: c.email,
            first_name: c.firstName,
            last_name: c.lastName,
            attributes: JSON.stringify(c.attributes),
            status: 'subscribed',
            created_at: now,
            updated_at: now,
            published_at: now,
          });
        }
        for (let i = 0; i < rows.length; i += 100) await trx(contacts).insert(rows.slice(i, i + 100));
        const ids = await trx(contacts)
          .whereIn(
            'email',
            rows.map((r) => r.email),
          )
          .select('id');
        const links = ids.map((r) => ({ [join.contactColumn]: r.id, [join.listColumn]: listRow.id }));
        for (let i = 0; i < links.length; i += 200) await trx(join.table).insert(links.slice(i, i + 200));
      });
    }
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    if (global.gc) global.gc();
    const rssBeforeMb = Math.round(process.memoryUsage().rss / 1048576);

    const deliveries = strapi.plugin('campaigns').service('deliveries');
    const delivery = await deliveries.create({
      name: 'Bench',
      subject: SUBJECT,
      html: messageHtml(),
      lists: [list.documentId],
    });
    const deliveryTable = strapi.db.metadata.get(UID.delivery).tableName;
    const status = async () => (await knex(deliveryTable).where('id', delivery.id).first('status')).status;

    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    await deliveries.send(delivery.documentId);
    let preparedAt = null;
    for (;;) {
      const current = await status();
      if (!preparedAt && current !== 'preparing') preparedAt = process.hrtime.bigint();
      if (current === 'sent' || current === 'failed' || current === 'cancelled') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const ended = process.hrtime.bigint();
    const cpu = process.cpuUsage(cpuBefore);
    const counters = (await deliveries.findOne(delivery.documentId)).counters;
    if (counters.sent !== count)
      throw new Error(`plugin sent ${counters.sent} of ${count}: ${JSON.stringify(counters)}`);
    const total = Number(ended - started) / 1e9;
    const sending = Number(ended - preparedAt) / 1e9;
    return {
      count,
      seconds: total,
      perSecond: count / total,
      prepareSeconds: total - sending,
      sendSeconds: sending,
      sendPerSecond: count / sending,
      cpuMsPerMessage: (cpu.user + cpu.system) / 1000 / count,
      seedSeconds,
      rssBeforeMb,
      peakRssMb: mb(process.resourceUsage().maxRSS),
    };
  } finally {
    await strapi.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

// ---------------------------------------------------------------- orchestrator

const child = (mode, count, port) =>
  mode === 'baseline'
    ? childResult(BASELINE_SCRIPT, [count, port, POOL])
    : childResult(__filename, [mode, count, port]);

const main = async () => {
  const render = await measureRender();
  const { startSmtpSink } = require(path.join(ROOT, 'tests', 'helpers', 'smtp-sink.js'));
  const sink = await startSmtpSink();
  const rows = [];
  try {
    for (const count of SIZES) {
      const row = { count };
      for (const mode of ['baseline', 'plugin']) {
        sink.reset();
        process.stdout.write(`${mode} ${count.toLocaleString('en')} messages ... `);
        const result = await child(mode, count, sink.port);
        const ids = new Set(sink.messages.map((m) => m.messageId));
        if (sink.count() !== count || ids.size !== count) {
          throw new Error(
            `${mode}: the sink received ${sink.count()} messages (${ids.size} distinct Message-IDs) for ${count}`,
          );
        }
        const size = Math.round(sink.bytes() / count / 1024);
        row[mode] = { ...result, kbPerMessage: size };
        process.stdout.write(`${Math.round(result.perSecond)} msg/s, peak RSS ${result.peakRssMb} MB\n`);
      }
      rows.push(row);
    }
  } finally {
    await sink.close();
  }

  const lines = rows.map(
    (r) =>
      `| ${r.count.toLocaleString('en')} | ${Math.round(r.baseline.perSecond)} | ${Math.round(r.plugin.perSecond)} | ` +
      `**${(r.plugin.perSecond / r.baseline.perSecond).toFixed(2)}x** | ${Math.round(r.plugin.sendPerSecond)} | ` +
      `${(r.plugin.sendPerSecond / r.baseline.perSecond).toFixed(2)}x | ${r.plugin.prepareSeconds.toFixed(1)} | ` +
      `${r.baseline.cpuMsPerMessage.toFixed(2)} | ${r.plugin.cpuMsPerMessage.toFixed(2)} | ` +
      `${r.plugin.rssBeforeMb} | ${r.plugin.peakRssMb} | ${r.baseline.peakRssMb} | ${r.plugin.kbPerMessage} |`,
  );
  const ratios = rows.map((r) => r.plugin.perSecond / r.baseline.perSecond);
  const small = rows.find((r) => r.count === Math.min(...SIZES));
  const large = rows.find((r) => r.count === Math.max(...SIZES));
  const growth = large && small && large !== small ? large.plugin.peakRssMb - small.plugin.peakRssMb : null;
  const speedOk = ratios.every((ratio) => ratio >= 0.8);
  const memoryOk = growth === null || growth <= 150;
  const cpu = os.cpus();
  const section = [
    SECTION_START,
    '## Sending (`npm run bench:send`)',
    '',
    `${new Date().toISOString().slice(0, 10)}, ${cpu.length} x ${cpu[0].model.trim()}, Node ${process.version}, SMTP pool of ${POOL}, SQLite.`,
    'Personalised 20 KB HTML messages (plus the derived text part) with 10 tracked links, open pixel, unsubscribe and',
    'mirror links, List-Unsubscribe headers. The sink is `tests/helpers/smtp-sink.js` in the orchestrating process: a',
    'minimal SMTP server on 127.0.0.1 (net) that greets at once (smtp-server waits 100 ms per connection and parses',
    'every message) and only scans the header block; it checks that every run delivered N distinct Message-IDs.',
    'Plugin: a fresh Strapi process, timed from the send action to status sent (preparation included: composition and',
    'N delivery logs); baseline: a bare nodemailer pooled loop in its own process sending 1,000 pre-rendered messages',
    'in turn, on its one thread. Both connect with TCP_NODELAY (see server/src/sending/messengers/smtp.ts) and choose the',
    'transfer encoding once (quoted-printable) instead of letting nodemailer scan every body. The plugin encodes on',
    `worker threads (smtp.threads = ${process.env.BENCH_SEND_THREADS || 2}, sharing the ${POOL} connections), so it can use more than one core: the CPU`,
    'columns say what each message costs in CPU time, all threads of the process included.',
    '',
    '| recipients | baseline msg/s | plugin msg/s (end to end) | ratio | plugin msg/s (send phase) | ratio | preparation (s) | baseline CPU ms/msg | plugin CPU ms/msg | plugin RSS before send (MB) | plugin peak RSS (MB) | baseline peak RSS (MB) | KB per message |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...lines,
    '',
    `- speed: plugin / baseline (end to end) ${ratios.map((r) => `${r.toFixed(2)}x`).join(', ')} (bar: >= 0.8x): ${speedOk ? 'met' : 'NOT met'}`,
    growth === null
      ? '- memory: one size only'
      : `- memory: peak RSS ${large.count.toLocaleString('en')} - ${small.count.toLocaleString('en')} recipients = ${growth} MB (bar: <= 150 MB): ${memoryOk ? 'met' : 'NOT met'}`,
    `- a ${render.blocks}-block newsletter (bench/render.js) is rendered with MJML and composed once per delivery, never per recipient: ` +
      `median ${render.medianMs.toFixed(1)} ms, slowest ${render.maxMs.toFixed(1)} ms of 20; HTML ${render.kb.toFixed(0)} KB`,
    SECTION_END,
  ].join('\n');
  console.log(`\n${section}\n`);
  if (writeSection(SECTION_START, SECTION_END, section))
    console.log(`Figures written to ${path.relative(ROOT, README)}.`);
  process.exitCode = speedOk && memoryOk ? 0 : 1;
};

const [mode, count, port] = process.argv.slice(2);
if (mode === 'plugin') {
  reportResult(() => runPlugin(Number(count), Number(port)));
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

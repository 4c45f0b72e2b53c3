#!/usr/bin/env node
// `node bench/indicators.js`: how long the indicators, timeline and monitoring routes take on one large delivery,
// through real HTTP requests to the playground Strapi booted in this process on a fresh database.
//
// The delivery: BENCH_RECIPIENTS recipients (default 100,000), 96 % sent, 2 % failed, 1 % bounced, 1 % excluded;
// about 45 % open (1 to 3 opens), 15 % click, a fifth of the opens are Apple machine opens and 5 % of the clicks are
// link scanners: about 100,000 tracking events. Rows are bulk-inserted with knex, and the delivery-log engagement
// columns (human ones included) set from them as the tracker's group commits leave them.
// Each route is asked BENCH_RUNS times (default 15): median and slowest are reported. The default and
// include=bots,machine modes read no event row (columns and an index-only count); include=bots, a mixed mode, reads
// the delivery's events once.
// Options (environment): BENCH_DB=sqlite|postgres|mysql (default sqlite), BENCH_RECIPIENTS, BENCH_RUNS, BENCH_NO_README=1.
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
require(path.join(ROOT, 'tests', 'helpers', 'register-ts.js'));
process.env.CAMPAIGNS_TEST_DB = process.env.BENCH_DB || 'sqlite';

const { bootTestApp } = require(path.join(ROOT, 'tests', 'helpers', 'strapi.ts'));
const { createDocumentId } = require(path.join(ROOT, 'server', 'src', 'platform', 'document-id.ts'));
const { fillEventCounts } = require(path.join(ROOT, 'server', 'src', 'db', 'event-count-fill.ts'));
const { fillMessageCounts } = require(path.join(ROOT, 'server', 'src', 'db', 'message-count-fill.ts'));
const { fillMessageDays } = require(path.join(ROOT, 'server', 'src', 'db', 'message-day-fill.ts'));

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS || 100_000);
const RUNS = Number(process.env.BENCH_RUNS || 15);
const { writeSection } = require('./readme-section');
const { seededRandom } = require('./lib/random');
const DB = process.env.BENCH_DB || 'sqlite';
const SECTION_START = `<!-- bench:indicators:${DB} -->`;
const SECTION_END = `<!-- /bench:indicators:${DB} -->`;

/** Deterministic pseudo-random numbers: every run seeds the same delivery. */
const random = seededRandom(42);

const insertChunks = async (knex, table, rows, size) => {
  for (let i = 0; i < rows.length; i += size) await knex(table).insert(rows.slice(i, i + size));
};

const main = async () => {
  const app = await bootTestApp();
  const { strapi } = app;
  try {
    strapi.cron.remove('campaigns::alerts');
    const knex = strapi.db.connection;
    const client = strapi.db.dialect.client;
    const token = await app.superAdminToken();
    const now = new Date();
    const sentAt = new Date(now.getTime() - 6 * 3_600_000);
    const [deliveryId] = await knex('campaigns_deliveries')
      .insert(
        {
          document_id: createDocumentId(),
          name: 'Bench',
          subject: 'Bench',
          status: 'sent',
          started_at: sentAt,
          finished_at: now,
          created_at: now,
          updated_at: now,
          published_at: now,
        },
        ['id'],
      )
      .then((rows) => rows.map((row) => (typeof row === 'object' ? row.id : row)));
    const delivery = await strapi.db
      .query('plugin::campaigns.delivery')
      .findOne({ where: { id: deliveryId }, select: ['documentId'] });

    const seedStart = Date.now();
    const logs = [];
    for (let i = 0; i < RECIPIENTS; i += 1) {
      const r = random();
      const status = r < 0.96 ? 'sent' : r < 0.98 ? 'failed' : r < 0.99 ? 'bounced' : 'excluded';
      logs.push({
        document_id: createDocumentId(),
        delivery_id: deliveryId,
        email: `r${i}@bench.test`,
        status,
        failure_type: status === 'failed' || status === 'bounced' ? (random() < 0.7 ? 'hard' : 'soft') : null,
        sent_at: status === 'sent' || status === 'bounced' ? sentAt : null,
        opens: 0,
        clicks: 0,
        attempts: 1,
        created_at: sentAt,
        updated_at: sentAt,
        published_at: sentAt,
      });
    }
    await insertChunks(knex, 'campaigns_delivery_logs', logs, client === 'sqlite' ? 400 : 1000);
    const ids = (
      await knex('campaigns_delivery_logs')
        .where('delivery_id', deliveryId)
        .where('status', 'sent')
        .orderBy('id')
        .pluck('id')
    ).map(Number);

    const events = [];
    const event = (logId, type, minutes, isBot, isMachineOpen) => {
      const at = new Date(sentAt.getTime() + minutes * 60_000);
      events.push({
        document_id: createDocumentId(),
        delivery_id: deliveryId,
        delivery_log_id: logId,
        type,
        at,
        device: 'unknown',
        is_bot: isBot,
        is_machine_open: isMachineOpen,
        created_at: at,
        updated_at: at,
        published_at: at,
      });
    };
    for (const logId of ids) {
      if (random() < 0.45) {
        const machine = random() < 0.2;
        const opens = 1 + Math.floor(random() * 3);
        for (let k = 0; k < opens; k += 1) event(logId, 'open', Math.floor(random() * 300), false, machine && k === 0);
        if (random() < 0.33) event(logId, 'click', Math.floor(random() * 300), random() < 0.05, false);
      }
    }
    await insertChunks(knex, 'campaigns_tracking_logs', events, client === 'sqlite' ? 400 : 1000);
    // The delivery-log columns, as the tracker's group commits leave them (one statement, from the events). Types
    // are tested inside the aggregates so that only the delivery_log_id index fits, whatever the planner's statistics.
    const human = 't.is_bot IS NOT TRUE AND t.is_machine_open IS NOT TRUE';
    const sub = (expr, where = '') =>
      `(SELECT ${expr} FROM campaigns_tracking_logs t WHERE t.delivery_log_id = campaigns_delivery_logs.id${where ? ` AND ${where}` : ''})`;
    const count = (type) => `SUM(CASE WHEN t.type = '${type}' THEN 1 ELSE 0 END)`;
    const firstAt = (type) => (type ? `MIN(CASE WHEN t.type = '${type}' THEN t.at END)` : 'MIN(t.at)');
    await knex.raw(
      `UPDATE campaigns_delivery_logs SET opens = COALESCE(${sub(count('open'))}, 0), clicks = COALESCE(${sub(count('click'))}, 0), ` +
        `human_opens = COALESCE(${sub(count('open'), human)}, 0), ` +
        `first_opened_at = ${sub(firstAt())}, first_clicked_at = ${sub(firstAt('click'))}, ` +
        `human_opened_at = ${sub(firstAt(), human)}, human_clicked_at = ${sub(firstAt('click'), human)} WHERE delivery_id = ?`,
      [deliveryId],
    );
    // The rollups, as the tracker's group commits leave them (the rows above bypassed the tracker): counted again
    // from the events, as the first boot of an upgraded install does. Without them the routes read empty rollups.
    await fillEventCounts(strapi, { rebuild: true });
    await fillMessageCounts(strapi, { rebuild: true });
    await fillMessageDays(strapi, { rebuild: true });
    // What autovacuum does after such bulk writes: statistics, and the visibility map index-only scans rely on.
    if (client === 'postgres') await knex.raw('VACUUM ANALYZE');
    const seedSeconds = ((Date.now() - seedStart) / 1000).toFixed(0);

    const time = async (route) => {
      const durations = [];
      for (let i = 0; i < RUNS; i += 1) {
        const start = process.hrtime.bigint();
        const res = await app.http().get(route).set('Authorization', `Bearer ${token}`);
        durations.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (res.status !== 200) throw new Error(`${route} answered ${res.status}: ${res.text}`);
      }
      durations.sort((a, b) => a - b);
      return { median: durations[Math.floor(durations.length / 2)], max: durations[durations.length - 1] };
    };
    const id = delivery.documentId;
    const routes = [
      ['indicators (bots and machine opens left out)', `/campaigns/deliveries/${id}/indicators`],
      ['indicators?include=bots,machine', `/campaigns/deliveries/${id}/indicators?include=bots,machine`],
      [
        'indicators?include=bots (mixed mode: a pass over the events)',
        `/campaigns/deliveries/${id}/indicators?include=bots`,
      ],
      ['timeline?bucket=hour', `/campaigns/deliveries/${id}/timeline?bucket=hour`],
      ['monitoring (this delivery ended today)', '/campaigns/monitoring'],
    ];
    const results = [];
    for (const [name, route] of routes) results.push([name, await time(route)]);
    const check = (await app.http().get(routes[0][1]).set('Authorization', `Bearer ${token}`)).body;
    // The answer against the events themselves: people (neither bots nor machine opens) who reacted, who clicked, and
    // the events left out.
    const people = (rows) => rows.filter((row) => !row.is_bot && !row.is_machine_open);
    const expected = {
      uniqueOpens: new Set(people(events).map((row) => row.delivery_log_id)).size,
      uniqueClicks: new Set(people(events.filter((row) => row.type === 'click')).map((row) => row.delivery_log_id))
        .size,
      leftOut: events.length - people(events).length,
    };
    const answered = {
      uniqueOpens: check.data.uniqueOpens,
      uniqueClicks: check.data.uniqueClicks,
      leftOut: check.meta.leftOut.events,
    };
    if (JSON.stringify(answered) !== JSON.stringify(expected)) {
      throw new Error(`indicators answered ${JSON.stringify(answered)}, the events say ${JSON.stringify(expected)}`);
    }

    const lines = [
      SECTION_START,
      `## Indicators, timeline, monitoring (\`node bench/indicators.js\`, ${client})`,
      '',
      `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} x ${os.cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}, Node ${process.version}, ${client}.`,
      `One delivery of ${RECIPIENTS.toLocaleString('en')} recipients and ${events.length.toLocaleString('en')} tracking events (seeded in ${seedSeconds} s);`,
      `${RUNS} requests per route through Strapi's HTTP stack (supertest, same process), each timed end to end;`,
      `load average during the run: ${os.loadavg()[0].toFixed(1)} (other work on the machine slows every figure).`,
      '',
      '| route | median (ms) | slowest (ms) |',
      '|---|---:|---:|',
      ...results.map(([name, t]) => `| ${name} | ${t.median.toFixed(1)} | ${t.max.toFixed(1)} |`),
      '',
      `Answer checked against the seeded events: ${check.data.uniqueOpens} unique opens, ${check.data.uniqueClicks} unique clicks, ` +
        `${check.meta.leftOut.events} events left out.`,
      SECTION_END,
    ];
    const section = lines.join('\n');
    console.log(section);
    writeSection(SECTION_START, SECTION_END, section);
  } finally {
    await app.destroy();
  }
};

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

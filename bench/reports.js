#!/usr/bin/env node
// `npm run bench:reports`: how long the indicators (every include mode), hot clicks, the timeline, monitoring, the
// report builder and every built-in report (reporting/report-builtins.ts) take on 1,000,000 tracking events, through real HTTP requests to the playground Strapi booted in this process on a fresh database.
//
// The data: 10,000 contacts on two lists and eight recipient domains, 50 deliveries to all of them over the last 60
// days (500,000 delivery logs: 95 % sent, 2 % failed, 2 % bounced, 1 % excluded, with failure reasons), five
// tracked links each (one URL twice), and 20,000 events per delivery: opens (a fifth of them Apple machine opens),
// clicks (5 % link scanners), unsubscriptions and mirror views, from six email clients on three kinds of device,
// within a week of each send. Rows are bulk-inserted as the sender and tracker leave them (SQLite through one
// prepared statement in a transaction, PostgreSQL and MariaDB by multi-row inserts).
// Each route is asked BENCH_RUNS times (default 9) after five warm-up requests: median and slowest are reported.
//
// Usage: node bench/reports.js [--db sqlite,postgres[,mysql]]  (default sqlite,postgres; each database in its own
// process). Environment: BENCH_EVENTS (default 1,000,000; another size writes its own bench/README.md section, e.g.
// bench:reports-10m:sqlite), BENCH_DELIVERIES (default 50), BENCH_RUNS, BENCH_ONLY (route name prefixes, comma
// separated), BENCH_NO_README=1.
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const { writeSection } = require('./readme-section');
const { seededRandom } = require('./lib/random');
const argDb = (() => {
  const index = process.argv.indexOf('--db');
  if (index >= 0) return process.argv[index + 1];
  const inline = process.argv.find((arg) => arg.startsWith('--db='));
  return inline ? inline.slice(5) : null;
})();
const DBS = (argDb || process.env.BENCH_DB || 'sqlite,postgres')
  .split(',')
  .map((db) => db.trim())
  .filter(Boolean);

if (DBS.length > 1) {
  // One process per database: each boots its own Strapi and frees its memory before the next.
  let failed = 0;
  for (const db of DBS) {
    const result = spawnSync(process.execPath, [__filename, '--db', db], { stdio: 'inherit' });
    if (result.status !== 0) failed += 1;
  }
  process.exit(failed ? 1 : 0);
}

const DB = DBS[0];
process.env.CAMPAIGNS_TEST_DB = DB;
require(path.join(ROOT, 'tests', 'helpers', 'register-ts.js'));
const { bootTestApp } = require(path.join(ROOT, 'tests', 'helpers', 'strapi.ts'));
const { BUILT_IN_REPORTS } = require(path.join(ROOT, 'server', 'src', 'reporting', 'report-builtins.ts'));
const { fillEventCounts } = require(path.join(ROOT, 'server', 'src', 'db', 'event-count-fill.ts'));
const { fillMessageCounts } = require(path.join(ROOT, 'server', 'src', 'db', 'message-count-fill.ts'));
const { fillMessageDays } = require(path.join(ROOT, 'server', 'src', 'db', 'message-day-fill.ts'));
const { recipientDomainOf } = require(path.join(ROOT, 'server', 'src', 'db', 'recipient-domains.ts'));

const EVENTS = Number(process.env.BENCH_EVENTS || 1_000_000);
const DELIVERIES = Number(process.env.BENCH_DELIVERIES || 50);
const CONTACTS = 10_000;
const RUNS = Number(process.env.BENCH_RUNS || 9);
const WARM_UP = 5;
/** BENCH_ONLY=indicators,hot clicks,timeline: only the routes whose name starts with one of these. */
const ONLY = (process.env.BENCH_ONLY || '')
  .split(',')
  .map((prefix) => prefix.trim())
  .filter(Boolean);
// A run at another size than the default keeps its own section (bench:reports-10m:sqlite for 10,000,000 events).
const SIZE = EVENTS === 1_000_000 ? '' : `-${EVENTS % 1_000_000 === 0 ? `${EVENTS / 1_000_000}m` : EVENTS}`;
const COMMAND = [
  ...(process.env.BENCH_EVENTS ? [`BENCH_EVENTS=${process.env.BENCH_EVENTS}`] : []),
  ...(process.env.BENCH_RUNS ? [`BENCH_RUNS=${process.env.BENCH_RUNS}`] : []),
  ...(ONLY.length ? [`BENCH_ONLY="${ONLY.join(',')}"`] : []),
  `node bench/reports.js --db ${DB}`,
].join(' ');
const SECTION_START = `<!-- bench:reports${SIZE}:${DB} -->`;
const SECTION_END = `<!-- /bench:reports${SIZE}:${DB} -->`;
const DOMAINS = [
  'gmail.com',
  'yahoo.fr',
  'outlook.com',
  'orange.fr',
  'icloud.com',
  'example.org',
  'corp.test',
  'free.fr',
];
const CLIENTS = ['Gmail', 'Apple Mail', 'Outlook', 'Yahoo Mail', 'Thunderbird', null];
const DEVICES = ['desktop', 'mobile', 'tablet'];
const OSES = ['Windows', 'macOS', 'iOS', 'Android', 'Linux'];
const FAILURE_REASONS = ['user_unknown', 'invalid_domain', 'mailbox_full', 'refused', 'unreachable'];
const URLS = [
  'https://shop.example.test/offer',
  'https://blog.example.test/story',
  'https://shop.example.test/offer',
  'https://help.example.test/faq',
  'https://shop.example.test/new',
];
const DAY = 86_400_000;

/** Deterministic pseudo-random numbers: every run seeds the same data. */
const random = seededRandom(42);
const pick = (values) => values[Math.floor(random() * values.length)];

const compiledHtml = () =>
  '<html><body><h1>Spring news</h1>' +
  URLS.map((_, position) => `<p><a href="{{__link.${position}}}">Link ${position + 1}</a></p>`).join('') +
  '<p><a href="{{unsubscribeUrl}}">Unsubscribe</a> | <a href="{{mirrorUrl}}">View in your browser</a></p>' +
  '<img src="{{__open}}" width="1" height="1" alt="" /></body></html>';

const main = async () => {
  const app = await bootTestApp();
  const { strapi } = app;
  try {
    strapi.cron.remove('campaigns::scheduled-deliveries');
    await strapi.plugin('campaigns').service('sender').stop();
    const knex = strapi.db.connection;
    const client = strapi.db.dialect.client;
    const now = Date.now();
    const seedStart = Date.now();
    let docCounter = 0;
    const doc = () => `bench${(docCounter += 1).toString(36).padStart(12, '0')}`;

    /** Multi-row inserts; on SQLite one prepared statement in one transaction (what the tracker does too). */
    const insertAll = async (table, rows, returnIds = false) => {
      if (!rows.length) return [];
      const columns = Object.keys(rows[0]);
      if (client === 'sqlite') {
        const connection = await knex.client.acquireConnection();
        try {
          const statement = connection.prepare(
            `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
          );
          const ids = [];
          connection.transaction(() => {
            for (const row of rows) {
              const info = statement.run(
                columns.map((c) =>
                  row[c] instanceof Date ? row[c].getTime() : typeof row[c] === 'boolean' ? Number(row[c]) : row[c],
                ),
              );
              if (returnIds) ids.push(Number(info.lastInsertRowid));
            }
          })();
          return ids;
        } finally {
          await knex.client.releaseConnection(connection);
        }
      }
      const size = Math.floor(20_000 / columns.length);
      const ids = [];
      for (let i = 0; i < rows.length; i += size) {
        const chunk = rows.slice(i, i + size);
        if (returnIds && client === 'postgres')
          ids.push(...(await knex(table).insert(chunk, ['id'])).map((r) => Number(r.id)));
        else await knex(table).insert(chunk);
      }
      if (returnIds && client !== 'postgres') {
        ids.push(
          ...(
            await knex(table)
              .whereIn(
                'document_id',
                rows.map((r) => r.document_id),
              )
              .orderBy('id')
              .pluck('id')
          ).map(Number),
        );
      }
      return ids;
    };

    const stamp = (at) => ({ created_at: at, updated_at: at, published_at: at });
    const listIds = await insertAll(
      'campaigns_lists',
      ['Customers', 'Prospects'].map((name) => ({ document_id: doc(), name, ...stamp(new Date(now)) })),
      true,
    );
    const contacts = Array.from({ length: CONTACTS }, (_, i) => ({
      document_id: doc(),
      email: `reader${i}@${DOMAINS[i % DOMAINS.length]}`,
      first_name: `Reader${i}`,
      status: 'subscribed',
      ...stamp(new Date(now - 90 * DAY)),
    }));
    const contactIds = await insertAll('campaigns_contacts', contacts, true);

    const deliveries = [];
    for (let d = 0; d < DELIVERIES; d += 1) {
      const sentAt = new Date(now - Math.floor(((DELIVERIES - d) / DELIVERIES) * 60 * DAY) + 3_600_000);
      const [id] = await insertAll(
        'campaigns_deliveries',
        [
          {
            document_id: doc(),
            name: `Bench delivery ${d + 1}`,
            subject: 'Spring news',
            from_email: 'news@example.test',
            html: '<p>Spring</p>',
            status: 'sent',
            started_at: sentAt,
            finished_at: sentAt,
            prepared_at: sentAt,
            compiled_html: compiledHtml(),
            compiled_text: 'Spring news\n\nUnsubscribe: {{unsubscribeUrl}}\n',
            track_opens: true,
            track_links: true,
            ...stamp(sentAt),
          },
        ],
        true,
      );
      const linkIds = await insertAll(
        'campaigns_tracked_links',
        URLS.map((url, position) => ({
          document_id: doc(),
          delivery_id: id,
          url,
          label: `Link ${position + 1}`,
          position,
          tracked: true,
          kind: 'tracked',
          ...stamp(sentAt),
        })),
        true,
      );
      deliveries.push({ id, sentAt, linkIds });
    }

    // Delivery logs: every contact, every delivery.
    const sentLogs = new Map();
    for (const delivery of deliveries) {
      const rows = contactIds.map((contactId, i) => {
        const r = random();
        const status = r < 0.95 ? 'sent' : r < 0.97 ? 'failed' : r < 0.99 ? 'bounced' : 'excluded';
        const failed = status === 'failed' || status === 'bounced';
        return {
          document_id: doc(),
          delivery_id: delivery.id,
          contact_id: contactId,
          list_id: listIds[i % 2],
          email: contacts[i].email,
          recipient_domain: recipientDomainOf(contacts[i].email),
          status,
          failure_type: failed ? (random() < 0.7 ? 'hard' : 'soft') : null,
          failure_reason: failed ? pick(FAILURE_REASONS) : null,
          exclusion_reason: status === 'excluded' ? 'quarantined' : null,
          sent_at: status === 'sent' || status === 'bounced' ? delivery.sentAt : null,
          attempts: 1,
          opens: 0,
          clicks: 0,
          ...stamp(delivery.sentAt),
        };
      });
      const ids = await insertAll('campaigns_delivery_logs', rows, true);
      sentLogs.set(
        delivery.id,
        ids
          .map((id, i) => ({ id, contactId: rows[i].contact_id, status: rows[i].status }))
          .filter((log) => log.status === 'sent'),
      );
    }

    // Tracking events: EVENTS / DELIVERIES per delivery, readers picked among the sent logs.
    const perDelivery = Math.floor(EVENTS / DELIVERIES);
    let events = 0;
    for (const delivery of deliveries) {
      const readers = sentLogs.get(delivery.id);
      const rows = [];
      for (let k = 0; k < perDelivery; k += 1) {
        const reader = readers[Math.floor(random() * readers.length * 0.6)]; // 60 % of the recipients ever react
        const r = random();
        const type = r < 0.62 ? 'open' : r < 0.97 ? 'click' : r < 0.985 ? 'unsubscribe' : 'mirror';
        const at = new Date(
          Math.min(now - 1000, delivery.sentAt.getTime() + Math.floor(random() * random() * 7 * DAY)),
        );
        // A reader mostly uses one email client on one device, and now and then another.
        const usual = random() < 0.8;
        const device = usual ? DEVICES[reader.contactId % DEVICES.length] : pick(DEVICES);
        const mailClient = usual ? CLIENTS[reader.contactId % CLIENTS.length] : pick(CLIENTS);
        rows.push({
          document_id: doc(),
          delivery_id: delivery.id,
          delivery_log_id: reader.id,
          contact_id: reader.contactId,
          tracked_link_id: type === 'click' ? pick(delivery.linkIds) : null,
          type,
          at,
          device,
          os: OSES[(reader.contactId + (usual ? 0 : 1)) % OSES.length],
          client: mailClient,
          is_bot: type === 'click' && random() < 0.05,
          is_machine_open: type === 'open' && random() < 0.2,
          created_at: at,
          updated_at: at,
          published_at: at,
        });
      }
      await insertAll('campaigns_tracking_logs', rows);
      events += rows.length;
    }
    // The delivery-log columns, as the tracker's group commits leave them (first reaction of any kind, first click,
    // and, where the schema has them, the first ones by a person), in one aggregate pass over the events.
    const attributes = strapi.db.metadata.get('plugin::campaigns.delivery-log').attributes;
    const human = attributes.humanOpenedAt && attributes.humanClickedAt;
    const person = 'is_bot IS NOT TRUE AND is_machine_open IS NOT TRUE';
    const aggregate =
      `SELECT delivery_log_id AS log_id, SUM(CASE WHEN type = 'open' THEN 1 ELSE 0 END) AS opens, ` +
      `SUM(CASE WHEN type = 'click' THEN 1 ELSE 0 END) AS clicks, MIN(at) AS first_open, MIN(CASE WHEN type = 'click' THEN at END) AS first_click` +
      (human
        ? `, MIN(CASE WHEN ${person} THEN at END) AS human_open, MIN(CASE WHEN type = 'click' AND ${person} THEN at END) AS human_click` +
          `, SUM(CASE WHEN type = 'open' AND ${person} THEN 1 ELSE 0 END) AS human_opens`
        : '') +
      ' FROM campaigns_tracking_logs GROUP BY delivery_log_id';
    const sets = (prefix) =>
      [`opens = a.opens`, `clicks = a.clicks`, `first_opened_at = a.first_open`, `first_clicked_at = a.first_click`]
        .concat(
          human
            ? [
                `${attributes.humanOpenedAt.columnName ?? 'human_opened_at'} = a.human_open`,
                `${attributes.humanClickedAt.columnName ?? 'human_clicked_at'} = a.human_click`,
              ].concat(attributes.humanOpens ? ['human_opens = a.human_opens'] : [])
            : [],
        )
        .map((set) => prefix + set)
        .join(', ');
    if (client === 'mysql')
      await knex.raw(`UPDATE campaigns_delivery_logs l JOIN (${aggregate}) a ON l.id = a.log_id SET ${sets('l.')}`);
    else
      await knex.raw(
        `UPDATE campaigns_delivery_logs SET ${sets('')} FROM (${aggregate}) a WHERE campaigns_delivery_logs.id = a.log_id`,
      );
    // The event-count rollup, as the tracker's group commits leave it (the rows above bypassed the tracker): counted
    // again from the events, as the first boot of an upgraded install does.
    const rollupStart = Date.now();
    await fillEventCounts(strapi, { rebuild: true });
    const rollupSeconds = ((Date.now() - rollupStart) / 1000).toFixed(0);
    console.log(`[bench:reports ${client}] event-count rollup filled in ${rollupSeconds} s`);
    const messagesStart = Date.now();
    await fillMessageCounts(strapi, { rebuild: true });
    const messagesSeconds = ((Date.now() - messagesStart) / 1000).toFixed(0);
    console.log(`[bench:reports ${client}] message-count rollup filled in ${messagesSeconds} s`);
    const daysStart = Date.now();
    await fillMessageDays(strapi, { rebuild: true });
    const daysSeconds = ((Date.now() - daysStart) / 1000).toFixed(0);
    console.log(`[bench:reports ${client}] message-day rollup filled in ${daysSeconds} s`);
    // As autovacuum leaves a table some time after a bulk load: statistics, and the visibility map that lets
    // PostgreSQL answer from an index alone.
    if (client === 'postgres') await knex.raw('VACUUM ANALYZE');
    if (client === 'sqlite') await knex.raw('ANALYZE');
    if (client === 'mysql')
      await knex.raw('ANALYZE TABLE campaigns_tracking_logs, campaigns_delivery_logs, campaigns_message_days');
    const seedSeconds = ((Date.now() - seedStart) / 1000).toFixed(0);
    console.log(`[bench:reports ${client}] seeded ${events.toLocaleString('en')} events in ${seedSeconds} s`);

    // Logged in after the seeding, which can outlast an admin session (35 minutes on PostgreSQL at 10,000,000 events).
    const token = await app.superAdminToken();
    const send = (route, body) => {
      const request = body ? app.http().post(route).send(body) : app.http().get(route);
      return request.set('Authorization', `Bearer ${token}`);
    };
    // Five warm-up requests: the first ones of the process open the pool's database connections (up to 10), each
    // slow on its first reads (PostgreSQL's catalog caches). The indicators service at 10,000,000 events took 43, 31,
    // 30, 27 and 24 ms in the first five calls of a process, then 7-12; with a pool of 2 only the first was slow.
    const time = async (route, body) => {
      for (let i = 0; i < WARM_UP; i += 1) await send(route, body);
      const durations = [];
      let last;
      for (let i = 0; i < RUNS; i += 1) {
        const start = process.hrtime.bigint();
        last = await send(route, body);
        durations.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (last.status !== 200) throw new Error(`${route} answered ${last.status}: ${last.text}`);
      }
      durations.sort((a, b) => a - b);
      return {
        median: durations[Math.floor(durations.length / 2)],
        max: durations[durations.length - 1],
        body: last.body,
      };
    };
    const target = await strapi.db
      .query('plugin::campaigns.delivery')
      .findOne({ where: { id: deliveries[DELIVERIES - 1].id }, select: ['documentId'] });
    const id = target.documentId;
    // The baseline: Strapi's own admin route for the logged-in user, the same login and HTTP stack without the
    // plugin; what every route below costs before its own work. Always measured, whatever BENCH_ONLY says.
    const BASELINE = "baseline: Strapi's own GET /admin/users/me (admin login, no plugin code)";
    const checks = [
      [BASELINE, null, '/admin/users/me'],
      ['indicators of one delivery (bots and machine opens left out)', 50, `/campaigns/deliveries/${id}/indicators`],
      [
        'indicators of one delivery, include=bots,machine',
        50,
        `/campaigns/deliveries/${id}/indicators?include=bots,machine`,
      ],
      [
        'indicators of one delivery, include=bots (mixed mode)',
        50,
        `/campaigns/deliveries/${id}/indicators?include=bots`,
      ],
      ['hot clicks of one delivery', 50, `/campaigns/deliveries/${id}/hot-clicks`],
      ['timeline of one delivery, by hour', 50, `/campaigns/deliveries/${id}/timeline?bucket=hour`],
      [
        'timeline of one delivery, by hour, include=bots (mixed mode)',
        50,
        `/campaigns/deliveries/${id}/timeline?bucket=hour&include=bots`,
      ],
      ['monitoring', 500, '/campaigns/monitoring'],
      [
        'report: opens by hour over the last 7 days',
        500,
        '/campaigns/reports/query',
        { dimensions: ['hour'], metrics: ['opens'], period: { lastDays: 7 } },
      ],
      [
        'report: clicks by link for one delivery',
        500,
        '/campaigns/reports/query',
        { dimensions: ['link'], metrics: ['clicks'], filters: { deliveries: [id] } },
      ],
      [
        'report: unique opens by email client and domain, all deliveries',
        500,
        '/campaigns/reports/query',
        { dimensions: ['client', 'domain'], metrics: ['uniqueOpens'] },
      ],
      ...BUILT_IN_REPORTS.map((report) => [
        `built-in report: ${report.name}`,
        500,
        '/campaigns/reports/query',
        report.definition.query,
      ]),
    ];
    const results = [];
    const chosen = checks.filter(
      ([name]) => name === BASELINE || ONLY.length === 0 || ONLY.some((prefix) => name.startsWith(prefix)),
    );
    for (const [name, bar, route, body] of chosen) {
      const result = await time(route, body);
      results.push({ name, bar, ...result });
      console.log(
        `[bench:reports ${client}] ${name}: median ${result.median.toFixed(1)} ms, slowest ${result.max.toFixed(1)} ms${bar === null ? '' : ` (bar ${bar} ms)`}`,
      );
    }
    const rowsOf = (r) => r.body.data.rows?.length ?? r.body.data.links?.length ?? '';
    const allMet = results.every((r) => r.bar === null || r.median < r.bar);

    const lines = [
      SECTION_START,
      // The heading names the command of this run, so a section of another size or subset says how it was made.
      `## Reports at ${events.toLocaleString('en')} events (\`${COMMAND}\`)`,
      '',
      `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} x ${os.cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}, Node ${process.version}, ${client}.`,
      `${events.toLocaleString('en')} tracking events over ${DELIVERIES} deliveries to ${CONTACTS.toLocaleString('en')} contacts ` +
        `(${(DELIVERIES * CONTACTS).toLocaleString('en')} delivery logs), seeded in ${seedSeconds} s (the event-count rollup ` +
        `counted from them in ${rollupSeconds} s of it, the message-count rollup in ${messagesSeconds} s, the message-day ` +
        `rollup in ${daysSeconds} s);`,
      ...(ONLY.length
        ? [`only the routes starting with: ${ONLY.join(', ')} (BENCH_ONLY; the others were not measured in this run);`]
        : []),
      `${RUNS} requests per route after ${WARM_UP} warm-up ones, through Strapi's HTTP stack (supertest, same process), each timed end to end;`,
      `load average during the run: ${os.loadavg()[0].toFixed(1)} (other work on the machine slows every figure).`,
      '',
      '| route | median (ms) | slowest (ms) | bar (ms) | rows |',
      '|---|---:|---:|---:|---:|',
      ...results.map(
        (r) => `| ${r.name} | ${r.median.toFixed(1)} | ${r.max.toFixed(1)} | ${r.bar ?? ''} | ${rowsOf(r)} |`,
      ),
      '',
      `Result: ${allMet ? 'every median under its bar' : 'some medians over their bar'}.`,
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

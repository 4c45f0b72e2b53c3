#!/usr/bin/env node
// `npm run bench:segments`: how long engagement segments take to count (POST /campaigns/segments/evaluate: the size a
// delivery to the segment would send to, walked page by page through the exclusions as preparation walks it, plus the
// first 50 members), through real HTTP requests to the playground Strapi booted in this process on a fresh database.
//
// The history: BENCH_CONTACTS contacts (default 100,000), half of them in a list, and BENCH_DELIVERIES sent deliveries
// (default 10) to all of them, a day apart: one delivery log per contact and delivery, and about 1,000,000 tracking
// events in all (half of the recipients open once or twice, a fifth of them through Apple's proxy first; 20 % click,
// 5 % of the clicks a scanner's). Rows are bulk-inserted with knex, the delivery-log engagement columns set as the
// tracker's group commits leave them. Each segment is asked BENCH_RUNS times (default 5): median and slowest.
// Options (environment): BENCH_DB=sqlite|postgres|mysql (default sqlite), BENCH_CONTACTS, BENCH_DELIVERIES,
// BENCH_RUNS, BENCH_NO_README=1.
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
require(path.join(ROOT, 'tests', 'helpers', 'register-ts.js'));
process.env.CAMPAIGNS_TEST_DB = process.env.BENCH_DB || 'sqlite';

const { bootTestApp } = require(path.join(ROOT, 'tests', 'helpers', 'strapi.ts'));
const { createDocumentId } = require(path.join(ROOT, 'server', 'src', 'platform', 'document-id.ts'));
const { contactListsJoin } = require(path.join(ROOT, 'server', 'src', 'db', 'join-tables.ts'));
const { writeSection } = require('./readme-section');

const CONTACTS = Number(process.env.BENCH_CONTACTS || 100_000);
const DELIVERIES = Number(process.env.BENCH_DELIVERIES || 10);
const RUNS = Number(process.env.BENCH_RUNS || 5);
const DB = process.env.BENCH_DB || 'sqlite';
const SECTION_START = `<!-- bench:segments:${DB} -->`;
const SECTION_END = `<!-- /bench:segments:${DB} -->`;
const DAY = 86_400_000;

/** Deterministic pseudo-random numbers (xorshift): every run seeds the same history. */
let state = 2463534242;
const random = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4294967296;
};

const insertChunks = async (knex, table, rows, size) => {
  for (let i = 0; i < rows.length; i += size) await knex(table).insert(rows.slice(i, i + size));
};
const idsOf = (rows) => rows.map((row) => Number(typeof row === 'object' ? row.id : row));

const main = async () => {
  const app = await bootTestApp();
  const { strapi } = app;
  try {
    const knex = strapi.db.connection;
    const client = strapi.db.dialect.client;
    const chunk = client === 'sqlite' ? 300 : 1000;
    const token = await app.superAdminToken();
    const api = (route) => app.http().post(route).set('Authorization', `Bearer ${token}`);
    const seedStart = Date.now();
    const now = Date.now();

    const list = (
      await app.http().post('/campaigns/lists').set('Authorization', `Bearer ${token}`).send({ name: 'Half' })
    ).body.data;
    const contacts = [];
    for (let i = 0; i < CONTACTS; i += 1) {
      const at = new Date(now - 400 * DAY);
      contacts.push({
        document_id: createDocumentId(),
        email: `c${i}@bench.test`,
        status: random() < 0.97 ? 'subscribed' : 'unsubscribed',
        inactive: false,
        created_at: at,
        updated_at: at,
        published_at: at,
      });
    }
    await insertChunks(knex, 'campaigns_contacts', contacts, chunk);
    const contactIds = (await knex('campaigns_contacts').orderBy('id').pluck('id')).map(Number);
    const join = contactListsJoin(strapi);
    await insertChunks(
      knex,
      join.table,
      contactIds.filter((_, i) => i % 2 === 0).map((id) => ({ [join.contactColumn]: id, [join.listColumn]: list.id })),
      chunk,
    );

    let events = 0;
    const deliveries = [];
    for (let d = 0; d < DELIVERIES; d += 1) {
      const sentAt = new Date(now - (DELIVERIES - d) * DAY);
      const [deliveryId] = idsOf(
        await knex('campaigns_deliveries').insert(
          {
            document_id: createDocumentId(),
            name: `Newsletter ${d + 1}`,
            subject: 'Bench',
            status: 'sent',
            started_at: sentAt,
            finished_at: sentAt,
            created_at: sentAt,
            updated_at: sentAt,
            published_at: sentAt,
          },
          ['id'],
        ),
      );
      const [linkId] = idsOf(
        await knex('campaigns_tracked_links').insert(
          {
            document_id: createDocumentId(),
            delivery_id: deliveryId,
            url: 'https://shop.bench.test/',
            position: 0,
            tracked: true,
            created_at: sentAt,
            updated_at: sentAt,
            published_at: sentAt,
          },
          ['id'],
        ),
      );
      deliveries.push({ id: deliveryId, linkId });
      // Each recipient's reactions first, so that the log's engagement columns are written with it.
      const plans = contactIds.map((contactId, i) => {
        const reactions = [];
        const minutes = () => new Date(sentAt.getTime() + Math.floor(random() * 600) * 60_000);
        if (random() < 0.5) {
          const machine = random() < 0.2;
          reactions.push({ type: 'open', at: minutes(), bot: false, machine });
          if (random() < 0.6) reactions.push({ type: 'open', at: minutes(), bot: false, machine: false });
          if (random() < 0.4) reactions.push({ type: 'click', at: minutes(), bot: random() < 0.05, machine: false });
        }
        const first = (keep) =>
          reactions.filter(keep).reduce((min, r) => (min === null || r.at < min ? r.at : min), null);
        const human = (r) => !r.bot && !r.machine;
        return {
          contactId,
          reactions,
          log: {
            document_id: createDocumentId(),
            delivery_id: deliveryId,
            contact_id: contactId,
            email: `c${i}@bench.test`,
            status: 'sent',
            sent_at: sentAt,
            attempts: 1,
            opens: reactions.filter((r) => r.type === 'open').length,
            clicks: reactions.filter((r) => r.type === 'click').length,
            human_opens: reactions.filter((r) => r.type === 'open' && human(r)).length,
            first_opened_at: first(() => true),
            first_clicked_at: first((r) => r.type === 'click'),
            human_opened_at: first(human),
            human_clicked_at: first((r) => r.type === 'click' && human(r)),
            created_at: sentAt,
            updated_at: sentAt,
            published_at: sentAt,
          },
        };
      });
      await insertChunks(
        knex,
        'campaigns_delivery_logs',
        plans.map((plan) => plan.log),
        chunk,
      );
      const logIds = (
        await knex('campaigns_delivery_logs').where('delivery_id', deliveryId).orderBy('id').pluck('id')
      ).map(Number);
      const rows = plans.flatMap((plan, i) =>
        plan.reactions.map((r) => ({
          document_id: createDocumentId(),
          delivery_id: deliveryId,
          delivery_log_id: logIds[i],
          contact_id: plan.contactId,
          tracked_link_id: r.type === 'click' ? linkId : null,
          type: r.type,
          at: r.at,
          device: 'unknown',
          is_bot: r.bot,
          is_machine_open: r.machine,
          created_at: r.at,
          updated_at: r.at,
          published_at: r.at,
        })),
      );
      events += rows.length;
      await insertChunks(knex, 'campaigns_tracking_logs', rows, chunk);
    }
    if (client === 'postgres') await knex.raw('VACUUM ANALYZE');
    const seedSeconds = ((Date.now() - seedStart) / 1000).toFixed(0);

    const documentIdOf = async (table, id) => (await knex(table).where('id', id).first('document_id')).document_id;
    const firstDelivery = await documentIdOf('campaigns_deliveries', deliveries[0].id);
    const lastDelivery = deliveries[deliveries.length - 1];
    const segments = [
      [
        'did not open any of the last 3 deliveries',
        { conditions: [{ kind: 'opened', scope: { type: 'last', count: 3 }, not: true }] },
      ],
      ['clicked in any of the last 10', { conditions: [{ kind: 'clicked', scope: { type: 'last', count: 10 } }] }],
      [
        'inactive for 5 days, in the list',
        {
          conditions: [
            { kind: 'inactive', days: 5 },
            { kind: 'list', list: list.documentId },
          ],
        },
      ],
      [
        'opened the first delivery or clicked the last one’s link (any)',
        {
          match: 'any',
          conditions: [
            { kind: 'opened', scope: { type: 'delivery', delivery: firstDelivery } },
            {
              kind: 'clickedLink',
              delivery: await documentIdOf('campaigns_deliveries', lastDelivery.id),
              link: await documentIdOf('campaigns_tracked_links', lastDelivery.linkId),
            },
          ],
        },
      ],
      [
        'did not open the last 3, machine opens counted',
        { includeMachine: true, conditions: [{ kind: 'opened', scope: { type: 'last', count: 3 }, not: true }] },
      ],
    ];
    const results = [];
    for (const [name, rules] of segments) {
      const durations = [];
      let size;
      for (let i = 0; i < RUNS; i += 1) {
        const start = process.hrtime.bigint();
        const res = await api('/campaigns/segments/evaluate').send({ rules });
        durations.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (res.status !== 200) throw new Error(`${name} answered ${res.status}: ${res.text}`);
        size = res.body.data.size;
      }
      durations.sort((a, b) => a - b);
      results.push({
        name,
        size,
        median: durations[Math.floor(durations.length / 2)],
        max: durations[durations.length - 1],
      });
    }

    const lines = [
      SECTION_START,
      `## Engagement segments (\`npm run bench:segments\`, ${client})`,
      '',
      `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} x ${os.cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}, Node ${process.version}, ${client}.`,
      `${CONTACTS.toLocaleString('en')} contacts, ${DELIVERIES} deliveries to all of them (${(CONTACTS * DELIVERIES).toLocaleString('en')} delivery logs), ${events.toLocaleString('en')} tracking events (seeded in ${seedSeconds} s).`,
      `Each segment counted ${RUNS} times through \`POST /campaigns/segments/evaluate\` (its size walked through the exclusions as preparation walks it, and its first 50 members); load average during the run: ${os.loadavg()[0].toFixed(1)}.`,
      '',
      '| segment | members | would get it | median (ms) | slowest (ms) |',
      '|---|---:|---:|---:|---:|',
      ...results.map(
        (r) =>
          `| ${r.name} | ${r.size.members.toLocaleString('en')} | ${r.size.recipients.toLocaleString('en')} | ${r.median.toFixed(0)} | ${r.max.toFixed(0)} |`,
      ),
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

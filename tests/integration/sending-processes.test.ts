// Two real Strapi processes on one PostgreSQL or MariaDB database send the same delivery: they share the work
// through row claims (FOR UPDATE SKIP LOCKED) and no message leaves twice.
import fs from 'fs';
import knexFactory, { type Knex } from 'knex';
import { createTestDatabase, currentDbClient, type TestDatabase } from '../helpers/databases';
import { api, importContacts, waitForStatus } from '../helpers/campaigns';
import { startStrapiProcess, type StrapiProcess } from '../helpers/processes';
import { registerAdmin } from '../helpers/strapi';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSmtpSink } = require('../helpers/smtp-sink');

const RECIPIENTS = 2000;
const client = currentDbClient();
const describeOnServerDatabases = client === 'sqlite' ? describe.skip : describe;

const connect = (db: TestDatabase): Knex =>
  knexFactory({
    client: db.client === 'postgres' ? 'pg' : 'mysql2',
    connection: {
      host: db.env.DATABASE_HOST,
      port: Number(db.env.DATABASE_PORT),
      user: db.env.DATABASE_USERNAME,
      password: db.env.DATABASE_PASSWORD,
      database: db.env.DATABASE_NAME,
    },
    pool: { min: 0, max: 1 },
  });

if (client === 'sqlite') {
  // SQLite has one writer per file: several Strapi processes on one SQLite database is not a supported setup.
  // eslint-disable-next-line no-console
  console.info('sending-processes: skipped on SQLite (run with CAMPAIGNS_TEST_DB=postgres or mysql)');
}

describeOnServerDatabases(`two Strapi processes sending one delivery on one ${client} database`, () => {
  let db: TestDatabase;
  let sink: any;
  const processes: StrapiProcess[] = [];
  let delivery: any;
  let sentBy: Array<{ claimed_by: string; count: number }>;
  let statuses: Array<{ status: string; count: number }>;

  beforeAll(async () => {
    db = await createTestDatabase();
    sink = await startSmtpSink();
    const env = {
      ...db.env,
      SMTP_HOST: sink.host,
      SMTP_PORT: String(sink.port),
      CAMPAIGNS_CONFIG: JSON.stringify({ smtp: { pool: 3 }, sending: { batchSize: 50 } }),
    };
    // One after the other: the first creates the schema.
    processes.push(await startStrapiProcess(env));
    processes.push(await startStrapiProcess(env));
    const [a, b] = processes;
    const token = await registerAdmin(a.url);
    const list = await importContacts(a.url, token, RECIPIENTS, 'Everyone');
    // A rate per process, so that one process alone could not finish before the other joins.
    const created = await api(a.url, token).post('/deliveries', {
      name: 'Shared work',
      subject: 'Hello {{firstName}}',
      html: '<p>Hello {{firstName}}</p>',
      lists: [list],
      sendRate: 250,
    });
    await api(a.url, token).post(`/deliveries/${created.body.data.documentId}/send`);
    delivery = await waitForStatus(b.url, token, created.body.data.documentId, ['sent', 'failed'], 120_000);

    const knex = connect(db);
    try {
      const logs = 'campaigns_delivery_logs';
      sentBy = (
        await knex(logs)
          .where('delivery_id', delivery.id)
          .where('status', 'sent')
          .groupBy('claimed_by')
          .select('claimed_by')
          .count({ count: '*' })
      ).map((row: any) => ({ claimed_by: row.claimed_by, count: Number(row.count) }));
      statuses = (
        await knex(logs).where('delivery_id', delivery.id).groupBy('status').select('status').count({ count: '*' })
      ).map((row: any) => ({
        status: row.status,
        count: Number(row.count),
      }));
    } finally {
      await knex.destroy();
    }
  });

  afterAll(async () => {
    for (const process of processes) await process.stop();
    await sink?.close();
    await db?.drop();
  });

  it('sends each message once: no Message-ID twice at the SMTP server, one message per recipient', () => {
    const ids = sink.messages.map((m: any) => m.messageId);
    expect(ids).toHaveLength(RECIPIENTS);
    expect(new Set(ids).size).toBe(RECIPIENTS);
    expect(new Set(sink.messages.map((m: any) => m.to[0])).size).toBe(RECIPIENTS);
  });

  it('ends with every log final and the delivery sent', () => {
    expect(delivery.status).toBe('sent');
    expect(statuses).toEqual([{ status: 'sent', count: RECIPIENTS }]);
  });

  it('shares the work: both processes sent part of the delivery', () => {
    expect(sentBy).toHaveLength(2);
    for (const { count } of sentBy) expect(count).toBeGreaterThan(RECIPIENTS * 0.1);
    fs.writeSync(1, `sending-processes (${client}): ${sentBy.map((s) => s.count).join(' + ')} messages\n`);
  });
});

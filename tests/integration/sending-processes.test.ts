// Two real Strapi processes on one PostgreSQL or MariaDB database send the same delivery: they share the work
// through row claims (FOR UPDATE SKIP LOCKED) and no message leaves twice. Then its recipients open and click
// through both processes at once: each process's recorder group-commits into the same delivery logs, and no event
// or count is lost.
import fs from 'fs';
import http from 'http';
import { connectTo, createTestDatabase, currentDbClient, type TestDatabase } from '../helpers/databases';
import { api, importContacts, waitForStatus } from '../helpers/campaigns';
import { startStrapiProcess, type StrapiProcess } from '../helpers/processes';
import { registerAdmin } from '../helpers/strapi';
import { createTokenSigner } from '../../server/src/platform/tokens';
const { startSmtpSink } = require('../helpers/smtp-sink');

const RECIPIENTS = 2000;
/** Recipients who open and click, through each process. */
const REACTING = 150;
const TOKEN_KEY = 'sending-processes-tracking-key';
const client = currentDbClient();
const describeOnServerDatabases = client === 'sqlite' ? describe.skip : describe;

if (client === 'sqlite') {
  // SQLite has one writer per file: several Strapi processes on one SQLite database is not a supported setup.
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
      CAMPAIGNS_CONFIG: JSON.stringify({ tokenKeys: [TOKEN_KEY], smtp: { pool: 3 }, sending: { batchSize: 50 } }),
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
      html: '<p>Hello {{firstName}}, see <a href="https://shop.example.test/spring">spring</a></p>',
      lists: [list],
      sendRate: 250,
    });
    await api(a.url, token).post(`/deliveries/${created.body.data.documentId}/send`);
    delivery = await waitForStatus(b.url, token, created.body.data.documentId, ['sent', 'failed'], 120_000);

    const knex = connectTo(db);
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

  it('stores every open and click either process answered, both writing the same logs at once', async () => {
    const knex = connectTo(db);
    try {
      const logIds = (
        await knex('campaigns_delivery_logs')
          .where('delivery_id', delivery.id)
          .orderBy('id')
          .limit(REACTING)
          .select('id')
      ).map((row: any) => Number(row.id));
      const [link] = await knex('campaigns_tracked_links').where({ delivery_id: delivery.id, kind: 'tracked' });
      const signer = createTokenSigner([TOKEN_KEY]);
      const deliveryId = Number(delivery.id);
      const urls = logIds.flatMap((deliveryLogId) =>
        processes.flatMap((p) => [
          `${p.url}/api/campaigns/o/${signer.sign({ kind: 'open', deliveryId, deliveryLogId })}`,
          `${p.url}/api/campaigns/c/${signer.sign({ kind: 'click', deliveryId, deliveryLogId, trackedLinkId: Number(link.id) })}`,
        ]),
      );
      const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
      const statusOf = (url: string) =>
        new Promise<number>((resolve) => {
          http
            .get(url, { agent }, (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            })
            .on('error', () => resolve(0));
        });
      const answers: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < urls.length) answers.push(await statusOf(urls[next++]));
        }),
      );
      agent.destroy();
      expect(answers.filter((status) => status === 200 || status === 302)).toHaveLength(urls.length);

      // An answered hit is a stored hit (tracking/fast-path.ts): nothing to wait for.
      const events = await knex('campaigns_tracking_logs')
        .where('delivery_id', delivery.id)
        .groupBy('type')
        .select('type')
        .count({ count: '*' });
      expect(Object.fromEntries(events.map((row: any) => [row.type, Number(row.count)]))).toEqual({
        open: REACTING * 2,
        click: REACTING * 2,
      });
      const counts = await knex('campaigns_delivery_logs')
        .whereIn('id', logIds)
        .where('opens', 2)
        .where('clicks', 2)
        .count({ count: '*' })
        .first();
      expect(Number(counts!.count)).toBe(REACTING);
    } finally {
      await knex.destroy();
    }
  });
});

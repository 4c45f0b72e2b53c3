// kill -9 of the Strapi process in the middle of a delivery, then a restart: the delivery finishes, no recipient
// receives a message twice, and the few whose message was in flight at the kill are marked "unknown".
//
// What happens to the messages in flight at the kill (README, "Crash safety"): each log is marked in flight (its
// sending_at is committed) before its message is handed to the SMTP server, and its outcome is committed as soon as
// the server accepts it. After the kill, the logs marked in flight with no outcome are the only ones in doubt: once
// their claim's lease lapses, they become "unknown" and are not sent again unless the editor asks for it
// (retry-failed with includeUnknown). Every other recipient was either sent (recorded) or never handed over.
import fs from 'fs';
import { createTestDatabase, type TestDatabase } from '../helpers/databases';
import { api, importContacts, waitForStatus } from '../helpers/campaigns';
import { startStrapiProcess, type StrapiProcess } from '../helpers/processes';
import { registerAdmin } from '../helpers/strapi';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSmtpSink } = require('../helpers/smtp-sink');

/** 2,000 by default; CAMPAIGNS_CRASH_RECIPIENTS changes it. */
const RECIPIENTS = Number(process.env.CAMPAIGNS_CRASH_RECIPIENTS ?? 2_000);
const KILL_AFTER = Math.floor(RECIPIENTS * 0.3);
/** smtp.pool: the messages in flight at once, so the most that can be in doubt. */
const POOL = 5;

const parseCsv = (text: string) => {
  const [header, ...lines] = text.trim().split('\r\n');
  const names = header.split(',');
  // No field of these logs holds a comma or a quote (emails, statuses, Message-IDs, dates).
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [names[i], value])));
};

describe('a Strapi process killed with kill -9 in the middle of a delivery', () => {
  let db: TestDatabase;
  let sink: any;
  let first: StrapiProcess | null = null;
  let second: StrapiProcess | null = null;
  let receivedAtKill = 0;
  let logs: Array<Record<string, string>>;
  let delivery: any;
  let token: string;
  let documentId: string;

  /** Message-IDs received by the sink, with how many copies of each. */
  const copiesById = () => {
    const copies = new Map<string, number>();
    for (const message of sink.messages) copies.set(message.messageId, (copies.get(message.messageId) ?? 0) + 1);
    return copies;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    sink = await startSmtpSink({
      onMessage: (_message: unknown, count: number) => {
        // Killed from the sink's own callback: the process dies with messages in flight, mid-batch.
        if (count === KILL_AFTER && first) {
          receivedAtKill = count;
          first.child.kill('SIGKILL');
        }
      },
    });
    const env = {
      ...db.env,
      SMTP_HOST: sink.host,
      SMTP_PORT: String(sink.port),
      CAMPAIGNS_CONFIG: JSON.stringify({ smtp: { pool: POOL }, sending: { leaseSeconds: 3, batchSize: 200 } }),
    };
    first = await startStrapiProcess(env);
    token = await registerAdmin(first.url);
    const list = await importContacts(first.url, token, RECIPIENTS, 'Everyone');
    const created = await api(first.url, token).post('/deliveries', {
      name: 'Crash test',
      subject: 'Hello {{firstName}}',
      html: '<p>Hello {{firstName}} {{lastName}}</p><p><a href="https://example.test/a">A link</a></p>',
      lists: [list],
    });
    expect(created.status).toBe(201);
    documentId = created.body.data.documentId;
    const sent = await api(first.url, token).post(`/deliveries/${documentId}/send`);
    expect(sent.status).toBe(200);

    const deadline = Date.now() + 120_000;
    while (!receivedAtKill) {
      if (Date.now() > deadline)
        throw new Error(`only ${sink.count()} messages arrived before the kill:\n${first.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await first.kill9();
    second = await startStrapiProcess(env);
    const restarted = second;
    delivery = await waitForStatus(restarted.url, token, documentId, ['sent', 'failed'], 120_000).catch((error) => {
      throw new Error(`${error.message}\n${restarted.output()}`);
    });
    const csv = await api(second.url, token).get(`/deliveries/${documentId}/logs?format=csv`);
    logs = parseCsv(csv.text);
  }, 300_000);

  afterAll(async () => {
    await first?.kill9();
    await second?.stop();
    await sink?.close();
    await db?.drop();
  });

  it('was killed while sending, with part of the delivery sent', () => {
    expect(receivedAtKill).toBe(KILL_AFTER);
  });

  it('delivers no message twice', () => {
    const copies = copiesById();
    const twice = [...copies].filter(([, count]) => count > 1).map(([id]) => id);
    fs.writeSync(
      1,
      `crash-resume (${db.client}): ${sink.count()} messages received for ${RECIPIENTS} recipients, ${twice.length} delivered twice\n`,
    );
    expect(twice).toEqual([]);
    const idsByRecipient = new Map<string, Set<string>>();
    for (const message of sink.messages)
      idsByRecipient.set(message.to[0], (idsByRecipient.get(message.to[0]) ?? new Set()).add(message.messageId));
    expect([...idsByRecipient].filter(([, ids]) => ids.size > 1)).toEqual([]);
  });

  it('finishes after the restart: every log sent, except the few in flight at the kill, marked unknown', () => {
    expect(delivery.status).toBe('sent');
    expect(logs).toHaveLength(RECIPIENTS);
    const unknown = logs.filter((log) => log.status === 'unknown');
    expect(logs.filter((log) => log.status !== 'sent' && log.status !== 'unknown')).toEqual([]);
    expect(unknown.length).toBeLessThanOrEqual(POOL);
    expect(delivery.counters).toMatchObject({
      targeted: RECIPIENTS,
      sent: RECIPIENTS - unknown.length,
      unknown: unknown.length,
      pending: 0,
    });
  });

  it('sent every recipient not in doubt exactly once, with the Message-ID stored on its log; the unknown ones once or not at all', () => {
    const copies = copiesById();
    const received = logs
      .filter((log) => log.status === 'unknown' && copies.has(log.messageId))
      .map((log) => log.email);
    const notReceived = logs
      .filter((log) => log.status === 'unknown' && !copies.has(log.messageId))
      .map((log) => log.email);
    fs.writeSync(
      1,
      `crash-resume (${db.client}): ${received.length + notReceived.length} unknown after the kill (pool ${POOL}): received ${JSON.stringify(received)}, not received ${JSON.stringify(notReceived)}\n`,
    );
    for (const log of logs.filter((l) => l.status === 'sent')) expect(copies.get(log.messageId)).toBe(1);
    for (const log of logs.filter((l) => l.status === 'unknown'))
      expect(copies.get(log.messageId) ?? 0).toBeLessThanOrEqual(1);
    expect(sink.count()).toBe(logs.filter((l) => l.status === 'sent').length + received.length);
  });

  it('re-sends the unknown ones only when asked, with their Message-ID', async () => {
    const unknown = logs.filter((log) => log.status === 'unknown');
    const before = sink.count();
    const plain = await api(second!.url, token).post(`/deliveries/${documentId}/retry-failed`, {});
    expect(plain.body.data).toEqual({ retried: 0 });
    const asked = await api(second!.url, token).post(`/deliveries/${documentId}/retry-failed`, {
      includeUnknown: true,
    });
    expect(asked.status).toBe(200);
    expect(asked.body.data).toEqual({ retried: unknown.length });
    const after = await waitForStatus(second!.url, token, documentId, ['sent'], 60_000);
    expect(after.counters).toMatchObject({ sent: RECIPIENTS, unknown: 0, pending: 0 });
    expect(sink.count()).toBe(before + unknown.length);
    const resentIds = sink.messages
      .slice(before)
      .map((message: any) => message.messageId)
      .sort();
    expect(resentIds).toEqual(unknown.map((log) => log.messageId).sort());
  });
});

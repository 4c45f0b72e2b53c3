// A relay that shuts down in the middle of a 10,000-recipient delivery, and a Strapi process killed with kill -9
// while the delivery is paused for it: after the restart the pause and its reason are still there, the probe keeps
// trying, and when the relay is back the delivery resumes by itself and ends sent, every recipient received exactly
// once and none failed.
import fs from 'fs';
import { createTestDatabase, type TestDatabase } from '../helpers/databases';
import { api, importContacts, waitForStatus } from '../helpers/campaigns';
import { startStrapiProcess, type StrapiProcess } from '../helpers/processes';
import { registerAdmin } from '../helpers/strapi';
const { startSmtpSink } = require('../helpers/smtp-sink');

/** 10,000 by default; CAMPAIGNS_OUTAGE_RECIPIENTS changes it. */
const RECIPIENTS = Number(process.env.CAMPAIGNS_OUTAGE_RECIPIENTS ?? 10_000);
const DOWN_AFTER = Math.floor(RECIPIENTS * 0.3);

interface SinkMessage {
  messageId: string | null;
  to: string[];
}

describe('a relay outage survives a kill -9 of Strapi while the delivery is paused', () => {
  let db: TestDatabase;
  // The sink is plain JavaScript (tests/helpers/smtp-sink.js): its shape is its JSDoc.
  const sinks: Array<{ messages: SinkMessage[]; port: number; close: () => Promise<void> }> = [];
  let first: StrapiProcess | null = null;
  let second: StrapiProcess | null = null;
  let token: string;
  let documentId: string;
  let pausedBeforeKill: Awaited<ReturnType<typeof waitForStatus>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    const sink = await startSmtpSink({
      onMessage: (_message: SinkMessage, count: number) => {
        // After this message's 250 has been written: the relay goes down between two answers.
        if (count === DOWN_AFTER) setImmediate(() => void sink.shutDown());
      },
    });
    sinks.push(sink);
    const env = {
      ...db.env,
      SMTP_HOST: sink.host,
      SMTP_PORT: String(sink.port),
      CAMPAIGNS_CONFIG: JSON.stringify({
        smtp: { pool: 5 },
        sending: {
          batchSize: 200,
          retryBaseMs: 100,
          maxAttempts: 3,
          outage: { pauseAfter: 5, probeFirstSeconds: 1, probeMaxSeconds: 2 },
        },
      }),
    };
    first = await startStrapiProcess(env);
    token = await registerAdmin(first.url);
    const list = await importContacts(first.url, token, RECIPIENTS, 'Everyone');
    const created = await api(first.url, token).post('/deliveries', {
      name: 'Outage and crash',
      subject: 'Hello {{firstName}}',
      html: '<p>Hello {{firstName}}</p>',
      lists: [list],
    });
    expect(created.status).toBe(201);
    documentId = created.body.data.documentId;
    expect((await api(first.url, token).post(`/deliveries/${documentId}/send`)).status).toBe(200);

    const running = first;
    pausedBeforeKill = await waitForStatus(first.url, token, documentId, ['paused', 'sent', 'failed'], 180_000).catch(
      (error) => {
        throw new Error(`${error.message}\n${running.output()}`);
      },
    );
    await first.kill9();
    second = await startStrapiProcess(env);
  }, 420_000);

  afterAll(async () => {
    await first?.kill9();
    await second?.stop();
    for (const sink of sinks) await sink.close().catch(() => undefined);
    await db?.drop();
  });

  it('paused for the outage with part of the delivery sent, nobody failed', () => {
    expect(pausedBeforeKill).toMatchObject({ status: 'paused', pauseReason: 'outage' });
    expect(pausedBeforeKill.counters).toMatchObject({ failedSoft: 0, failedHard: 0, unknown: 0 });
    expect(pausedBeforeKill.counters.sent).toBeGreaterThanOrEqual(DOWN_AFTER);
    expect(pausedBeforeKill.counters.sent).toBeLessThan(RECIPIENTS);
  });

  it('is still paused for the outage after the restart, the probe still trying', async () => {
    // Longer than the probe's interval: the new process has probed the relay, which is still down.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = (await api(second!.url, token).get(`/deliveries/${documentId}`)).body.data;
    expect(after).toMatchObject({
      status: 'paused',
      pauseReason: 'outage',
      outageSince: pausedBeforeKill.outageSince,
      nextProbeAt: expect.any(String),
    });
    expect(after.counters).toMatchObject({ sent: pausedBeforeKill.counters.sent, failedSoft: 0, failedHard: 0 });
  });

  it('resumes by itself when the relay is back and ends sent, each recipient received exactly once', async () => {
    sinks.push(await startSmtpSink({ port: sinks[0].port }));
    const done = await waitForStatus(second!.url, token, documentId, ['sent', 'failed'], 240_000);
    expect(done).toMatchObject({ status: 'sent', pauseReason: null, lastError: null });
    expect(done.counters).toMatchObject({
      targeted: RECIPIENTS,
      sent: RECIPIENTS,
      failedSoft: 0,
      failedHard: 0,
      unknown: 0,
      pending: 0,
    });
    const copies = new Map<string, number>();
    for (const message of sinks.flatMap((sink) => sink.messages))
      copies.set(message.to[0], (copies.get(message.to[0]) ?? 0) + 1);
    fs.writeSync(
      1,
      `outage-crash (${db.client}): ${sinks[0].messages.length} before the outage, ${sinks[1].messages.length} after it\n`,
    );
    expect(copies.size).toBe(RECIPIENTS);
    expect([...copies.values()].filter((count) => count !== 1)).toEqual([]);
  });
});

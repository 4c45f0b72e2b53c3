// Per-domain limits: a domain group paced at its rate while the other domains flow at full speed, and a domain that
// answers "rate limited" at RCPT TO rests and gets its messages later, nobody failed, paused or charged an attempt.
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import {
  allLogs,
  api,
  createContacts,
  createDelivery,
  createList,
  receivedPerRecipient,
  waitForStatus,
} from '../helpers/campaigns';

const SLOW = 8; // paced at 120 a minute: one every 500 ms
const FAST = 80;
const THROTTLED = 4;

describe('per-domain limits', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  /** When each address was accepted at RCPT TO, and how many "rate limited" answers its domain got. */
  const acceptedAt = new Map<string, number>();
  let throttleAnswers = 0;
  let firstThrottleAt = 0;

  beforeAll(async () => {
    smtp = await startTestSmtpServer({
      faults: (rcpt) => {
        // throttled.test says "too fast" to its first three tries, whoever they are for.
        if (rcpt.endsWith('@throttled.test') && throttleAnswers < 3) {
          throttleAnswers += 1;
          firstThrottleAt ||= Date.now();
          return { code: 421, message: '4.7.28 Our system has detected an unusual rate of mail: rate limited.' };
        }
        acceptedAt.set(rcpt, Date.now());
        return null;
      },
    });
    app = await bootTestApp({
      pluginConfig: {
        smtp: { host: smtp.host, port: smtp.port, pool: 3 },
        sending: {
          batchSize: 20,
          retryBaseMs: 50,
          domainLimits: [{ domains: ['slow.test', 'slow-too.test'], perMinute: 120 }],
          throttleBackoffSeconds: 1,
          outage: { pauseAfter: 2 },
        },
        defaultFrom: { name: 'Acme', email: 'news@acme.example.test' },
      },
    });
    token = await app.superAdminToken();
  }, 180_000);
  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('paces the limited group, lets the others flow, and rests a throttling domain without failing anyone', async () => {
    const list = await createList(app, token, 'Everyone');
    // Interleaved, as an audience is: the slow ones must not hold up those after them.
    const contacts = [
      ...Array.from({ length: SLOW }, (_, i) => ({ email: `s${i}@${i % 2 ? 'slow.test' : 'slow-too.test'}` })),
      ...Array.from({ length: THROTTLED }, (_, i) => ({ email: `t${i}@throttled.test` })),
      ...Array.from({ length: FAST }, (_, i) => ({ email: `f${i}@fast.test` })),
    ];
    await createContacts(app, token, contacts, [list]);
    const made = await createDelivery(app, token, { name: 'Paced', html: '<p>Hi</p>', lists: [list] });
    expect((await api(app, token).post(`/deliveries/${made.documentId}/send`)).status).toBe(200);

    const done = await waitForStatus(app, token, made.documentId, ['sent', 'failed', 'paused'], 60_000);
    expect(done).toMatchObject({ status: 'sent', pauseReason: null });
    expect(done.counters).toMatchObject({ sent: SLOW + FAST + THROTTLED, failedSoft: 0, failedHard: 0, pending: 0 });
    const received = receivedPerRecipient(made.documentId, [smtp]);
    expect(received.size).toBe(SLOW + FAST + THROTTLED);
    expect([...received.values()].every((count) => count === 1)).toBe(true);
    // The throttle cost nobody an attempt.
    expect(throttleAnswers).toBe(3);
    expect((await allLogs(app, token, made.documentId)).every((log) => log.attempts === 1)).toBe(true);

    // The group (both domains together) left one message every 500 ms: the slots are booked as messages leave, so
    // the server sees them spread over at least 6 intervals (each arrival may lag its slot by the send itself).
    const slowTimes = contacts
      .filter((c) => c.email.startsWith('s'))
      .map((c) => acceptedAt.get(c.email)!)
      .sort((a, b) => a - b);
    expect(slowTimes[SLOW - 1] - slowTimes[0]).toBeGreaterThanOrEqual((SLOW - 2) * 500);
    // The others were not held up: held behind the group, no fast.test message would arrive before the group's last;
    // the middle one must (the last one may lag on a loaded machine, and did at a load of 10).
    const fastTimes = contacts
      .filter((c) => c.email.startsWith('f'))
      .map((c) => acceptedAt.get(c.email)!)
      .sort((a, b) => a - b);
    expect(fastTimes[Math.floor(fastTimes.length / 2)]).toBeLessThan(slowTimes[SLOW - 1]);
    // The throttling domain rested (1 s) after its first refusal, then got its messages. Measured from the refusal
    // itself: the first slow message may leave later than it on a loaded database.
    const throttledTimes = contacts.filter((c) => c.email.startsWith('t')).map((c) => acceptedAt.get(c.email)!);
    expect(Math.min(...throttledTimes)).toBeGreaterThanOrEqual(firstThrottleAt + 900);
  });
});

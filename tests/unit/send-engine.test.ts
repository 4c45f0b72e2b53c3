// The send engine against an in-memory store and a fake messenger: every claimed recipient ends in one outcome,
// retries and failures are decided from the SMTP error, stop() loses nothing, the rate is honoured.
import { createDeliveryRun, outcomeOfFailure } from '../../server/src/sending/engine';
import { createRateLimiter } from '../../server/src/sending/rate-limiter';
import type { ClaimedRecipient, SendOutcome, SendStore } from '../../server/src/sending/types';
import { MessengerClosedError, type Messenger, type OutgoingMessage } from '../../server/src/sending/messengers/types';
import { exclusionFor, matchesFilter } from '../../server/src/sending/audience';
import { classifySendError } from '../../server/src/sending/smtp-failures';

const smtpError = (responseCode: number, response: string, command = 'RCPT TO') =>
  Object.assign(new Error(response), { responseCode, response, command, code: 'EENVELOPE' });

const memoryStore = (count: number) => {
  const pending = Array.from({ length: count }, (_, i) => i + 1);
  const outcomes: SendOutcome[] = [];
  const released: number[] = [];
  const claims: number[][] = [];
  let records = 0;
  /** Marked in flight (committed) and no outcome yet: what a crash would leave in doubt. */
  const inDoubt = new Set<number>();
  let maxInDoubt = 0;
  const store: SendStore = {
    async claim(_deliveryId, limit, messageIdFor) {
      const ids = pending.splice(0, limit);
      claims.push(ids);
      return ids.map((logId): ClaimedRecipient => ({
        logId,
        contactId: logId,
        messageId: messageIdFor(logId),
        attempts: 1,
        contact: { email: `r${logId}@example.test` },
      }));
    },
    async record(_deliveryId, batch, sending = []) {
      records += 1;
      outcomes.push(...batch);
      for (const outcome of batch) inDoubt.delete(outcome.logId);
      for (const id of sending) inDoubt.add(id);
      maxInDoubt = Math.max(maxInDoubt, inDoubt.size);
    },
    async release(ids) {
      released.push(...ids);
      for (const id of ids) inDoubt.delete(id);
    },
    async renew() {},
  };
  return { store, outcomes, released, claims, records: () => records, inDoubt, maxInDoubt: () => maxInDoubt };
};

const fakeMessenger = (behaviour: (message: OutgoingMessage) => Promise<void> | void = () => undefined) => {
  const sent: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const messenger: Messenger = {
    name: 'fake',
    async send(message) {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 2));
        await behaviour(message);
        sent.push(message.to);
        return { messageId: message.messageId };
      } finally {
        inFlight -= 1;
      }
    },
    async verify() {
      return { ok: true };
    },
    async close() {},
  };
  return { messenger, sent, maxInFlight: () => maxInFlight };
};

const messageFor = (r: ClaimedRecipient): OutgoingMessage => ({
  from: 'news@example.test',
  to: r.contact.email,
  subject: 'Hi',
  text: 'Hi',
  headers: {},
  messageId: r.messageId,
});

const run = (store: SendStore, messenger: Messenger, overrides: Record<string, unknown> = {}) =>
  createDeliveryRun({
    deliveryId: 1,
    store,
    messenger,
    render: messageFor,
    messageIdFor: (logId) => `<1.${logId}.x@example.test>`,
    concurrency: 3,
    batchSize: 10,
    maxAttempts: 3,
    retryBaseMs: 1000,
    leaseMs: 60_000,
    pauseAfter: 5,
    isActive: async () => true,
    ...overrides,
  });

describe('what a failed send becomes', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  const recipient = { logId: 7, contactId: 70 };
  it.each([
    [
      'a 451 on the first attempt is retried after the base delay',
      451,
      '4.3.0 Try later',
      1,
      { kind: 'retry', retryAt: new Date(now.getTime() + 1000) },
    ],
    [
      'a 451 on the second attempt waits twice as long',
      451,
      '4.3.0 Try later',
      2,
      { kind: 'retry', retryAt: new Date(now.getTime() + 2000) },
    ],
    [
      'a 451 on the last attempt fails as soft',
      451,
      '4.3.0 Try later',
      3,
      { kind: 'failed', quarantine: false, failure: expect.objectContaining({ failureType: 'soft' }) },
    ],
    [
      'a 550 user unknown fails as hard and quarantines',
      550,
      '5.1.1 User unknown',
      1,
      { kind: 'failed', quarantine: true, failure: expect.objectContaining({ failureReason: 'user_unknown' }) },
    ],
    [
      'a 553 unknown domain fails as hard and quarantines',
      553,
      '5.1.2 Domain not found',
      1,
      { kind: 'failed', quarantine: true, failure: expect.objectContaining({ failureReason: 'invalid_domain' }) },
    ],
    [
      'a 554 spam refusal fails as hard without quarantine',
      554,
      '5.7.1 Refused as spam',
      1,
      {
        kind: 'failed',
        quarantine: false,
        failure: expect.objectContaining({ failureType: 'hard', failureReason: 'refused' }),
      },
    ],
  ])('%s', (_name, code, response, attempts, expected) => {
    const failure = classifySendError(smtpError(code as number, `${code} ${response}`));
    expect(
      outcomeOfFailure({ ...recipient, attempts: attempts as number }, failure, {
        maxAttempts: 3,
        retryBaseMs: 1000,
        now,
      }),
    ).toMatchObject(expected as object);
  });
});

describe('a delivery run', () => {
  it('sends every claimed recipient exactly once, within the concurrency, and records every outcome', async () => {
    const memory = memoryStore(45);
    const fake = fakeMessenger();
    const summary = await run(memory.store, fake.messenger).done;
    expect(summary).toMatchObject({ claimed: 45, sent: 45, exhausted: true });
    expect(new Set(fake.sent).size).toBe(45);
    expect(fake.sent).toHaveLength(45);
    expect(fake.maxInFlight()).toBeLessThanOrEqual(3);
    expect(memory.outcomes.map((o) => o.logId).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 45 }, (_, i) => i + 1),
    );
    expect(memory.outcomes.every((o) => o.kind === 'sent')).toBe(true);
    // Group-committed: fewer writes than messages (each message has a mark and an outcome).
    expect(memory.records()).toBeLessThan(45);
  });

  it('hands a message to the messenger only once its mark is committed, and has at most one in doubt per worker', async () => {
    const memory = memoryStore(45);
    const unmarked: string[] = [];
    const fake = fakeMessenger((m) => {
      if (!memory.inDoubt.has(Number(/r(\d+)@/.exec(m.to)![1]))) unmarked.push(m.to);
    });
    await run(memory.store, fake.messenger).done;
    expect(fake.sent).toHaveLength(45);
    expect(unmarked).toEqual([]);
    expect(memory.maxInDoubt()).toBeGreaterThan(0);
    expect(memory.maxInDoubt()).toBeLessThanOrEqual(3);
    expect(memory.inDoubt.size).toBe(0);
  });

  it('does not send a message whose mark could not be written, and hands it back', async () => {
    const memory = memoryStore(5);
    const fake = fakeMessenger();
    const failing: SendStore = {
      ...memory.store,
      async record(id, batch, sending = []) {
        if (sending.length) throw new Error('database away');
        return memory.store.record(id, batch, sending);
      },
    };
    const summary = await run(failing, fake.messenger, { concurrency: 1 }).done;
    expect(fake.sent).toEqual([]);
    expect(summary).toMatchObject({ sent: 0, exhausted: false });
    expect(memory.released.sort()).toEqual([1, 2, 3, 4, 5]);
  }, 10_000);

  it('renders a message only once its mark is committed; one that cannot be rendered is never sent, its outcome written', async () => {
    const memory = memoryStore(4);
    const fake = fakeMessenger();
    const renderedMarked: boolean[] = [];
    const summary = await run(memory.store, fake.messenger, {
      render: (r: ClaimedRecipient): OutgoingMessage => {
        renderedMarked.push(memory.inDoubt.has(r.logId));
        if (r.logId === 3) throw new Error('variable "coupon" failed for this contact');
        return messageFor(r);
      },
    }).done;
    expect(renderedMarked).toEqual([true, true, true, true]);
    expect(fake.sent.sort()).toEqual(['r1@example.test', 'r2@example.test', 'r4@example.test']);
    // An error that is not the relay's is classified like any other: retried later, not left in doubt.
    expect(memory.outcomes.find((o) => o.logId === 3)).toMatchObject({ kind: 'retry' });
    expect(memory.inDoubt.size).toBe(0);
    expect(summary).toMatchObject({ sent: 3, retried: 1 });
  });

  it('records soft failures as retries and hard ones as failures', async () => {
    const memory = memoryStore(4);
    const fake = fakeMessenger((m) => {
      if (m.to === 'r2@example.test') throw smtpError(451, '451 4.3.0 Try later');
      if (m.to === 'r3@example.test') throw smtpError(550, '550 5.1.1 User unknown');
    });
    await run(memory.store, fake.messenger).done;
    const byLog = new Map(memory.outcomes.map((o) => [o.logId, o]));
    expect(byLog.get(1)).toMatchObject({ kind: 'sent' });
    expect(byLog.get(2)).toMatchObject({ kind: 'retry' });
    expect(byLog.get(3)).toMatchObject({ kind: 'failed', quarantine: true, contactId: 3 });
    expect(byLog.get(4)).toMatchObject({ kind: 'sent' });
  });

  it('on stop(), lets the messages in flight finish and be recorded, and releases the ones not started', async () => {
    const memory = memoryStore(30);
    const fake = fakeMessenger(() => new Promise((resolve) => setTimeout(resolve, 20)));
    const delivery = run(memory.store, fake.messenger);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const summary = await delivery.stop();
    const sentAtStop = fake.sent.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.sent.length).toBe(sentAtStop);
    expect(summary.exhausted).toBe(false);
    const recorded = memory.outcomes.map((o) => o.logId);
    expect(recorded.sort()).toEqual([...fake.sent].map((to) => Number(/r(\d+)@/.exec(to)![1])).sort());
    // Every claimed recipient is either recorded or released, never both, never neither.
    const claimed = memory.claims.flat();
    expect([...recorded, ...memory.released].sort((a, b) => a - b)).toEqual([...claimed].sort((a, b) => a - b));
  });

  it('stops claiming when the delivery is no longer active (paused, cancelled)', async () => {
    const memory = memoryStore(50);
    let active = true;
    const fake = fakeMessenger(() => {
      if (fake.sent.length >= 5) active = false;
    });
    const summary = await run(memory.store, fake.messenger, { isActive: async () => active }).done;
    expect(summary.exhausted).toBe(false);
    expect(memory.claims.length).toBeLessThan(5);
    expect(summary.sent + summary.released).toBe(summary.claimed);
  });

  it('hands recipients back, without counting an attempt, when the messenger was closed, and ends the run', async () => {
    const memory = memoryStore(20);
    const fake = fakeMessenger(() => {
      throw new MessengerClosedError('fake');
    });
    const summary = await run(memory.store, fake.messenger).done;
    expect(summary).toMatchObject({ sent: 0, failed: 0, retried: 0, exhausted: false });
    expect(memory.outcomes).toEqual([]);
    expect(memory.released.length).toBe(summary.claimed);
  });

  it('honours a send rate', async () => {
    const memory = memoryStore(11);
    const fake = fakeMessenger();
    const started = Date.now();
    await run(memory.store, fake.messenger, { limiter: createRateLimiter(50) }).done;
    // 11 messages at 50 per second: the last leaves 10 intervals of 20 ms after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
  });
});

describe('who the audience keeps', () => {
  const contact = (over: Record<string, unknown> = {}) => ({
    id: 1,
    email: 'ada@example.test',
    status: 'subscribed',
    locale: 'en',
    attributes: { plan: 'pro', seats: 3 },
    ...over,
  });
  it.each([
    ['no filter keeps everyone', undefined, contact(), true],
    ['a matching locale (any case)', { locale: 'EN' }, contact(), true],
    ['another locale', { locale: 'fr' }, contact(), false],
    ['a matching attribute', { attributes: { plan: 'pro' } }, contact(), true],
    ['a number attribute given as text', { attributes: { seats: '3' } }, contact(), true],
    ['a missing attribute', { attributes: { team: 'a' } }, contact(), false],
    ['every condition must hold', { locale: 'en', attributes: { plan: 'free' } }, contact(), false],
    ['a status filter', { status: 'unsubscribed' }, contact(), false],
  ])('%s', (_name, filter, candidate, expected) => {
    expect(matchesFilter(candidate as any, filter as any)).toBe(expected);
  });

  it.each([
    ['subscribed with a good address', contact(), null],
    ['unsubscribed', contact({ status: 'unsubscribed' }), 'unsubscribed'],
    ['quarantined', contact({ status: 'quarantined' }), 'quarantined'],
    ['bounced', contact({ status: 'bounced' }), 'bounced'],
    ['an address with two @', contact({ email: 'a@@example.test' }), 'invalid_address'],
  ])('excludes a contact who is %s', (_name, candidate, expected) => {
    expect(exclusionFor(candidate as any)).toBe(expected);
  });

  it.each([
    ['subscribed', contact(), 'suppressed'],
    ['unsubscribed (its own status comes first)', contact({ status: 'unsubscribed' }), 'unsubscribed'],
    ['quarantined (its own status comes first)', contact({ status: 'quarantined' }), 'quarantined'],
  ])('excludes a suppressed address whose contact is %s', (_name, candidate, expected) => {
    expect(exclusionFor(candidate as any, true)).toBe(expected);
  });
});

describe('when the relay fails rather than the recipient', () => {
  const refused = () =>
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ESOCKET', command: 'CONN' });

  it('hands the recipients back with their attempt undone, and stops after pauseAfter failures in a row', async () => {
    const { store, outcomes, released } = memoryStore(50);
    const { messenger } = fakeMessenger(() => {
      throw refused();
    });
    const summary = await run(store, messenger, { pauseAfter: 4, concurrency: 1 }).done;
    expect(summary.relayFailure).toMatchObject({ relay: 'outage', failureReason: 'not_connected' });
    expect(summary.relayFailed).toBe(4);
    // Nobody failed or spent a retry: the four tried and every other claimed recipient are pending again.
    expect(outcomes).toEqual([]);
    expect(new Set(released).size).toBe(summary.claimed);
  });

  it('counts failures in a row only: a message the relay accepts starts the count again', async () => {
    const { store, outcomes } = memoryStore(30);
    let calls = 0;
    const { messenger } = fakeMessenger(() => {
      calls += 1;
      if (calls % 3 !== 0) throw refused();
    });
    const summary = await run(store, messenger, { pauseAfter: 3, concurrency: 1 }).done;
    expect(summary.relayFailure).toBeNull();
    expect(summary.relayFailed).toBeGreaterThan(0);
    expect(outcomes.filter((outcome) => outcome.kind === 'sent')).toHaveLength(summary.sent);
    expect(outcomes.some((outcome) => outcome.kind !== 'sent')).toBe(false);
  });

  it('stops at the first refused login, whatever pauseAfter says', async () => {
    const { store, outcomes } = memoryStore(20);
    const { messenger } = fakeMessenger(() => {
      throw Object.assign(new Error('Invalid login: 535 5.7.8 Authentication credentials invalid'), {
        code: 'EAUTH',
        responseCode: 535,
        response: '535 5.7.8 Authentication credentials invalid',
        command: 'AUTH PLAIN',
      });
    });
    const summary = await run(store, messenger, { pauseAfter: 100, concurrency: 1 }).done;
    expect(summary.relayFailure).toMatchObject({ relay: 'login' });
    expect(summary.relayFailed).toBe(1);
    expect(outcomes).toEqual([]);
  });

  it('after a probe found the relay answering, a failure before any accepted message is the message’s: retried, no pause', async () => {
    const { store, outcomes } = memoryStore(3);
    const { messenger } = fakeMessenger(() => {
      throw refused();
    });
    const summary = await run(store, messenger, { pauseAfter: 1, concurrency: 1, relayJustProbed: true }).done;
    expect(summary.relayFailure).toBeNull();
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['retry', 'retry', 'retry']);
  });

  it('keeps a message the relay may have accepted as unknown, never hands it back, and counts it toward a pause', async () => {
    const { store, outcomes, released } = memoryStore(10);
    const { messenger } = fakeMessenger(() => {
      throw Object.assign(new Error('Connection closed unexpectedly'), {
        code: 'ECONNECTION',
        command: 'CONN',
        afterData: true,
      });
    });
    const summary = await run(store, messenger, { pauseAfter: 2, concurrency: 1 }).done;
    expect(summary.relayFailure).toMatchObject({ relay: 'outage', inDoubt: true });
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['unknown', 'unknown']);
    const inDoubt = outcomes.map((outcome) => outcome.logId);
    expect(released.filter((logId) => inDoubt.includes(logId))).toEqual([]);
  });
});

// The failover over several transports (server/src/sending/messengers/failover.ts), with transports that answer as
// told: the order they are tried in, how long a failing one rests, and which failures are never handed on.
import { createFailoverMessenger, type Transport } from '../../server/src/sending/messengers/failover';
import type { Messenger, OutgoingMessage } from '../../server/src/sending/messengers/types';

const message: OutgoingMessage = {
  from: 'news@acme.test',
  to: 'ada@example.test',
  subject: 'Hi',
  html: '<p>Hi</p>',
  headers: {},
  messageId: '<1@acme.test>',
};
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ECONNECTION' });
const userUnknown = () =>
  Object.assign(new Error('550 5.1.1 <ada@example.test>: User unknown'), {
    responseCode: 550,
    response: '550 5.1.1 <ada@example.test>: User unknown',
    command: 'RCPT TO',
  });
const droppedAfterData = () => Object.assign(new Error('Connection closed'), { code: 'ECONNECTION', afterData: true });

/** A transport whose next answers are scripted: an error to throw, or nothing to accept. */
const scripted = (label: string, answers: Array<Error | null>, calls: string[]): Transport => {
  const messenger: Messenger = {
    name: label,
    async send() {
      calls.push(label);
      const answer = answers.length > 1 ? answers.shift()! : answers[0];
      if (answer) throw answer;
      return { messageId: message.messageId };
    },
    verify: async () => (answers[0] ? { ok: false, error: `${label} down` } : { ok: true }),
    close: async () => undefined,
  };
  return { label, messenger };
};

describe('failover messenger', () => {
  let clock = 0;
  const options = { firstWaitMs: 30_000, maxWaitMs: 120_000, now: () => clock };
  beforeEach(() => {
    clock = 0;
  });

  it('sends through the first transport while it answers, and says which one sent', async () => {
    const calls: string[] = [];
    const failover = createFailoverMessenger(
      [scripted('main', [null], calls), scripted('backup', [null], calls)],
      options,
    );

    expect(await failover.send(message)).toEqual({ messageId: message.messageId, transport: 'main' });
    expect(calls).toEqual(['main']);
  });

  it('hands the message to the next one when the first fails as a relay, and lets the first rest, doubling', async () => {
    const calls: string[] = [];
    const changes: string[] = [];
    const failover = createFailoverMessenger(
      [scripted('main', [refused(), refused(), null], calls), scripted('backup', [null], calls)],
      { ...options, onChange: (label, state) => changes.push(`${label} ${state}`) },
    );

    expect((await failover.send(message)).transport).toBe('backup');
    clock = 29_999;
    expect((await failover.send(message)).transport).toBe('backup'); // main rests 30 s
    clock = 30_000;
    expect((await failover.send(message)).transport).toBe('backup'); // tried again, still failing: rests 60 s
    clock = 89_999;
    expect((await failover.send(message)).transport).toBe('backup');
    clock = 90_000;
    expect((await failover.send(message)).transport).toBe('main'); // back
    expect(calls).toEqual(['main', 'backup', 'backup', 'main', 'backup', 'backup', 'main']);
    expect(changes).toEqual(['main down', 'main up']);
  });

  it("throws a recipient's failure at once: another transport would get the same answer", async () => {
    const calls: string[] = [];
    const failover = createFailoverMessenger(
      [scripted('main', [userUnknown()], calls), scripted('backup', [null], calls)],
      options,
    );

    await expect(failover.send(message)).rejects.toThrow(/User unknown/);
    expect(calls).toEqual(['main']);
  });

  it('never hands on a message the relay may have accepted', async () => {
    const calls: string[] = [];
    const failover = createFailoverMessenger(
      [scripted('main', [droppedAfterData(), null], calls), scripted('backup', [null], calls)],
      options,
    );

    await expect(failover.send(message)).rejects.toThrow(/Connection closed/);
    expect(calls).toEqual(['main']);
    // The main relay rests: the next message goes to the backup.
    expect((await failover.send(message)).transport).toBe('backup');
  });

  it('throws the last failure when every transport fails, and verifies as soon as one answers', async () => {
    const calls: string[] = [];
    const failover = createFailoverMessenger(
      [scripted('main', [refused()], calls), scripted('backup', [refused()], calls)],
      options,
    );

    await expect(failover.send(message)).rejects.toThrow(/ECONNREFUSED/);
    expect(calls).toEqual(['main', 'backup']);
    expect(await failover.verify()).toEqual({ ok: false, error: 'main: main down; backup: backup down' });
  });
});

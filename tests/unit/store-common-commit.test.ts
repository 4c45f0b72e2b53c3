// Which commits of the send engine take the one-statement path (sending/store-common-commit.ts): the rest goes
// through the store's Knex transaction, which handles failures, Message-IDs from the relay and several transports.
import { isCommonCommit } from '../../server/src/sending/store-common-commit';
import type { SendOutcome } from '../../server/src/sending/types';

const sent = (logId: number, extra: Partial<Extract<SendOutcome, { kind: 'sent' }>> = {}): SendOutcome => ({
  kind: 'sent',
  logId,
  at: new Date(0),
  ...extra,
});

describe('isCommonCommit', () => {
  it('takes marks alone, plain sends alone, and both when they name different logs', () => {
    expect(isCommonCommit([], [1, 2])).toBe(true);
    expect(isCommonCommit([sent(1), sent(2)], [])).toBe(true);
    expect(isCommonCommit([sent(1, { transport: 'smtp' }), sent(2, { transport: 'smtp' })], [3, 4])).toBe(true);
  });

  it('leaves a commit with a failure, a retry or an unknown outcome to the transaction', () => {
    const failure = { failureType: 'hard', failureReason: 'user_unknown', message: '550' } as never;
    expect(
      isCommonCommit(
        [sent(1), { kind: 'failed', logId: 2, contactId: 2, failure, quarantine: false } as SendOutcome],
        [],
      ),
    ).toBe(false);
    expect(isCommonCommit([{ kind: 'retry', logId: 2, failure, retryAt: new Date() } as SendOutcome], [])).toBe(false);
    expect(isCommonCommit([{ kind: 'unknown', logId: 2, failure } as SendOutcome], [])).toBe(false);
  });

  it('leaves sends with the relay’s own Message-ID, or of two transports, to the transaction', () => {
    expect(isCommonCommit([sent(1, { messageId: '<relay@id>' })], [])).toBe(false);
    expect(isCommonCommit([sent(1, { transport: 'a' }), sent(2, { transport: 'b' })], [])).toBe(false);
    expect(isCommonCommit([sent(1), sent(2, { transport: 'b' })], [])).toBe(false);
  });

  it('never puts a mark and a send of the same log in one statement', () => {
    expect(isCommonCommit([sent(1), sent(2)], [2, 3])).toBe(false);
  });
});

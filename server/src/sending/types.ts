// The two narrow interfaces the send engine depends on (as listmonk's manager depends on a Store and a Messenger):
// a store that hands out recipients and takes results, and the Messenger (sending/messengers/types.ts) that delivers.
import type { RenderContact } from './template';
import type { SendFailure } from './smtp-failures';

/** One pending delivery log, claimed by this process: nobody else sends it while the claim is renewed. */
export interface ClaimedRecipient {
  logId: number;
  contactId: number | null;
  /** The Message-ID stored on the log before the message leaves (kept across retries and takeovers). */
  messageId: string;
  /** Attempts so far, this one included. */
  attempts: number;
  contact: RenderContact;
  /** Values of the app's template variables the message uses (computed for the whole batch when it was claimed). */
  variables?: Record<string, unknown>;
  /** Set when one of those variables failed for this recipient: the message is not sent, the failure is logged. */
  variableError?: string;
  /** The A/B test variant whose subject it gets (shared/ab-test.ts); null outside a test. */
  variant?: number | null;
}

export type SendOutcome =
  | {
      kind: 'sent';
      logId: number;
      at: Date;
      /** Only when the transport replaced ours. */ messageId?: string;
      /** Which of several transports sent it (messengers/failover.ts). */ transport?: string;
    }
  | { kind: 'retry'; logId: number; failure: SendFailure; retryAt: Date }
  /** The relay may or may not have accepted it (SendFailure.inDoubt): never sent again on its own. */
  | { kind: 'unknown'; logId: number; failure: SendFailure }
  | {
      kind: 'failed';
      logId: number;
      contactId: number | null;
      failure: SendFailure;
      /** Hard user unknown / invalid domain. */ quarantine: boolean;
    };

export interface SendStore {
  /** Claims up to `limit` pending logs of the delivery that are due and not claimed by a live process. */
  claim(deliveryId: number, limit: number, messageIdFor: (logId: number) => string): Promise<ClaimedRecipient[]>;
  /**
   * Writes a batch of outcomes, and marks the `sending` logs in flight (about to be handed to the relay), in one
   * transaction: a log marked in flight whose outcome never comes is 'unknown' after its claim lapses (store.ts).
   */
  record(deliveryId: number, outcomes: SendOutcome[], sending?: number[]): Promise<void>;
  /** Hands back claimed logs that were not sent (a pause, a shutdown): they are pending again, the attempt undone. */
  release(logIds: number[]): Promise<void>;
  /** Renews the claim on logs still queued or in flight, so no other process takes them over. */
  renew(logIds: number[]): Promise<void>;
}

/** Spaces sends to a rate (messages per second) shared by every worker of the process. */
export interface RateLimiter {
  /** Resolves when the next message may leave. */
  take(): Promise<void>;
}

// Several transports in order (config `fallbackTransports`): a message goes through the first one that is up. A
// transport that fails as a relay (down, refusing the session, our login or our sender: smtp-failures.ts) is left
// for a while, doubling from probeFirstSeconds up to probeMaxSeconds, and the same message is handed to the next one
// at once: the recipient loses nothing and the delivery does not pause while one transport still answers. A message
// the relay may already have accepted (inDoubt) is never handed to another: it could arrive twice. When every
// transport fails, the last failure goes to the send engine, which pauses the delivery as for a single relay
// (sending/outage.ts), and its probes (verify()) answer as soon as any transport does.
import { classifySendError } from '../smtp-failures';
import { createRateLimiter } from '../rate-limiter';
import type { RateLimiter } from '../types';
import type { Messenger, OutgoingMessage, SendResult, VerifyResult } from './types';

export interface Transport {
  /** Shown on the dashboard beside the messages it sent. */
  label: string;
  messenger: Messenger;
  /** Messages per second through this transport, whatever the deliveries ask for. */
  ratePerSecond?: number;
}

interface TransportState extends Transport {
  limiter: RateLimiter | null;
  /** Not tried before this time (ms) after a failure of the relay; 0 when up. */
  downUntil: number;
  /** The next wait after a failure: doubles while it keeps failing. */
  nextWaitMs: number;
}

export interface FailoverOptions {
  firstWaitMs: number;
  maxWaitMs: number;
  now?: () => number;
  /** Told when a transport goes down and when it comes back (the server log). */
  onChange?: (label: string, state: 'down' | 'up', reason?: string) => void;
}

export const createFailoverMessenger = (transports: Transport[], options: FailoverOptions): Messenger => {
  if (transports.length === 0) throw new Error('a failover messenger needs at least one transport');
  const now = options.now ?? Date.now;
  const states: TransportState[] = transports.map((transport) => ({
    ...transport,
    limiter: transport.ratePerSecond ? createRateLimiter(transport.ratePerSecond) : null,
    downUntil: 0,
    nextWaitMs: options.firstWaitMs,
  }));

  const markDown = (state: TransportState, reason: string) => {
    const wasUp = state.downUntil === 0;
    state.downUntil = now() + state.nextWaitMs;
    state.nextWaitMs = Math.min(state.nextWaitMs * 2, options.maxWaitMs);
    if (wasUp) options.onChange?.(state.label, 'down', reason);
  };
  const markUp = (state: TransportState) => {
    if (state.downUntil !== 0) options.onChange?.(state.label, 'up');
    state.downUntil = 0;
    state.nextWaitMs = options.firstWaitMs;
  };

  return {
    name: states.map((state) => state.label).join(' > '),

    async send(message: OutgoingMessage): Promise<SendResult> {
      // Up ones first, in order; then those still resting, in order: when all are down, each is tried once anyway.
      const order = [...states.filter((s) => s.downUntil <= now()), ...states.filter((s) => s.downUntil > now())];
      let lastError: unknown;
      for (const state of order) {
        if (state.limiter) await state.limiter.take();
        try {
          const result = await state.messenger.send(message);
          markUp(state);
          return { ...result, transport: state.label };
        } catch (error) {
          const failure = classifySendError(error);
          if (!failure.relay) throw error; // the recipient's failure: another transport would get the same answer
          markDown(state, failure.message);
          if (failure.inDoubt) throw error;
          lastError = error;
        }
      }
      throw lastError;
    },

    async verify(): Promise<VerifyResult> {
      const problems: string[] = [];
      for (const state of states) {
        const answer = await state.messenger.verify();
        if (answer.ok) {
          markUp(state);
          return answer;
        }
        problems.push(`${state.label}: ${answer.error}`);
      }
      return { ok: false, error: problems.join('; ') };
    },

    async close() {
      await Promise.all(states.map((state) => state.messenger.close()));
    },
  };
};

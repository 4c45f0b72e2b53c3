// A messenger that sends nothing and says why: its settings would give the SMTP password away (see
// sending/smtp-credentials.ts). Each message fails as our own session's problem (EAUTH), never the recipient's, and is
// retried with the sender's backoff once the settings are fixed.
import type { Messenger } from './types';

export const createRefusingMessenger = (name: string, reason: string): Messenger => ({
  name,
  send: async () => {
    throw Object.assign(new Error(reason), { code: 'EAUTH' });
  },
  verify: async () => ({ ok: false, error: reason }),
  close: async () => undefined,
});

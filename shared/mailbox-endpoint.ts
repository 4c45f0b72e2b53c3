// The bounce mailbox settings a password was entered for: like the SMTP password (shared/smtp-endpoint.ts), a saved
// IMAP password only goes to the host, port, user and TLS setting it was entered with, and the settings page asks
// for it again when one of them changes.
import type { PluginConfig } from './config-schema';

type MailboxSettings = PluginConfig['bounceMailbox'];

export const MAILBOX_ENDPOINT_KEYS = ['host', 'port', 'user', 'secure'] as const;
export type MailboxEndpoint = Pick<MailboxSettings, (typeof MAILBOX_ENDPOINT_KEYS)[number]>;

export const mailboxEndpointOf = (mailbox: MailboxEndpoint): MailboxEndpoint => ({
  host: mailbox.host,
  port: mailbox.port,
  user: mailbox.user,
  secure: mailbox.secure,
});

/** The endpoint settings that differ between the two (host names compared without case). */
export const changedMailboxKeys = (before: MailboxEndpoint, after: MailboxEndpoint): string[] =>
  MAILBOX_ENDPOINT_KEYS.filter((key) =>
    key === 'host'
      ? String(before.host).trim().toLowerCase() !== String(after.host).trim().toLowerCase()
      : before[key] !== after[key],
  );

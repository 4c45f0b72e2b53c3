// The IMAP connection of the bounce mailbox, and what its failures mean in words an admin can act on.
// The password is sent in clear text only to this machine: to any other host the connection is TLS from the start
// (`secure`) or must upgrade with STARTTLS before the login, as for the SMTP relay (sending/smtp-credentials.ts).
import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import type { PluginConfig } from '../../../shared/config-schema';
import { isLocalHost, redactPassword } from '../sending/smtp-credentials';

export type MailboxSettings = PluginConfig['bounceMailbox'];

const TIMEOUT_MS = 15_000;

export const connectionOptions = (mailbox: MailboxSettings): ImapFlowOptions => ({
  host: mailbox.host,
  port: mailbox.port,
  secure: mailbox.secure,
  ...(mailbox.secure || isLocalHost(mailbox.host) ? {} : { doSTARTTLS: true }),
  auth: { user: mailbox.user, pass: mailbox.pass },
  logger: false,
  connectionTimeout: TIMEOUT_MS,
  greetingTimeout: TIMEOUT_MS,
  socketTimeout: 5 * 60_000,
  disableAutoIdle: true,
});

/** A connected, logged-in client. */
export const openMailbox = async (mailbox: MailboxSettings): Promise<ImapFlow> => {
  if (!mailbox.host) throw new Error('no IMAP host is set (bounceMailbox.host)');
  if (!mailbox.user) throw new Error('no IMAP user is set (bounceMailbox.user)');
  if (!mailbox.pass)
    throw new Error(
      `no password for user "${mailbox.user}" at ${mailbox.host}:${mailbox.port}: enter it in the settings ` +
        '(a saved password is only sent to the host, port, user and TLS setting it was entered with)',
    );
  // Loaded by the first connection, not at every Strapi start (about 0.1 s), as most sites read no mailbox.
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow(connectionOptions(mailbox));
  // Without a listener, an error after the connection (a dropped socket) would be thrown from an event emitter.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    // A refused login leaves the socket open otherwise, one per failed reading or check.
    client.close();
    throw error;
  }
  return client;
};

/** Logs out, or drops the connection when the server no longer answers. */
export const closeMailbox = async (client: ImapFlow): Promise<void> => {
  try {
    await client.logout();
  } catch {
    client.close();
  }
};

/**
 * A folder as the server names it: the settings write sub-folders with '/', servers separate them with their own
 * character (Dovecot's maildir uses '.', which is why 'Bounces/Done' cannot be sent as it is).
 */
export const serverPath = (client: ImapFlow, folder: string): string => {
  const delimiter = client.namespace?.delimiter || '/';
  return folder.split('/').join(delimiter);
};

/** Creates the folder unless it exists (a report is never deleted: it is moved there); answers its server path. */
export const ensureFolder = async (client: ImapFlow, folder: string): Promise<string> => {
  const path = serverPath(client, folder);
  const folders = await client.list();
  if (!folders.some((entry) => entry.path === path)) await client.mailboxCreate(path);
  return path;
};

interface ImapFailure {
  message?: string;
  code?: string;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  responseText?: string;
}

/** One sentence: why the mailbox could not be read, without the password. */
export const describeMailboxError = (error: unknown, mailbox: MailboxSettings): string => {
  const failure = (error && typeof error === 'object' ? error : { message: String(error) }) as ImapFailure;
  const where = `${mailbox.host}:${mailbox.port}`;
  let text: string;
  if (failure.authenticationFailed)
    text = `the IMAP server at ${where} refused the login of "${mailbox.user}": ${failure.responseText ?? 'authentication failed'}`;
  else if (failure.tlsFailed) text = `no TLS with ${where}: ${failure.message ?? 'STARTTLS failed'}`;
  else if (failure.code && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ECONNRESET)$/.test(failure.code))
    text = `could not reach the IMAP server at ${where} (${failure.code})`;
  else text = failure.responseText ?? failure.message ?? 'unknown error';
  return redactPassword(text, { user: mailbox.user, pass: mailbox.pass });
};

// A real SMTP server on 127.0.0.1 for tests: records every message it accepts and answers faults on demand.
//
// Timing note (smtp-server 3.21): every new connection waits a fixed 100 ms before the 220 greeting, to catch
// clients that talk before being greeted (SMTPConnection.init: `setTimeout(() => this.connectionReady(), 100)`).
// There is no option to shorten it; count ~100 ms per new connection (a pooled transport pays it once per
// connection, not per message). The reverse DNS lookup of the client, which may add up to 1.5 s, does have an
// option: disableReverseLookup, set below.
import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/**
 * What the server answers for one RCPT TO: accept (null), an SMTP error, a dropped connection, or a message taken
 * whole and kept, then the connection dropped before the answer to its end of data ('drop-after-data').
 */
export type SmtpFault =
  | null
  | 'drop'
  | 'drop-after-data'
  | {
      code: number;
      /** The reply text after the code, with its enhanced status code if wanted: "5.1.1 <x@y>: User unknown". */
      message: string;
      /** Answer at RCPT TO (default) or only after the whole message was sent (end of DATA). */
      at?: 'rcpt' | 'data';
    };

export interface TestSmtpServerOptions {
  /** Decides the answer to each RCPT TO; attempt counts the RCPT TO commands seen for this address, from 1. */
  faults?: (rcpt: string, attempt: number) => SmtpFault;
  /** Require AUTH with these credentials (AUTH is optional otherwise). */
  auth?: { user: string; pass: string };
  /** The text after 535 when AUTH is refused; a server may quote what it was given. */
  authRefusal?: (given: { user: string; pass: string }) => string;
  /** The address to listen on: any of 127.0.0.0/8 on Linux, or one of this machine's other addresses. */
  host?: string;
  /** The port to listen on (a relay coming back where it was); any free one by default. */
  port?: number;
}

export type ParsedMessage = ParsedMail & {
  envelopeFrom: string;
  envelopeTo: string[];
  /** The message exactly as received, to check headers byte for byte. */
  raw: string;
};

export interface TestSmtpServer {
  host: string;
  port: number;
  /** Every AUTH the server received, accepted or not: what a client gave away to it. */
  authAttempts: Array<{ user: string; pass: string }>;
  /** Accepted messages, in the order their DATA completed. */
  messages: ParsedMessage[];
  /** Resolves once `count` messages were accepted; rejects after timeoutMs. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** How many RCPT TO commands named this address (accepted or not). */
  attemptsFor(rcpt: string): number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

const smtpError = (code: number, message: string): Error & { responseCode: number } =>
  Object.assign(new Error(message), { responseCode: code });

const readAll = async (stream: NodeJS.ReadableStream): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
};

export const startTestSmtpServer = async (options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> => {
  const messages: ParsedMessage[] = [];
  const authAttempts: Array<{ user: string; pass: string }> = [];
  const attempts = new Map<string, number>();
  const waiters = new Set<() => void>();
  // Faults to answer at the end of DATA, by session id.
  const dataFaults = new Map<string, { code: number; message: string } | 'drop'>();
  // The raw sockets by client port, so that a 'drop' fault can cut the connection like a crashing server would.
  const sockets = new Map<number, net.Socket>();

  const server = new SMTPServer({
    authOptional: !options.auth,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    // Without TLS, AUTH must be allowed in clear text on this loopback-only server.
    allowInsecureAuth: true,
    disableReverseLookup: true,
    closeTimeout: 50,
    logger: false,
    onAuth(auth, _session, callback) {
      const given = { user: String(auth.username), pass: String(auth.password) };
      authAttempts.push(given);
      if (options.auth && given.user === options.auth.user && given.pass === options.auth.pass) {
        return callback(null, { user: auth.username });
      }
      return callback(smtpError(535, options.authRefusal?.(given) ?? '5.7.8 Authentication credentials invalid'));
    },
    onRcptTo(address, session, callback) {
      const rcpt = address.address.toLowerCase();
      const attempt = (attempts.get(rcpt) ?? 0) + 1;
      attempts.set(rcpt, attempt);
      const fault = options.faults?.(rcpt, attempt) ?? null;
      if (fault === null) return callback();
      if (fault === 'drop') {
        sockets.get(session.remotePort)?.destroy();
        return undefined; // never answered: the client sees the connection close
      }
      if (fault === 'drop-after-data') {
        dataFaults.set(session.id, 'drop');
        return callback();
      }
      if (fault.at === 'data') {
        dataFaults.set(session.id, { code: fault.code, message: fault.message });
        return callback();
      }
      return callback(smtpError(fault.code, fault.message));
    },
    onData(stream, session: SMTPServerSession, callback) {
      readAll(stream)
        .then(async (raw) => {
          const fault = dataFaults.get(session.id);
          dataFaults.delete(session.id);
          if (fault && fault !== 'drop') return callback(smtpError(fault.code, fault.message));
          const parsed = await simpleParser(raw);
          const mailFrom = session.envelope.mailFrom;
          messages.push(
            Object.assign(parsed, {
              envelopeFrom: mailFrom ? mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              raw: raw.toString('utf8'),
            }),
          );
          waiters.forEach((check) => check());
          if (fault === 'drop') {
            sockets.get(session.remotePort)?.destroy();
            return undefined; // kept, never answered
          }
          // Answered only once recorded: when the client's send() resolves, the message is already in `messages`.
          return callback();
        })
        .catch((err: Error) =>
          callback(smtpError(451, `4.3.0 Test server could not parse the message: ${err.message}`)),
        );
    },
  });

  server.server.on('connection', (socket: net.Socket) => {
    const port = socket.remotePort;
    if (port === undefined) return;
    sockets.set(port, socket);
    socket.once('close', () => sockets.delete(port));
  });
  server.on('error', () => {
    // A dropped or reset client connection is an expected event in these tests, not a test failure.
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? HOST, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('test SMTP server did not get a TCP port');

  return {
    host: options.host ?? HOST,
    port: address.port,
    authAttempts,
    messages,
    attemptsFor: (rcpt) => attempts.get(rcpt.toLowerCase()) ?? 0,
    waitFor: (count, timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`test SMTP server: ${messages.length} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        // Pooled clients keep idle connections open: after closeTimeout (50 ms) the server answers them
        // "421 Server shutting down", closes them and calls back.
        server.close(() => resolve());
      }),
  };
};

/**
 * A port on 127.0.0.1 with nothing listening, for "the SMTP server is down" tests: a port the OS just handed out
 * and that was released at once. Another process could take it in between, which is unlikely enough for a test.
 */
export const closedPort = async (): Promise<number> => {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, HOST, () => resolve());
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('could not reserve a TCP port');
  return address.port;
};

// A real IMAP server for tests: a private Dovecot (Debian's dovecot-imapd, installed by .ci/run) with its own
// configuration, mail and sockets in a temporary directory, listening on a free port of 127.0.0.1 with plaintext
// login allowed, and one user from a passwd file. It never reads /etc/dovecot, so a system Dovecot started by the
// package (port 143) and this one ignore each other.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { ImapFlow } from 'imapflow';
import { closedPort } from './smtp-server';

export interface TestImapServer {
  host: string;
  port: number;
  user: string;
  pass: string;
  /** A logged-in client for the test's own checks and appends; logged out by close(). */
  client: () => Promise<ImapFlow>;
  /** Adds a raw message to a folder (created if missing). Folders are named with '/' between levels. */
  append: (folder: string, raw: string | Buffer) => Promise<void>;
  /** How many messages a folder holds (0 when it does not exist). */
  count: (folder: string) => Promise<number>;
  /** The logins tried on this server, right or wrong (from Dovecot's log). */
  loginAttempts: () => string[];
  /** The raw messages of a folder, oldest first. */
  messages: (folder: string) => Promise<string[]>;
  close: () => Promise<void>;
}

const waitForGreeting = async (port: number, child: ChildProcess, output: () => string, timeoutMs = 15_000) => {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`dovecot exited (${child.exitCode}):\n${output()}`);
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(1000, () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('* OK'));
      });
      socket.once('error', () => resolve(false));
    });
    if (greeted) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`dovecot did not answer on port ${port}:\n${output()}`);
};

export const startTestImapServer = async (
  credentials: { user: string; pass: string } = { user: 'bounces', pass: 'mailbox-secret' },
): Promise<TestImapServer> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-imap-'));
  // Dovecot's unprivileged login processes reach their sockets under it.
  fs.chmodSync(dir, 0o755);
  const port = await closedPort();
  // Dovecot refuses to keep mail as root: as root (CI), the mail belongs to the dovecot user its package created.
  const me = os.userInfo();
  const mailUid = me.uid === 0 ? Number(execFileSync('id', ['-u', 'dovecot']).toString().trim()) : me.uid;
  const mailGid = me.uid === 0 ? Number(execFileSync('id', ['-g', 'dovecot']).toString().trim()) : me.gid;
  fs.mkdirSync(path.join(dir, 'run'));
  fs.mkdirSync(path.join(dir, 'mail'));
  fs.chownSync(path.join(dir, 'mail'), mailUid, mailGid);
  fs.writeFileSync(path.join(dir, 'users'), `${credentials.user}:{PLAIN}${credentials.pass}::::::\n`);
  const config = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(
    config,
    [
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/run`,
      `instance_name = campaigns-test-${port}`,
      `log_path = ${dir}/dovecot.log`,
      'protocols = imap',
      'first_valid_uid = 1',
      'first_valid_gid = 1',
      'listen = 127.0.0.1',
      'ssl = no',
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      // As root (CI), Dovecot's own processes run as the users its package created; otherwise as whoever runs the
      // tests.
      ...(me.uid === 0
        ? ['default_internal_user = dovecot', 'default_internal_group = dovecot', 'default_login_user = dovenull']
        : [
            `default_internal_user = ${me.username}`,
            `default_internal_group = ${me.username}`,
            `default_login_user = ${me.username}`,
          ]),
      `mail_location = maildir:${dir}/mail/%u`,
      'passdb {',
      '  driver = passwd-file',
      `  args = scheme=PLAIN ${dir}/users`,
      '}',
      'userdb {',
      '  driver = static',
      `  args = uid=${mailUid} gid=${mailGid} home=${dir}/mail/%u`,
      '}',
      'service imap-login {',
      '  inet_listener imap {',
      `    port = ${port}`,
      '  }',
      '  inet_listener imaps {',
      '    port = 0',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  // Debian installs it in /usr/sbin, which a non-root PATH may leave out.
  const binary = fs.existsSync('/usr/sbin/dovecot') ? '/usr/sbin/dovecot' : 'dovecot';
  // Its output goes to a file, not a pipe: Dovecot's other processes (log, auth, config) keep inherited pipes open after the master
  // exits, which would keep the test process alive.
  const output = fs.openSync(path.join(dir, 'output.log'), 'a');
  const child = spawn(binary, ['-F', '-c', config], { stdio: ['ignore', output, output] });
  fs.closeSync(output);
  const read = (name: string) => {
    const file = path.join(dir, name);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').slice(-10_000) : '';
  };
  const log = () => `${read('output.log')}${read('dovecot.log')}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForGreeting(port, child, log);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  const clients: ImapFlow[] = [];
  const client = async () => {
    const imap = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: credentials, logger: false });
    imap.on('error', () => undefined);
    await imap.connect();
    clients.push(imap);
    return imap;
  };
  let shared: ImapFlow | null = null;
  // Dovecot's maildir separates levels with '.'.
  const named = (folder: string) => folder.split('/').join('.');
  const own = async () => {
    if (!shared || !shared.usable) shared = await client();
    return shared;
  };

  return {
    host: '127.0.0.1',
    port,
    ...credentials,
    client,
    async append(name, raw) {
      const imap = await own();
      const folder = named(name);
      if (!(await imap.list()).some((entry) => entry.path === folder)) await imap.mailboxCreate(folder);
      await imap.append(folder, raw);
    },
    async count(name) {
      const imap = await own();
      const folder = named(name);
      if (!(await imap.list()).some((entry) => entry.path === folder)) return 0;
      const status = await imap.status(folder, { messages: true });
      return status ? (status.messages ?? 0) : 0;
    },
    async messages(name) {
      const imap = await own();
      const folder = named(name);
      if (!(await imap.list()).some((entry) => entry.path === folder)) return [];
      const lock = await imap.getMailboxLock(folder);
      try {
        const found = await imap.fetchAll('1:*', { source: true });
        return found.map((message) => message.source?.toString('utf8') ?? '');
      } catch {
        return [];
      } finally {
        lock.release();
      }
    },
    loginAttempts: () => log().match(/imap-login: .*user=<[^>]+>.*/g) ?? [],
    async close() {
      await Promise.allSettled(clients.map((imap) => imap.logout()));
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};

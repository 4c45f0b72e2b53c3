// Real Strapi processes for tests (strapi-process.js): start, stop, kill -9. Drive one over HTTP with the helpers of
// campaigns.ts and strapi.ts, given its `url`.
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import { closedPort } from './smtp-server';

export interface StrapiProcess {
  url: string;
  child: ChildProcess;
  /** What the process wrote on stdout and stderr (the last 20 KB), for failure messages. */
  output: () => string;
  /** SIGKILL: no shutdown hook runs, like a crash. */
  kill9: () => Promise<void>;
  /** SIGTERM: Strapi's destroy runs (the sender flushes and releases its claims). */
  stop: () => Promise<void>;
}

const SCRIPT = path.join(__dirname, 'strapi-process.js');

export const startStrapiProcess = async (env: Record<string, string>, timeoutMs = 90_000): Promise<StrapiProcess> => {
  const port = await closedPort();
  const child = spawn(process.execPath, [SCRIPT], {
    env: {
      ...process.env,
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      NODE_ENV: 'test',
      ADMIN_RATE_LIMIT: 'false',
      JEST_WORKER_ID: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stderr!.on('data', keep);
  child.stdout!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Strapi process not ready after ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    // Until the ready line only: a process that runs for an hour would otherwise keep all it ever printed.
    let out = '';
    const watch = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('CAMPAIGNS_READY')) {
        child.stdout!.off('data', watch);
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', watch);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Strapi process exited with ${code} before it was ready:\n${output}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    kill9: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
};

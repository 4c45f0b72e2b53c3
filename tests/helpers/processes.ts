// Real Strapi processes for tests (strapi-process.js): start, stop, kill -9, and drive them over HTTP.
import path from 'path';
import { spawn, type ChildProcess } from 'child_process';
import request from 'supertest';
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
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port), NODE_ENV: 'test', ADMIN_RATE_LIMIT: 'false', JEST_WORKER_ID: '' },
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
    const timer = setTimeout(() => reject(new Error(`Strapi process not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk.toString();
      if (out.includes('CAMPAIGNS_READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
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

/** Admin API of a running process. */
export const adminApi = (url: string, token: string) => ({
  get: (p: string) => request(url).get(`/campaigns${p}`).set('Authorization', `Bearer ${token}`),
  post: (p: string, body: unknown = {}) => request(url).post(`/campaigns${p}`).set('Authorization', `Bearer ${token}`).send(body as object),
});

export const registerAdmin = async (url: string): Promise<string> => {
  const res = await request(url)
    .post('/admin/register-admin')
    .send({ email: 'admin@campaigns.test', firstname: 'Ada', lastname: 'Admin', password: 'Campaigns-Test-1' });
  if (res.status !== 200 && res.status !== 201) throw new Error(`register-admin answered ${res.status}: ${res.text}`);
  return res.body.data.token;
};

/** Imports `count` contacts (recipient0@load.test ...) into a new list through the CSV import; returns the list id. */
export const importContacts = async (url: string, token: string, count: number, listName: string): Promise<string> => {
  const rows = ['email,firstName,lastName'];
  for (let i = 0; i < count; i += 1) rows.push(`recipient${i}@load.test,First${i},Last${i}`);
  const res = await request(url)
    .post('/campaigns/contacts/import')
    .set('Authorization', `Bearer ${token}`)
    .field('newList', listName)
    .attach('file', Buffer.from(rows.join('\n')), 'contacts.csv');
  if (res.status !== 202) throw new Error(`import answered ${res.status}: ${res.text}`);
  const jobId = res.body.data.id;
  for (;;) {
    const job = (await adminApi(url, token).get(`/contacts/imports/${jobId}`)).body.data;
    if (job.status === 'done') {
      if (job.created !== count) throw new Error(`import created ${job.created} of ${count} contacts`);
      return job.list.documentId;
    }
    if (job.status === 'failed') throw new Error(`import failed: ${job.error}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

/** Polls a delivery over HTTP until its status is one of `statuses`. */
export const waitForDeliveryStatus = async (url: string, token: string, documentId: string, statuses: string[], timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = (await adminApi(url, token).get(`/deliveries/${documentId}`)).body.data;
    if (last && statuses.includes(last.status)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`delivery still ${last?.status} after ${timeoutMs} ms: ${JSON.stringify(last?.counters)}`);
};

// Helpers for tests that drive deliveries through the admin API: audiences, deliveries, waiting for a status. Each
// takes the app booted in the test process (strapi.ts) or the URL of a Strapi process (processes.ts).
import request from 'supertest';
import type { TestApp } from './strapi';
import type { ParsedMessage } from './smtp-server';

/** The app booted in the test process, or the base URL of a running Strapi process. */
export type Target = TestApp | string;

const http = (target: Target) => (typeof target === 'string' ? request(target) : target.http());

/** A Strapi API token (Settings > API Tokens) made by an admin: its access key. */
export const createApiToken = async (target: Target, adminToken: string, body: Record<string, unknown>) => {
  const res = await http(target)
    .post('/admin/api-tokens')
    .set('Authorization', `Bearer ${adminToken}`)
    .send({ lifespan: null, description: '', ...body });
  if (res.status !== 201) throw new Error(`API token not created: ${res.status} ${res.text}`);
  return res.body.data.accessKey as string;
};

export interface ContactSeed {
  email: string;
  firstName?: string;
  lastName?: string;
  status?: 'subscribed' | 'unsubscribed' | 'bounced' | 'quarantined';
  attributes?: Record<string, unknown>;
  locale?: string;
}

export const api = (target: Target, token: string) => ({
  get: (path: string) => http(target).get(`/campaigns${path}`).set('Authorization', `Bearer ${token}`),
  post: (path: string, body: unknown = {}) =>
    http(target)
      .post(`/campaigns${path}`)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object),
  put: (path: string, body: unknown = {}) =>
    http(target)
      .put(`/campaigns${path}`)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object),
  delete: (path: string) => http(target).delete(`/campaigns${path}`).set('Authorization', `Bearer ${token}`),
});

const expectStatus = (res: { status: number; text: string }, expected: number, what: string) => {
  if (res.status !== expected) throw new Error(`${what} answered ${res.status}: ${res.text}`);
};

export const createList = async (app: Target, token: string, name: string): Promise<string> => {
  const res = await api(app, token).post('/lists', { name });
  expectStatus(res, 201, `POST /lists ${name}`);
  return res.body.data.documentId;
};

/** Creates the contacts through the API, each in the given lists. */
export const createContacts = async (app: Target, token: string, contacts: ContactSeed[], lists: string[]) => {
  const ids: string[] = [];
  for (const contact of contacts) {
    const res = await api(app, token).post('/contacts', { ...contact, lists });
    expectStatus(res, 201, `POST /contacts ${contact.email}`);
    ids.push(res.body.data.documentId);
  }
  return ids;
};

/** Imports `count` contacts (recipient0@load.test ...) into a new list through the CSV import; returns the list id. */
export const importContacts = async (
  target: Target,
  token: string,
  count: number,
  listName: string,
): Promise<string> => {
  const rows = ['email,firstName,lastName'];
  for (let i = 0; i < count; i += 1) rows.push(`recipient${i}@load.test,First${i},Last${i}`);
  const res = await http(target)
    .post('/campaigns/contacts/import')
    .set('Authorization', `Bearer ${token}`)
    .field('newList', listName)
    .attach('file', Buffer.from(rows.join('\n')), 'contacts.csv');
  expectStatus(res, 202, 'POST /contacts/import');
  const jobId = res.body.data.id;
  for (;;) {
    const job = (await api(target, token).get(`/contacts/imports/${jobId}`)).body.data;
    if (job.status === 'done') {
      if (job.created !== count) throw new Error(`import created ${job.created} of ${count} contacts`);
      return job.list.documentId as string;
    }
    if (job.status === 'failed') throw new Error(`import failed: ${job.error}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

export const createDelivery = async (app: Target, token: string, body: Record<string, unknown>) => {
  const res = await api(app, token).post('/deliveries', {
    name: 'Spring news',
    subject: 'Hello {{firstName}}',
    ...body,
  });
  expectStatus(res, 201, 'POST /deliveries');
  return res.body.data as { documentId: string; id: number; status: string };
};

/** Polls the delivery until its status is one of `statuses`. */
export const waitForStatus = async (
  app: Target,
  token: string,
  documentId: string,
  statuses: string[],
  timeoutMs = 30_000,
) => {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    const res = await api(app, token).get(`/deliveries/${documentId}`);
    last = res.body.data;
    if (last && statuses.includes(last.status)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `delivery ${documentId} still ${last?.status} after ${timeoutMs} ms (wanted ${statuses.join(' or ')}): ${JSON.stringify(last?.counters)}`,
  );
};

/** Every log of a delivery, through the API. */
export const allLogs = async (app: Target, token: string, documentId: string, filter = '') => {
  const logs: any[] = [];
  for (let page = 1; ; page += 1) {
    const res = await api(app, token).get(`/deliveries/${documentId}/logs?pageSize=500&page=${page}${filter}`);
    expectStatus(res, 200, 'GET logs');
    logs.push(...res.body.data);
    if (page >= res.body.meta.pagination.pageCount) return logs;
  }
};

/** A header line as received, unfolded (mailparser turns List-* headers into objects). */
export const rawHeader = (message: ParsedMessage, name: string): string | undefined => {
  const line = message.headerLines.find((header) => header.key === name.toLowerCase())?.line;
  return line
    ?.slice(name.length + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .trim();
};

/** How many messages of a delivery each recipient got, over every server given (a relay that came back, a fallback). */
export const receivedPerRecipient = (documentId: string, servers: Array<{ messages: ParsedMessage[] }>) => {
  const counts = new Map<string, number>();
  for (const message of servers.flatMap((server) => server.messages)) {
    if (rawHeader(message, 'X-Campaigns-Delivery') !== documentId) continue;
    for (const to of message.envelopeTo) counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
};

/** The pixel and the first tracked link of a received message, as paths of the app (its public URL taken off). */
export const trackingPathsOf = (message: ParsedMessage, publicUrl: string) => {
  const html = message.html as string;
  const pathOf = (url: string) => url.slice(publicUrl.length);
  return {
    pixel: pathOf(/<img src="([^"]+\/api\/campaigns\/o\/[^"]+)"/.exec(html)![1]),
    click: pathOf(/href="([^"]+\/api\/campaigns\/c\/[^"]+)"/.exec(html)![1].replace(/&amp;/g, '&')),
  };
};

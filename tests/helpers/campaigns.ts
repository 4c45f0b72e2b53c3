// Helpers for tests that drive deliveries through the admin API: audiences, deliveries, waiting for a status.
import type { TestApp } from './strapi';
import type { ParsedMessage } from './smtp-server';

export interface ContactSeed {
  email: string;
  firstName?: string;
  lastName?: string;
  status?: 'subscribed' | 'unsubscribed' | 'bounced' | 'quarantined';
  attributes?: Record<string, unknown>;
  locale?: string;
}

export const api = (app: TestApp, token: string) => ({
  get: (path: string) => app.http().get(`/campaigns${path}`).set('Authorization', `Bearer ${token}`),
  post: (path: string, body: unknown = {}) => app.http().post(`/campaigns${path}`).set('Authorization', `Bearer ${token}`).send(body as object),
  put: (path: string, body: unknown = {}) => app.http().put(`/campaigns${path}`).set('Authorization', `Bearer ${token}`).send(body as object),
  delete: (path: string) => app.http().delete(`/campaigns${path}`).set('Authorization', `Bearer ${token}`),
});

const expectStatus = (res: { status: number; text: string }, expected: number, what: string) => {
  if (res.status !== expected) throw new Error(`${what} answered ${res.status}: ${res.text}`);
};

export const createList = async (app: TestApp, token: string, name: string): Promise<string> => {
  const res = await api(app, token).post('/lists', { name });
  expectStatus(res, 201, `POST /lists ${name}`);
  return res.body.data.documentId;
};

/** Creates the contacts through the API, each in the given lists. */
export const createContacts = async (app: TestApp, token: string, contacts: ContactSeed[], lists: string[]) => {
  const ids: string[] = [];
  for (const contact of contacts) {
    const res = await api(app, token).post('/contacts', { ...contact, lists });
    expectStatus(res, 201, `POST /contacts ${contact.email}`);
    ids.push(res.body.data.documentId);
  }
  return ids;
};

export const createDelivery = async (app: TestApp, token: string, body: Record<string, unknown>) => {
  const res = await api(app, token).post('/deliveries', { name: 'Spring news', subject: 'Hello {{firstName}}', ...body });
  expectStatus(res, 201, 'POST /deliveries');
  return res.body.data as { documentId: string; id: number; status: string };
};

/** Polls the delivery until its status is one of `statuses`. */
export const waitForStatus = async (app: TestApp, token: string, documentId: string, statuses: string[], timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    const res = await api(app, token).get(`/deliveries/${documentId}`);
    last = res.body.data;
    if (last && statuses.includes(last.status)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`delivery ${documentId} still ${last?.status} after ${timeoutMs} ms (wanted ${statuses.join(' or ')}): ${JSON.stringify(last?.counters)}`);
};

/** Every log of a delivery, through the API. */
export const allLogs = async (app: TestApp, token: string, documentId: string, filter = '') => {
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

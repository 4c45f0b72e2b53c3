// Read access with Strapi API tokens (Settings > API Tokens): a BI tool's read-only token reads deliveries,
// indicators, links and report queries under /api/campaigns, and can neither send nor reach an admin route.
import { UID } from '../../shared/constants';
import { createApiToken } from '../helpers/campaigns';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { UA, clickPath, openPath, seedDelivery, type SeededDelivery } from '../helpers/fixtures';

const READ_ROUTES = (id: string) =>
  [
    ['GET', '/api/campaigns/deliveries'],
    ['GET', `/api/campaigns/deliveries/${id}`],
    ['GET', `/api/campaigns/deliveries/${id}/indicators`],
    ['GET', `/api/campaigns/deliveries/${id}/links`],
    ['POST', '/api/campaigns/reports/query'],
  ] as const;

const REPORT = { dimensions: ['delivery'], metrics: ['delivered', 'uniqueOpens', 'clicks'] };

describe('API-token access', () => {
  let app: TestApp;
  let adminToken: string;
  let seeded: SeededDelivery;
  let documentId: string;

  const createToken = (body: Record<string, unknown>) => createApiToken(app, adminToken, body);
  const call = (method: 'GET' | 'POST', path: string, token?: string) => {
    const req = method === 'GET' ? app.http().get(path) : app.http().post(path).send(REPORT);
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  beforeAll(async () => {
    app = await bootTestApp();
    adminToken = await app.superAdminToken();
    // A sent delivery of three messages, one opened and clicked by a person an hour after it arrived.
    seeded = await seedDelivery(app.strapi, { recipients: 3 });
    const reader = seeded.logs[0];
    expect(
      (
        await app
          .http()
          .get(openPath(app.strapi, seeded.deliveryId, reader.id))
          .set('User-Agent', UA.outlookWindows)
      ).status,
    ).toBe(200);
    expect(
      (
        await app
          .http()
          .get(clickPath(app.strapi, seeded.deliveryId, reader.id, seeded.links[0].id))
          .set('User-Agent', UA.chromeWindows)
      ).status,
    ).toBe(302);
    documentId = (await app.strapi.db.query(UID.delivery).findOne({ where: { id: seeded.deliveryId } })).documentId;
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('offers custom API tokens the read actions, and the contact sync as the one write', async () => {
    const res = await app.http().get('/admin/content-api/permissions').set('Authorization', `Bearer ${adminToken}`);
    expect(res.status).toBe(200);
    const controllers = res.body.data['plugin::campaigns'].controllers;
    expect(controllers).toMatchObject({
      delivery: ['find', 'findOne'],
      'delivery-indicators': ['findOne'],
      'delivery-links': ['find'],
      'report-query': ['find'],
    });
    // Every authenticated content-API route of the plugin is a find or findOne but the contact sync
    // (tests/integration/contact-sync.test.ts), which a read-only token cannot call.
    const routes = (await (app.strapi as any).contentAPI.getRoutesMap())['plugin::campaigns'] as any[];
    const guarded = routes.filter((route) => route.config?.auth !== false);
    expect(guarded.map((route) => route.handler).sort()).toEqual([
      'contact-sync.upsert',
      'delivery-indicators.findOne',
      'delivery-links.find',
      'delivery.find',
      'delivery.findOne',
      'report-query.find',
    ]);
  });

  it('a read-only token reads deliveries, indicators, links and a report query with the right numbers', async () => {
    const token = await createToken({ name: 'BI dashboard', type: 'read-only' });

    const list = await call('GET', '/api/campaigns/deliveries?status=sent', token);
    expect(list.status).toBe(200);
    expect(list.body.data.map((d: any) => d.documentId)).toEqual([documentId]);
    expect(list.body.data[0].counters).toMatchObject({ targeted: 3, sent: 3 });

    const one = await call('GET', `/api/campaigns/deliveries/${documentId}`, token);
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({ documentId, status: 'sent' });

    const indicators = await call('GET', `/api/campaigns/deliveries/${documentId}/indicators`, token);
    expect(indicators.status).toBe(200);
    expect(indicators.body.data).toMatchObject({ delivered: 3, uniqueOpens: 1, opens: 1, clicks: 1, uniqueClicks: 1 });
    expect(indicators.body.data.openRate).toBeCloseTo(1 / 3, 4);

    const links = await call('GET', `/api/campaigns/deliveries/${documentId}/links`, token);
    expect(links.status).toBe(200);
    expect(links.body.data.map((l: any) => [l.url, l.clicks])).toEqual([
      [seeded.links[0].url, 1],
      [seeded.links[1].url, 0],
    ]);

    const report = await call('POST', '/api/campaigns/reports/query', token);
    expect(report.status).toBe(200);
    expect(report.body.data.totals).toMatchObject({ delivered: 3, uniqueOpens: 1, clicks: 1 });
  });

  it('answers 400 naming the field for a bad query, as the admin routes do', async () => {
    const token = await createToken({ name: 'BI typo', type: 'read-only' });
    const res = await call('GET', '/api/campaigns/deliveries?status=archived', token);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^Invalid query: status/);
  });

  it('without a token, every read route is refused', async () => {
    for (const [method, path] of READ_ROUTES(documentId)) {
      const res = await call(method, path);
      expect([401, 403]).toContain(res.status);
    }
  });

  it('a custom token reads only what it was given', async () => {
    const token = await createToken({
      name: 'Deliveries only',
      type: 'custom',
      permissions: ['plugin::campaigns.delivery.find'],
    });
    expect((await call('GET', '/api/campaigns/deliveries', token)).status).toBe(200);
    expect((await call('GET', `/api/campaigns/deliveries/${documentId}/indicators`, token)).status).toBe(403);
    expect((await call('POST', '/api/campaigns/reports/query', token)).status).toBe(403);
  });

  it('no API token, even a full-access one, reaches an admin route: nothing can be sent or changed', async () => {
    const readOnly = await createToken({ name: 'Read', type: 'read-only' });
    const fullAccess = await createToken({ name: 'Full', type: 'full-access' });
    for (const token of [readOnly, fullAccess]) {
      const auth = { Authorization: `Bearer ${token}` };
      expect((await app.http().post(`/campaigns/deliveries/${documentId}/send`).set(auth)).status).toBe(401);
      expect((await app.http().post(`/campaigns/deliveries/${documentId}/pause`).set(auth)).status).toBe(401);
      expect((await app.http().post(`/campaigns/deliveries/${documentId}/cancel`).set(auth)).status).toBe(401);
      expect((await app.http().get('/campaigns/deliveries').set(auth)).status).toBe(401);
      expect((await app.http().post('/campaigns/deliveries').set(auth).send({ name: 'x', subject: 'y' })).status).toBe(
        401,
      );
      // And the content API has no route that writes.
      expect([404, 405]).toContain(
        (await app.http().post('/api/campaigns/deliveries').set(auth).send({ name: 'x', subject: 'y' })).status,
      );
      expect([404, 405]).toContain(
        (await app.http().delete(`/api/campaigns/deliveries/${documentId}`).set(auth)).status,
      );
    }
    expect(await app.strapi.db.query(UID.delivery).count({})).toBe(1);
  });
});

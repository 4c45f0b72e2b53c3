// Saved reports: the built-in ones (created once, protected, runnable), the user's own (CRUD, duplicate) and the
// reports permission.
import { ACTIONS } from '../../shared/constants';
import { BUILT_IN_REPORTS } from '../../server/src/reporting/report-builtins';
import { api } from '../helpers/campaigns';
import { stopSending } from '../helpers/fixtures';
import { bootTestApp, type TestApp } from '../helpers/strapi';

const ownDefinition = {
  visualisation: 'bar',
  query: { dimensions: ['day'], metrics: ['opens', 'clicks'], period: { lastDays: 7 } },
};

describe('saved reports', () => {
  let app: TestApp;
  let token: string;
  let builtInIds: string[] = [];
  const reports = () => api(app, token);

  beforeAll(async () => {
    app = await bootTestApp();
    await stopSending(app.strapi);
    token = await app.superAdminToken();
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it('lists every built-in report', async () => {
    const first = await reports().get('/reports');
    expect(first.status).toBe(200);
    const builtIns = first.body.data.filter((report: any) => report.builtIn);
    expect(builtIns.map((report: any) => report.name).sort()).toEqual(
      [
        'Delivery summary',
        'Tracking indicators',
        'Engagement over time',
        'URLs and click streams',
        'Devices and email clients',
        'Recipient domains',
        'Non-deliverables and failure reasons',
        'Unsubscriptions',
        'Sending throughput',
      ].sort(),
    );

    builtInIds = builtIns.map((report: any) => report.documentId).sort();
  });

  it('runs every built-in report definition', async () => {
    const list = (await reports().get('/reports')).body.data.filter((report: any) => report.builtIn);
    for (const report of list) {
      const res = await reports().post('/reports/query', report.definition.query);
      expect([report.key, res.status, res.body.error?.message]).toEqual([report.key, 200, undefined]);
    }
  });

  it('creates, reads, renames and deletes a report of the user', async () => {
    const created = await reports().post('/reports', {
      name: 'Weekly engagement',
      description: 'Opens and clicks',
      definition: ownDefinition,
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      name: 'Weekly engagement',
      description: 'Opens and clicks',
      definition: ownDefinition,
      builtIn: false,
      key: null,
    });
    const id = created.body.data.documentId;

    expect((await reports().get(`/reports/${id}`)).body.data.name).toBe('Weekly engagement');
    const renamed = await reports().put(`/reports/${id}`, { name: 'Engagement this week' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ name: 'Engagement this week', definition: ownDefinition });
    expect((await reports().get('/reports')).body.data.map((r: any) => r.name)).toContain('Engagement this week');

    expect((await reports().delete(`/reports/${id}`)).status).toBe(200);
    expect((await reports().get(`/reports/${id}`)).status).toBe(404);
  });

  it('refuses to edit, rename or delete a built-in report, and duplicates it into one the user owns', async () => {
    const builtIn = (await reports().get('/reports')).body.data.find(
      (report: any) => report.key === 'delivery-summary',
    );
    const edit = await reports().put(`/reports/${builtIn.documentId}`, { name: 'Mine now' });
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toMatch(
      /"Delivery summary" is a built-in report: it cannot be edited or renamed\. Duplicate it/,
    );
    const remove = await reports().delete(`/reports/${builtIn.documentId}`);
    expect(remove.status).toBe(409);
    expect(remove.body.error.message).toMatch(/cannot be deleted/);

    const copy = await reports().post(`/reports/${builtIn.documentId}/duplicate`);
    expect(copy.status).toBe(201);
    expect(copy.body.data).toMatchObject({
      name: 'Delivery summary (copy)',
      builtIn: false,
      key: null,
      definition: builtIn.definition,
    });
    const renamed = await reports().put(`/reports/${copy.body.data.documentId}`, { name: 'My summary' });
    expect(renamed.status).toBe(200);
    expect((await reports().get(`/reports/${builtIn.documentId}`)).body.data.name).toBe('Delivery summary');
  });

  it.each([
    [
      'an unknown visualisation',
      { name: 'x', definition: { ...ownDefinition, visualisation: 'pie3d' } },
      /definition\.visualisation: unknown visualisation; allowed: table, line, bar, stackedBar, area, donut, kpi/,
    ],
    [
      'an unknown metric',
      { name: 'x', definition: { ...ownDefinition, query: { metrics: ['revenue'] } } },
      /definition\.query\.metrics\.0: unknown metric; allowed: /,
    ],
    [
      'a column that is not a dimension',
      { name: 'x', definition: { ...ownDefinition, columns: ['device'] } },
      /definition\.columns: device must also be one of query\.dimensions/,
    ],
    ['an empty name', { name: ' ', definition: ownDefinition }, /name: must not be empty/],
  ])('answers 400 for %s', async (_, body, message) => {
    const res = await reports().post('/reports', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('answers 404 for a report that does not exist', async () => {
    expect((await reports().get('/reports/nosuchreport')).status).toBe(404);
    expect((await reports().post('/reports/nosuchreport/duplicate')).status).toBe(404);
  });

  it('describes the palette: dimensions, metrics, filters and visualisations', async () => {
    const res = await reports().get('/reports/schema');
    expect(res.status).toBe(200);
    expect(res.body.data.dimensions).toContainEqual({ id: 'hourOfDay', kind: 'time' });
    expect(res.body.data.dimensions).toContainEqual({ id: 'client', kind: 'category' });
    expect(res.body.data.metrics).toContainEqual({ id: 'openRate', kind: 'rate' });
    expect(res.body.data.metrics).toContainEqual({ id: 'uniqueClicks', kind: 'count' });
    expect(res.body.data.filters).toEqual(['deliveries', 'lists', 'domains', 'eventTypes']);
  });

  it('lets only admins with the reports permission see and save reports', async () => {
    const reader = await app.adminTokenWith([ACTIONS.read]);
    const analyst = await app.adminTokenWith([ACTIONS.reports]);
    for (const [method, path] of [
      ['get', '/reports'],
      ['get', '/reports/schema'],
      ['post', '/reports'],
      ['post', '/reports/query'],
    ] as const) {
      const res = await (app.http() as any)
        [method](`/campaigns${path}`)
        .set('Authorization', `Bearer ${reader}`)
        .send({});
      expect([path, res.status]).toEqual([path, 403]);
    }
    expect((await api(app, analyst).get('/reports')).status).toBe(200);
    expect(
      (await api(app, analyst).post('/reports', { name: 'Analyst report', definition: ownDefinition })).status,
    ).toBe(201);
  });

  // Last: it restarts the app.
  it('still has each built-in report once after the app boots again on the same database', async () => {
    // A second boot on the same database (a restart, or a second replica) finds them by key and adds none.
    await app.stop();
    const again = await bootTestApp({ env: app.db.env });
    const firstDb = app.db;
    app = {
      ...again,
      destroy: async () => {
        await again.destroy();
        await firstDb.drop();
      },
    };
    await stopSending(app.strapi);
    const res = await app
      .http()
      .post('/admin/login')
      .send({ email: 'admin@campaigns.test', password: 'Campaigns-Test-1' });
    token = res.body.data.token;
    const second = await reports().get('/reports');
    const keys = second.body.data.filter((report: any) => report.builtIn).map((report: any) => report.key);
    expect(keys.sort()).toEqual(BUILT_IN_REPORTS.map((report) => report.key).sort());
    expect(
      second.body.data
        .filter((report: any) => report.builtIn)
        .map((r: any) => r.documentId)
        .sort(),
    ).toEqual(builtInIds);
  });
});

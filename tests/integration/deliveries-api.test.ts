// The deliveries admin API: editing drafts, personalisation errors that name their place, and who may do what.
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { closedPort, startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { api, createContacts, createDelivery, createList } from '../helpers/campaigns';
import { ACTIONS } from '../../shared/constants';

describe('deliveries admin API', () => {
  let app: TestApp;
  let smtp: TestSmtpServer;
  let token: string;
  let list: string;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({ pluginConfig: { smtp: { host: smtp.host, port: smtp.port, pool: 1 } } });
    token = await app.superAdminToken();
    list = await createList(app, token, 'Readers');
    await createContacts(app, token, [{ email: 'ada@example.test', firstName: 'Ada' }], [list]);
  });
  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('creates a draft and reads it back with its lists and zero counters', async () => {
    const created = await api(app, token).post('/deliveries', {
      name: 'Welcome',
      subject: 'Welcome {{firstName}}',
      html: '<p>Hello {{firstName}}, your plan is {{attributes.plan}}</p>',
      lists: [list],
      sendRate: 50,
      audienceFilter: { locale: 'en', attributes: { plan: 'pro' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      name: 'Welcome',
      status: 'draft',
      trackOpens: true,
      trackLinks: true,
      sendRate: 50,
      audienceFilter: { locale: 'en', attributes: { plan: 'pro' } },
      counters: { targeted: 0, excluded: 0, pending: 0, sent: 0, failedHard: 0, failedSoft: 0, bounced: 0, unknown: 0 },
    });
    expect(created.body.data.lists.map((l: any) => l.name)).toEqual(['Readers']);
    const read = await api(app, token).get(`/deliveries/${created.body.data.documentId}`);
    expect(read.status).toBe(200);
    expect(read.body.data.subject).toBe('Welcome {{firstName}}');
  });

  it('lists deliveries with their status and counters, filtered and paged', async () => {
    await createDelivery(app, token, { name: 'Paged A', html: '<p>A</p>' });
    await createDelivery(app, token, { name: 'Paged B', html: '<p>B</p>' });
    const res = await api(app, token).get('/deliveries?search=Paged&sort=name:asc&pageSize=1&page=2&status=draft');
    expect(res.status).toBe(200);
    expect(res.body.meta.pagination).toEqual({ page: 2, pageSize: 1, pageCount: 2, total: 2 });
    expect(res.body.data[0]).toMatchObject({ name: 'Paged B', status: 'draft', counters: { targeted: 0 } });
  });

  it('updates a draft and deletes it', async () => {
    const delivery = await createDelivery(app, token, { html: '<p>v1</p>' });
    const updated = await api(app, token).put(`/deliveries/${delivery.documentId}`, {
      html: '<p>v2 {{lastName}}</p>',
      trackOpens: false,
      lists: [list],
    });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ html: '<p>v2 {{lastName}}</p>', trackOpens: false });
    expect(updated.body.data.lists).toHaveLength(1);
    expect((await api(app, token).delete(`/deliveries/${delivery.documentId}`)).status).toBe(200);
    expect((await api(app, token).get(`/deliveries/${delivery.documentId}`)).status).toBe(404);
  });

  it('answers 400 for an unknown variable, naming it with its line and column', async () => {
    const res = await api(app, token).post('/deliveries', {
      name: 'Typo',
      subject: 'Hi',
      html: '<p>Hello</p>\n<p>Dear {{frstName}},</p>',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Unknown variable "\{\{frstName\}\}" at line 2, column 9/);
    expect(res.body.error.message).toMatch(/did you mean "\{\{firstName\}\}"/);
    expect(res.body.error.details.errors[0]).toMatchObject({
      code: 'unknown_variable',
      variable: 'frstName',
      line: 2,
      column: 9,
      part: 'html',
    });
  });

  it('answers 400 for broken syntax in the subject, and for a bad variable brought by an update', async () => {
    const broken = await api(app, token).post('/deliveries', {
      name: 'Broken',
      subject: 'Hi {{firstName',
      html: '<p>x</p>',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.details.errors[0]).toMatchObject({
      code: 'unclosed',
      part: 'subject',
      line: 1,
      column: 4,
    });

    const delivery = await createDelivery(app, token, { html: '<p>fine</p>' });
    const update = await api(app, token).put(`/deliveries/${delivery.documentId}`, { text: 'Hello {{attributes}}' });
    expect(update.status).toBe(400);
    expect(update.body.error.message).toMatch(/\{\{attributes\}\}/);
    expect(update.body.error.details.errors[0]).toMatchObject({ part: 'text', variable: 'attributes' });
  });

  it('refuses unknown fields, unknown lists and bad values with a message naming them', async () => {
    const unknownField = await api(app, token).post('/deliveries', { name: 'X', subject: 'Y', colour: 'red' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.message).toContain('colour');
    const unknownList = await api(app, token).post('/deliveries', { name: 'X', subject: 'Y', lists: ['nosuchlist'] });
    expect(unknownList.status).toBe(404);
    const badFilter = await api(app, token).post('/deliveries', {
      name: 'X',
      subject: 'Y',
      audienceFilter: { age: 3 },
    });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.error.message).toContain('age');
    expect((await api(app, token).get('/deliveries/doesnotexist')).status).toBe(404);
  });

  it('refuses to send a delivery that has no audience or no content, saying what is missing', async () => {
    const delivery = await createDelivery(app, token, {});
    const res = await api(app, token).post(`/deliveries/${delivery.documentId}/send`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/no HTML and no text/);
    expect(res.body.error.message).toMatch(/no list to send to/);
    expect((await api(app, token).get(`/deliveries/${delivery.documentId}`)).body.data.status).toBe('draft');
  });

  it('schedules a delivery for later, and unschedules it back to a draft with pause', async () => {
    const delivery = await createDelivery(app, token, { html: '<p>Later</p>', lists: [list] });
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const res = await api(app, token).post(`/deliveries/${delivery.documentId}/send`, { scheduledAt: at });
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('scheduled');
    expect(res.body.meta.scheduledAt).toBe(at);
    const edit = await api(app, token).put(`/deliveries/${delivery.documentId}`, { name: 'Renamed' });
    expect(edit.status).toBe(400);
    expect(edit.body.error.message).toMatch(/it is scheduled/);
    const unscheduled = await api(app, token).post(`/deliveries/${delivery.documentId}/pause`);
    expect(unscheduled.body.data.status).toBe('draft');
  });

  it('lets an admin with only the read action see deliveries but not create, send or test them (403)', async () => {
    const readOnly = await app.adminTokenWith([ACTIONS.read]);
    const delivery = await createDelivery(app, token, { html: '<p>x</p>', lists: [list] });
    expect((await api(app, readOnly).get('/deliveries')).status).toBe(200);
    expect((await api(app, readOnly).get(`/deliveries/${delivery.documentId}/logs`)).status).toBe(200);
    expect((await api(app, readOnly).post('/deliveries', { name: 'X', subject: 'Y' })).status).toBe(403);
    expect((await api(app, readOnly).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(403);
    expect(
      (await api(app, readOnly).post(`/deliveries/${delivery.documentId}/test`, { emails: ['a@b.test'] })).status,
    ).toBe(403);
    expect((await api(app, token).get(`/deliveries/${delivery.documentId}`)).body.data.status).toBe('draft');
  });

  it('answers 401 without a login and 403 to an admin without the read action', async () => {
    expect((await app.http().get('/campaigns/deliveries')).status).toBe(401);
    const nobody = await app.adminTokenWith([]);
    expect((await api(app, nobody).get('/deliveries')).status).toBe(403);
  });

  it('verifies the SMTP transport for the settings page', async () => {
    const ok = await api(app, token).post('/settings/verify-transport');
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ ok: true, messenger: 'smtp' });
    const readOnly = await app.adminTokenWith([ACTIONS.read]);
    expect((await api(app, readOnly).post('/settings/verify-transport')).status).toBe(403);
  });
});

describe('verifying a transport that is down', () => {
  let app: TestApp;
  afterAll(async () => {
    await app?.destroy();
  });

  it('answers ok: false with the connection error', async () => {
    const port = await closedPort();
    app = await bootTestApp({ pluginConfig: { smtp: { host: '127.0.0.1', port, pool: 1 } } });
    const res = await api(app, await app.superAdminToken()).post('/settings/verify-transport');
    expect(res.status).toBe(200);
    expect(res.body.data.ok).toBe(false);
    expect(res.body.data.error).toMatch(/ECONNREFUSED/);
  });
});

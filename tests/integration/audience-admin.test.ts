// What the admin's Contacts and Lists tabs ask of the API beyond one contact at a time: deleting a selection of
// contacts, the lists' sizes by status, and the filters the table offers; on each database.
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { api, createContacts, createList } from '../helpers/campaigns';
import { ACTIONS } from '../../shared/constants';

describe('the audience as the admin manages it', () => {
  let app: TestApp;
  let token: string;
  let newsletter: string;
  let ids: string[];

  beforeAll(async () => {
    app = await bootTestApp();
    token = await app.superAdminToken();
    newsletter = await createList(app, token, 'Newsletter');
    ids = await createContacts(
      app,
      token,
      [
        { email: 'ada@example.test', firstName: 'Ada' },
        { email: 'bob@example.test', status: 'unsubscribed' },
        { email: 'cy@example.test', status: 'quarantined' },
        { email: 'dee@example.test', status: 'bounced' },
        { email: 'eve@example.test' },
      ],
      [newsletter],
    );
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('gives each list its members by status', async () => {
    const empty = await createList(app, token, 'Empty');
    const res = await api(app, token).get('/lists?sort=name:asc');
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.data.map((list: { name: string }) => [list.name, list]));
    expect(byName.Newsletter).toMatchObject({
      contacts: 5,
      subscribed: 2,
      byStatus: { subscribed: 2, unsubscribed: 1, quarantined: 1, bounced: 1 },
    });
    expect(byName.Empty).toMatchObject({
      contacts: 0,
      byStatus: { subscribed: 0, unsubscribed: 0, quarantined: 0, bounced: 0 },
    });
    await api(app, token).delete(`/lists/${empty}`);
  });

  it('filters contacts by status and by list', async () => {
    const unsubscribed = await api(app, token).get('/contacts?status=unsubscribed');
    expect(unsubscribed.body.data.map((c: { email: string }) => c.email)).toEqual(['bob@example.test']);
    const other = await createList(app, token, 'Other');
    await api(app, token).put(`/contacts/${ids[0]}`, { lists: [newsletter, other] });
    const inOther = await api(app, token).get(`/contacts?list=${other}`);
    expect(inOther.body.data.map((c: { email: string }) => c.email)).toEqual(['ada@example.test']);
    expect((await api(app, token).get('/contacts?status=gone')).status).toBe(400);
  });

  it('refuses a bulk delete without ids, with too many, or with something that is not an id', async () => {
    for (const body of [
      {},
      { documentIds: [] },
      { documentIds: ['NOT AN ID'] },
      { documentIds: Array(1001).fill('a1') },
    ]) {
      const res = await api(app, token).post('/contacts/delete', body);
      expect(res.status).toBe(400);
    }
    expect((await api(app, token).get('/contacts')).body.meta.pagination.total).toBe(5);
  });

  it('lets a read-only admin see contacts but not delete them', async () => {
    const readOnly = await app.adminTokenWith([ACTIONS.read]);
    expect((await api(app, readOnly).post('/contacts/delete', { documentIds: [ids[4]] })).status).toBe(403);
    expect((await api(app, readOnly).get(`/contacts/${ids[4]}`)).status).toBe(200);
  });

  it('deletes the chosen contacts and their memberships, and only them', async () => {
    const res = await api(app, token).post('/contacts/delete', { documentIds: [ids[3], ids[4], 'gone0'] });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ deleted: 2 });
    const left = await api(app, token).get('/contacts?sort=email:asc');
    expect(left.body.data.map((c: { email: string }) => c.email)).toEqual([
      'ada@example.test',
      'bob@example.test',
      'cy@example.test',
    ]);
    const list = await api(app, token).get(`/lists/${newsletter}`);
    expect(list.body.data).toMatchObject({ contacts: 3, byStatus: { bounced: 0, subscribed: 1 } });
  });

  it('keeps an unsubscribed contact unsubscribed when the admin edits it or adds it to a list', async () => {
    const other = await createList(app, token, 'Later');
    const res = await api(app, token).put(`/contacts/${ids[1]}`, { firstName: 'Bob', lists: [newsletter, other] });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ firstName: 'Bob', status: 'unsubscribed' });
  });
  it('exports the contacts of a list or a filter as CSV, streamed with the columns an import reads', async () => {
    await api(app, token).put(`/contacts/${ids[0]}`, { attributes: { plan: 'pro' } });
    const all = await api(app, token).get(`/contacts/export?list=${newsletter}`).buffer(true);
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toMatch(/^text\/csv/);
    expect(all.headers['content-disposition']).toMatch(/filename="Newsletter-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = all.text.trim().split('\r\n');
    expect(lines[0]).toBe('email,firstName,lastName,locale,status,statusReason,lists,attributes,createdAt');
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',')[0])
        .sort(),
    ).toEqual(['ada@example.test', 'bob@example.test', 'cy@example.test']);
    expect(lines.find((line) => line.startsWith('ada@'))).toContain('"{""plan"":""pro""}"');

    const unsubscribed = await api(app, token).get('/contacts/export?status=unsubscribed').buffer(true);
    expect(unsubscribed.text.trim().split('\r\n').slice(1)).toEqual([expect.stringMatching(/^bob@example\.test,Bob,/)]);
    expect((await api(app, token).get('/contacts/export?status=gone')).status).toBe(400);
    expect((await api(app, token).get('/contacts/export?page=2')).status).toBe(400);
  });

  it('lets a read-only admin export, and nobody without a login', async () => {
    const readOnly = await app.adminTokenWith([ACTIONS.read]);
    expect((await api(app, readOnly).get('/contacts/export')).status).toBe(200);
    expect((await app.http().get('/campaigns/contacts/export')).status).toBe(401);
    expect((await api(app, await app.adminTokenWith([])).get('/contacts/export')).status).toBe(403);
  });
  it("filters contacts by an attribute's value, numbers read as text, in the table and in the export", async () => {
    await createContacts(
      app,
      token,
      [
        { email: 'pro@attr.test', attributes: { plan: 'pro', seats: 3 } },
        { email: 'free@attr.test', attributes: { plan: 'free', seats: 30 } },
        { email: 'none@attr.test' },
      ],
      [],
    );
    const emails = async (query: string) =>
      (await api(app, token).get(`/contacts?sort=email:asc&${query}`)).body.data.map((c: { email: string }) => c.email);
    expect(await emails('attribute=plan&attributeValue=pro')).toEqual(['ada@example.test', 'pro@attr.test']);
    expect(await emails('attribute=seats&attributeValue=3')).toEqual(['pro@attr.test']);
    expect(await emails(`attribute=plan&attributeValue=pro&list=${newsletter}`)).toEqual(['ada@example.test']);
    expect(await emails('attribute=plan&attributeValue=gold')).toEqual([]);
    const total = await api(app, token).get('/contacts?attribute=plan&attributeValue=pro');
    expect(total.body.meta.pagination.total).toBe(2);

    const exported = await api(app, token).get('/contacts/export?attribute=plan&attributeValue=free').buffer(true);
    expect(exported.text.trim().split('\r\n').slice(1)).toEqual([expect.stringMatching(/^free@attr\.test,/)]);
    expect((await api(app, token).get("/contacts?attribute=plan')--&attributeValue=x")).status).toBe(400);
  });
});

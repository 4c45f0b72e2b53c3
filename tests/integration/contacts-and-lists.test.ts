import { bootTestApp, type TestApp } from '../helpers/strapi';

describe('contacts and lists through the admin API', () => {
  let app: TestApp;
  let auth: { Authorization: string };

  beforeAll(async () => {
    app = await bootTestApp();
    auth = { Authorization: `Bearer ${await app.superAdminToken()}` };
  });
  afterAll(async () => {
    await app?.destroy();
  });

  const post = (path: string, body: unknown) =>
    app
      .http()
      .post(`/campaigns${path}`)
      .set(auth)
      .send(body as object);

  it('creates a list, adds a contact to it and reads both back with the list size', async () => {
    const list = await post('/lists', { name: 'Newsletter', description: 'Monthly news' });
    expect(list.status).toBe(201);
    const contact = await post('/contacts', {
      email: '  Ada@Example.COM ',
      firstName: 'Ada',
      lists: [list.body.data.documentId],
    });
    expect(contact.status).toBe(201);
    expect(contact.body.data).toMatchObject({ email: 'ada@example.com', firstName: 'Ada', status: 'subscribed' });
    expect(contact.body.data.lists.map((l: any) => l.name)).toEqual(['Newsletter']);

    const read = await app.http().get(`/campaigns/lists/${list.body.data.documentId}`).set(auth);
    expect(read.body.data).toMatchObject({ name: 'Newsletter', contacts: 1, subscribed: 1 });
  });

  it('refuses a second contact with the same email, whatever its case', async () => {
    await post('/contacts', { email: 'grace@example.com' });
    const duplicate = await post('/contacts', { email: 'GRACE@example.com' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.message).toContain('already exists');
  });

  it('refuses an invalid email and unknown fields with a message naming them', async () => {
    const invalid = await post('/contacts', { email: 'not-an-email' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/not an email address/);
    const unknown = await post('/contacts', { email: 'x@example.com', nickname: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('nickname');
  });

  it('updates and deletes a contact, and answers 404 for one that does not exist', async () => {
    const created = await post('/contacts', { email: 'linus@example.com', firstName: 'Linus' });
    const id = created.body.data.documentId;
    const updated = await app
      .http()
      .put(`/campaigns/contacts/${id}`)
      .set(auth)
      .send({ lastName: 'T', status: 'unsubscribed' });
    expect(updated.body.data).toMatchObject({ firstName: 'Linus', lastName: 'T', status: 'unsubscribed' });
    expect((await app.http().delete(`/campaigns/contacts/${id}`).set(auth)).status).toBe(200);
    expect((await app.http().get(`/campaigns/contacts/${id}`).set(auth)).status).toBe(404);
  });

  it('pages, searches and sorts contacts', async () => {
    for (let i = 0; i < 12; i += 1)
      await post('/contacts', { email: `page${String(i).padStart(2, '0')}@paging.test`, firstName: `P${i}` });
    const page2 = await app
      .http()
      .get('/campaigns/contacts?search=paging.test&sort=email:asc&page=2&pageSize=5')
      .set(auth);
    expect(page2.status).toBe(200);
    expect(page2.body.meta.pagination).toEqual({ page: 2, pageSize: 5, pageCount: 3, total: 12 });
    expect(page2.body.data.map((c: any) => c.email)).toEqual([
      'page05@paging.test',
      'page06@paging.test',
      'page07@paging.test',
      'page08@paging.test',
      'page09@paging.test',
    ]);
    const badSort = await app.http().get('/campaigns/contacts?sort=password:asc').set(auth);
    expect(badSort.status).toBe(400);
  });

  it('renames a list, refuses a duplicate name, and deleting a list keeps its contacts', async () => {
    const list = await post('/lists', { name: 'Temporary' });
    const id = list.body.data.documentId;
    expect((await post('/lists', { name: 'Temporary' })).status).toBe(400);
    const contact = await post('/contacts', { email: 'keeper@example.com', lists: [id] });
    const renamed = await app.http().put(`/campaigns/lists/${id}`).set(auth).send({ name: 'Renamed' });
    expect(renamed.body.data.name).toBe('Renamed');
    expect((await app.http().delete(`/campaigns/lists/${id}`).set(auth)).status).toBe(200);
    const kept = await app.http().get(`/campaigns/contacts/${contact.body.data.documentId}`).set(auth);
    expect(kept.status).toBe(200);
    expect(kept.body.data.lists).toEqual([]);
  });

  it('keeps delivery logs out of reach of document-service writes: the plugin writes them', async () => {
    await expect(
      app.strapi
        .documents('plugin::campaigns.delivery-log' as any)
        .create({ data: { deliveryId: 1, email: 'a@b.test', status: 'sent' } as any }),
    ).rejects.toThrow(/written only by the Campaigns plugin/);
  });
});

// The bulk sync route for apps that keep their users in step: POST /api/campaigns/contacts/sync with an API token,
// up to 10,000 contacts upserted by email, each answered on its own, statuses and suppressions kept.
import { UID } from '../../shared/constants';
import { api, createApiToken } from '../helpers/campaigns';
import { bootTestApp, type TestApp } from '../helpers/strapi';

describe('contact sync over the content API', () => {
  let app: TestApp;
  let adminToken: string;
  let syncToken: string;
  let members: { documentId: string; id: number };

  const createToken = (body: Record<string, unknown>) => createApiToken(app, adminToken, body);
  const sync = (body: object, token = syncToken) =>
    app.http().post('/api/campaigns/contacts/sync').set('Authorization', `Bearer ${token}`).send(body);
  const contacts = () => app.strapi.db.query(UID.contact);

  beforeAll(async () => {
    app = await bootTestApp();
    adminToken = await app.superAdminToken();
    syncToken = await createToken({
      name: 'User sync',
      type: 'custom',
      permissions: ['plugin::campaigns.contact-sync.upsert'],
    });
    const list = await api(app, adminToken).post('/lists', { name: 'Members' });
    expect(list.status).toBe(201);
    members = list.body.data;
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('is refused to a read-only token and without one, and writes nothing', async () => {
    const readOnly = await createToken({ name: 'BI', type: 'read-only' });
    const body = { contacts: [{ email: 'nobody@example.test' }] };

    expect((await sync(body, readOnly)).status).toBe(403);
    expect((await app.http().post('/api/campaigns/contacts/sync').send(body)).status).toBe(403);
    expect(await contacts().count({ where: { email: 'nobody@example.test' } })).toBe(0);
  });

  it('creates 10,000 contacts in one request, in the list named, each with its id', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      email: `User${i}@Example.test`,
      firstName: `User ${i}`,
      lists: [members.documentId],
    }));

    const res = await sync({ contacts: items });

    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ created: 10_000, updated: 0, unchanged: 0, invalid: 0, failed: 0 });
    expect(res.body.data[4321]).toEqual({
      index: 4321,
      email: 'user4321@example.test',
      outcome: 'created',
      documentId: expect.any(String),
    });
    const stored = await contacts().findOne({ where: { documentId: res.body.data[4321].documentId } });
    expect(stored).toMatchObject({ email: 'user4321@example.test', firstName: 'User 4321', status: 'subscribed' });
    const list = await api(app, adminToken).get(`/lists/${members.documentId}`);
    expect(list.body.data).toMatchObject({ contacts: 10_000, subscribed: 10_000 });
  });

  it('answers each item: updated, unchanged, and the invalid ones with their reason, writing the valid ones', async () => {
    const res = await sync({
      contacts: [
        { email: 'user1@example.test', firstName: 'Renamed', attributes: { plan: 'pro' } },
        { email: 'user2@example.test', firstName: 'User 2' },
        { email: 'not-an-address' },
        { email: 'USER1@example.test', firstName: 'Again' },
        { email: 'new@example.test', lists: ['nosuchlist0000000000000'] },
        { email: 'extra@example.test', password: 'x' },
        'a string',
        { email: 'fresh@example.test', lastName: 'Fresh' },
      ],
    });

    expect(res.status).toBe(200);
    expect(res.body.data.map((item: any) => [item.index, item.outcome, item.error])).toEqual([
      [0, 'updated', undefined],
      [1, 'unchanged', undefined],
      [2, 'invalid', '"not-an-address" is not an email address (it needs one @ between a name and a domain)'],
      [3, 'invalid', 'the same email as item 0'],
      [4, 'invalid', 'no list with id "nosuchlist0000000000000"'],
      [5, 'invalid', 'unknown field(s): password'],
      [6, 'invalid', 'Expected object, received string'],
      [7, 'created', undefined],
    ]);
    expect(res.body.meta).toEqual({ created: 1, updated: 1, unchanged: 1, invalid: 5, failed: 0 });
    expect(await contacts().findOne({ where: { email: 'user1@example.test' } })).toMatchObject({
      firstName: 'Renamed',
      attributes: { plan: 'pro' },
    });
    expect(await contacts().count({ where: { email: { $in: ['new@example.test', 'extra@example.test'] } } })).toBe(0);
  });

  it('never changes a status: an unsubscribed contact stays so, a suppressed address is created unsubscribed', async () => {
    await contacts().update({ where: { email: 'user3@example.test' }, data: { status: 'unsubscribed' } });
    expect((await api(app, adminToken).post('/suppressions', { emails: ['gone@example.test'] })).status).toBe(200);

    const res = await sync({
      contacts: [
        { email: 'user3@example.test', firstName: 'Still out' },
        { email: 'gone@example.test', firstName: 'Gone' },
      ],
    });

    expect(res.body.meta).toMatchObject({ created: 1, updated: 1 });
    expect(await contacts().findOne({ where: { email: 'user3@example.test' } })).toMatchObject({
      firstName: 'Still out',
      status: 'unsubscribed',
    });
    expect(await contacts().findOne({ where: { email: 'gone@example.test' } })).toMatchObject({
      firstName: 'Gone',
      status: 'unsubscribed',
      statusReason: expect.stringMatching(/suppressed/),
    });
  });

  it('with updateExisting false, links existing contacts to the list and leaves their fields', async () => {
    const res = await sync({
      updateExisting: false,
      contacts: [{ email: 'fresh@example.test', lastName: 'Changed', lists: [members.documentId] }],
    });

    expect(res.body.data[0].outcome).toBe('unchanged');
    const fresh = await contacts().findOne({ where: { email: 'fresh@example.test' }, populate: ['lists'] });
    expect(fresh.lastName).toBe('Fresh');
    expect(fresh.lists.map((list: any) => list.documentId)).toEqual([members.documentId]);
  });

  it('refuses a request over 10,000 contacts, or without any, and writes nothing', async () => {
    const before = await contacts().count({});
    const tooMany = Array.from({ length: 10_001 }, (_, i) => ({ email: `over${i}@example.test` }));

    const over = await sync({ contacts: tooMany });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toBe('Invalid contact sync: contacts: at most 10,000 contacts per request');
    const empty = await sync({ contacts: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('Invalid contact sync: contacts: give at least one contact');
    expect((await sync({ contacts: [{ email: 'a@example.test' }], force: true })).status).toBe(400);
    expect(await contacts().count({})).toBe(before);
  });
});

import { bootTestApp, type TestApp } from '../helpers/strapi';
import { ACTIONS } from '../../shared/constants';

describe('admin routes are guarded by RBAC actions', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp();
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('registers the four plugin actions', () => {
    const registered = (app.strapi.service('admin::permission') as any).actionProvider
      .values()
      .map((a: any) => a.actionId);
    expect(registered).toEqual(expect.arrayContaining(Object.values(ACTIONS)));
  });

  it('answers 401 without an admin token', async () => {
    expect((await app.http().get('/campaigns/contacts')).status).toBe(401);
    expect((await app.http().post('/campaigns/lists').send({ name: 'x' })).status).toBe(401);
  });

  it('answers 403 to an admin whose role lacks the action', async () => {
    const token = await app.adminTokenWith([]);
    expect((await app.http().get('/campaigns/contacts').set('Authorization', `Bearer ${token}`)).status).toBe(403);
  });

  it('lets a read-only admin read but not write or see settings', async () => {
    const token = await app.adminTokenWith([ACTIONS.read]);
    const auth = { Authorization: `Bearer ${token}` };
    expect((await app.http().get('/campaigns/lists').set(auth)).status).toBe(200);
    expect((await app.http().post('/campaigns/lists').set(auth).send({ name: 'Nope' })).status).toBe(403);
    expect((await app.http().get('/campaigns/settings').set(auth)).status).toBe(403);
  });

  it('keeps the bounce mailbox routes to admins with the settings action', async () => {
    const routes: Array<[string, string]> = [
      ['post', '/campaigns/settings/verify-bounce-mailbox'],
      ['get', '/campaigns/bounce-mailbox/review'],
      ['post', '/campaigns/bounce-mailbox/run'],
    ];
    const call = (method: string, path: string, token: string) =>
      (method === 'get' ? app.http().get(path) : app.http().post(path).send({})).set(
        'Authorization',
        `Bearer ${token}`,
      );
    const others = await app.adminTokenWith([ACTIONS.read, ACTIONS.send, ACTIONS.reports]);
    const settings = await app.adminTokenWith([ACTIONS.settings]);
    for (const [method, path] of routes) {
      expect((await app.http()[method as 'get' | 'post'](path)).status).toBe(401);
      expect((await call(method, path, others)).status).toBe(403);
    }
    // The mailbox is off in this app: each answers without reading anything.
    expect((await call('post', routes[0][1], settings)).body.data).toEqual({
      ok: false,
      error: 'no IMAP host is set (bounceMailbox.host)',
    });
    expect((await call('get', routes[1][1], settings)).body.data).toEqual([]);
    expect((await call('post', routes[2][1], settings)).body.data).toMatchObject({ skipped: 'disabled' });
  });

  it('guards every admin route with isAuthenticatedAdmin and hasPermissions', () => {
    const routes = (app.strapi.plugin('campaigns').routes as any).admin.routes as any[];
    for (const route of routes) {
      const policies = route.config.policies;
      expect(policies).toContain('admin::isAuthenticatedAdmin');
      expect(policies.find((p: any) => p.name === 'admin::hasPermissions')?.config.actions[0]).toMatch(
        /^plugin::campaigns\./,
      );
    }
  });
});

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

// Settings edited from the admin: validated by the config schema, saved in the plugin store over the file config,
// secrets never shown, applied at once, guarded by the settings action.
import { ACTIONS } from '../../shared/constants';
import { api } from '../helpers/campaigns';
import { closedPort, startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { bootTestApp, type TestApp } from '../helpers/strapi';

describe('settings', () => {
  let app: TestApp;
  let smtp: TestSmtpServer;
  let token: string;
  const settings = () => app.strapi.plugin('campaigns').service('settings') as any;
  const stored = () => app.strapi.store({ type: 'plugin', name: 'campaigns' }).get({ key: 'settings' });

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: {
        smtp: { host: '127.0.0.1', port: await closedPort(), user: 'file-user', pass: 'file-secret' },
        webhooks: { secret: 'webhook-secret-from-file' },
        retention: { logsDays: 365 },
      },
    });
    token = await app.superAdminToken();
  });
  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('GET shows the file config and the defaults, never a secret', async () => {
    const res = await api(app, token).get('/settings');

    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      smtp: { host: '127.0.0.1', user: 'file-user', pass: '********' },
      retention: { logsDays: 365, deliveriesDays: 180, inactiveAfterDeliveries: 0, batchSize: 5000 },
      alerts: {
        enabled: true,
        recipients: [],
        roles: ['strapi-super-admin'],
        criteria: { softBounceRatio: { enabled: true, percent: 5 } },
      },
      webhooks: { secretSet: true },
    });
    expect(res.text).not.toMatch(/file-secret|webhook-secret-from-file|playground-tracking-key/);
  });

  it('PUT saves only what it names, over the file config, and answers the effective settings', async () => {
    // A new port needs the password again (tests/integration/settings-secrets.test.ts).
    const res = await api(app, token).put('/settings', {
      smtp: { port: smtp.port, pass: 'file-secret' },
      alerts: { recipients: ['ops@acme.test'], criteria: { softBounceRatio: { percent: 2 } } },
      retention: { deliveriesDays: 30 },
    });

    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      smtp: { host: '127.0.0.1', port: smtp.port, user: 'file-user', pass: '********' },
      alerts: {
        recipients: ['ops@acme.test'],
        criteria: { softBounceRatio: { enabled: true, percent: 2 }, hardBounceRatio: { percent: 5 } },
      },
      retention: { logsDays: 365, deliveriesDays: 30 },
    });
    expect(await stored()).toEqual({
      smtp: { port: smtp.port, pass: 'file-secret' },
      alerts: { recipients: ['ops@acme.test'], criteria: { softBounceRatio: { percent: 2 } } },
      retention: { deliveriesDays: 30 },
      // Where the saved password may go.
      smtpPasswordFor: {
        host: '127.0.0.1',
        port: smtp.port,
        user: 'file-user',
        secure: false,
        rejectUnauthorized: true,
        allowInsecureAuth: false,
      },
    });
  });

  it('a later PUT keeps what the earlier one saved', async () => {
    await api(app, token).put('/settings', { tracking: { storeIp: true } });

    const effective = await settings().get();
    expect(effective.tracking.storeIp).toBe(true);
    expect(effective.smtp.port).toBe(smtp.port);
    expect(effective.alerts.criteria.softBounceRatio.percent).toBe(2);
  });

  it('is applied at once: the transport check uses the saved port, tracking the saved privacy options', async () => {
    const verify = await api(app, token).post('/settings/verify-transport');
    expect(verify.body.data).toMatchObject({ ok: true, messenger: 'smtp' });

    await api(app, token).put('/settings', { tracking: { individualTracking: false } });
    const tracker = app.strapi.plugin('campaigns').service('tracker') as any;
    expect((await tracker.trackingSettings()).individualTracking).toBe(false);
    await api(app, token).put('/settings', { tracking: { individualTracking: true } });
  });

  it('the password placeholder keeps the stored password; a new one replaces it and is never shown', async () => {
    await api(app, token).put('/settings', { smtp: { pool: 3, pass: '********' } });
    expect((await settings().get()).smtp).toMatchObject({ pool: 3, user: 'file-user', pass: 'file-secret' });

    const res = await api(app, token).put('/settings', { smtp: { pass: 'brand-new-secret' } });

    expect((await settings().get()).smtp.pass).toBe('brand-new-secret');
    expect(res.body.data.smtp.pass).toBe('********');
    expect(res.text).not.toContain('brand-new-secret');
    expect((await api(app, token).get('/settings')).text).not.toContain('brand-new-secret');
  });

  it.each<[string, unknown, string]>([
    [
      'a port that is not a number',
      { smtp: { port: 'twenty-five' } },
      'Invalid settings: smtp.port: Expected number, received string',
    ],
    [
      'a key that is not editable',
      { tokenKeys: ['0123456789abcdef0123'] },
      'Invalid settings: unknown field(s): tokenKeys',
    ],
    [
      'an unknown nested key',
      { alerts: { criteria: { softBounce: { percent: 3 } } } },
      'Invalid settings: alerts.criteria: unknown field(s): softBounce',
    ],
    [
      'an alert recipient that is not an address',
      { alerts: { recipients: ['ops'] } },
      'Invalid settings: alerts.recipients.0: each alert recipient must be an email address',
    ],
    [
      'a ratio above 100 %',
      { alerts: { criteria: { hardBounceRatio: { percent: 150 } } } },
      'Invalid settings: alerts.criteria.hardBounceRatio.percent: Number must be less than or equal to 100',
    ],
    [
      'a sender that is not an address',
      { defaultFrom: { email: 'news at acme' } },
      'Invalid settings: defaultFrom.email: must be an email address',
    ],
  ])('answers 400 with a clear message for %s, and saves nothing', async (_name, body, message) => {
    const before = await stored();

    const res = await api(app, token).put('/settings', body);

    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(message);
    expect(await stored()).toEqual(before);
  });

  it('is guarded by the settings action: a reader may not read or change settings, nor run the purge', async () => {
    const reader = await app.adminTokenWith([ACTIONS.read]);
    const admin = await app.adminTokenWith([ACTIONS.settings]);

    expect((await api(app, reader).put('/settings', { retention: { logsDays: 1 } })).status).toBe(403);
    expect((await api(app, reader).post('/settings/retention/run')).status).toBe(403);
    expect((await app.http().put('/campaigns/settings').send({})).status).toBe(401);
    expect((await api(app, admin).put('/settings', {})).status).toBe(200);
    expect((await settings().get()).retention.logsDays).toBe(365);
  });
});

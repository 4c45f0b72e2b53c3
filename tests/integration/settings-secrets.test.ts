// The SMTP password stays with the host it was given for: an admin who may only change settings can point the
// transport elsewhere, but never make the plugin hand the saved (or config/plugins.ts) password to another server.
import os from 'os';
import { ACTIONS } from '../../shared/constants';
import { allLogs, api, createContacts, createDelivery, createList, waitForStatus } from '../helpers/campaigns';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { bootTestApp, type TestApp } from '../helpers/strapi';

const RELAY = { user: 'relay', pass: 'relay-secret-from-file' };

/** One of this machine's addresses that is not loopback, to stand for a relay beyond this machine. */
const outsideAddress = (): string | undefined =>
  Object.values(os.networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;

describe('SMTP password and changed hosts', () => {
  let app: TestApp;
  let relay: TestSmtpServer;
  // Another server, on another loopback address: the host a settings-only admin would like to receive the password.
  let attacker: TestSmtpServer;
  let token: string;
  const stored = () => app.strapi.store({ type: 'plugin', name: 'campaigns' }).get({ key: 'settings' });
  const attackerEndpoint = () => ({ host: attacker.host, port: attacker.port });

  beforeAll(async () => {
    relay = await startTestSmtpServer({ auth: RELAY });
    attacker = await startTestSmtpServer({ auth: { user: 'someone', pass: 'anything' }, host: '127.0.0.2' });
    // One attempt per message: a refused transport fails the delivery at once instead of retrying for minutes.
    app = await bootTestApp({
      pluginConfig: { smtp: { host: relay.host, port: relay.port, ...RELAY }, sending: { maxAttempts: 1 } },
    });
    token = await app.adminTokenWith([ACTIONS.settings]);
  });
  afterAll(async () => {
    await app?.destroy();
    await relay?.close();
    await attacker?.close();
  });
  afterEach(async () => {
    await app.strapi.store({ type: 'plugin', name: 'campaigns' }).delete({ key: 'settings' });
    await app.strapi.plugin('campaigns').service('messenger').reload();
    app.strapi.plugin('campaigns').service('monitoring').invalidateTransport();
    attacker.authAttempts.length = 0;
  });

  it('the saved transport authenticates with the password from the file', async () => {
    const res = await api(app, token).post('/settings/verify-transport');

    expect(res.body.data).toEqual({ ok: true, messenger: 'smtp' });
    expect(relay.authAttempts.at(-1)).toEqual(RELAY);
  });

  it.each<[string, Record<string, unknown>]>([
    ['host', { host: '127.0.0.2' }],
    ['port', { port: 2525 }],
    ['user', { user: 'someone-else' }],
    ['TLS from the start', { secure: true }],
    ['certificate check', { rejectUnauthorized: false }],
    ['permission to send it without verified TLS', { allowInsecureAuth: true }],
  ])(
    'PUT changing the %s with the masked password answers 400 naming smtp.pass, and saves nothing',
    async (_name, change) => {
      const res = await api(app, token).put('/settings', { smtp: { ...change, pass: '********' } });

      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^Invalid settings: smtp\.pass: enter the password again/);
      expect(res.body.error.details.errors).toEqual([{ path: ['smtp', 'pass'], message: expect.any(String) }]);
      expect(await stored()).toBeFalsy();
    },
  );

  it('verify with unsaved values for another host and no password: 400, and that host never sees an AUTH', async () => {
    const res = await api(app, token).post('/settings/verify-transport', { smtp: attackerEndpoint() });

    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^Invalid settings: smtp\.pass: enter the password again/);
    expect(attacker.authAttempts).toEqual([]);
  });

  it('a host saved over the file config never receives the password of the file', async () => {
    // As saved before passwords were tied to their host, or with config/plugins.ts changed since.
    await app.strapi
      .store({ type: 'plugin', name: 'campaigns' })
      .set({ key: 'settings', value: { smtp: attackerEndpoint() } });
    await app.strapi.plugin('campaigns').service('messenger').reload();

    const verify = await api(app, token).post('/settings/verify-transport');
    const monitoring = await api(app, await app.superAdminToken()).get('/monitoring');

    expect(verify.body.data).toEqual({
      ok: false,
      messenger: 'smtp',
      error: expect.stringMatching(/smtp\.pass.*enter the password again/),
    });
    expect(monitoring.body.data.transport).toMatchObject({ ok: false, error: expect.stringMatching(/smtp\.pass/) });
    expect(attacker.authAttempts).toEqual([]);
    expect((await api(app, token).get('/settings')).body.data.smtp).toMatchObject({ host: attacker.host, pass: '' });
  });

  it('a delivery sent meanwhile gives that host no password: it pauses, says why, and fails nobody', async () => {
    await app.strapi
      .store({ type: 'plugin', name: 'campaigns' })
      .set({ key: 'settings', value: { smtp: attackerEndpoint() } });
    await app.strapi.plugin('campaigns').service('messenger').reload();
    const sender = await app.superAdminToken();
    const list = await createList(app, sender, 'Readers');
    await createContacts(app, sender, [{ email: 'ada@example.test' }, { email: 'alan@example.test' }], [list]);
    const delivery = await createDelivery(app, sender, {
      fromEmail: 'news@acme.example.test',
      html: '<p>Hello</p>',
      lists: [list],
    });

    expect((await api(app, sender).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    const paused = await waitForStatus(app, sender, delivery.documentId, ['paused']);
    expect(paused).toMatchObject({ pauseReason: 'login' });
    expect(paused.lastError).toMatch(/^The relay refused our login: smtp\.pass: no password for user "relay"/);
    const logs = await allLogs(app, sender, delivery.documentId);
    expect(logs.map((log) => [log.status, log.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ]);
    expect(attacker.authAttempts).toEqual([]);
    expect(attacker.messages).toEqual([]);
  });

  it('re-entering the password moves it with the host, and it is never shown', async () => {
    const put = await api(app, token).put('/settings', {
      smtp: { ...attackerEndpoint(), user: 'someone', pass: 'anything' },
    });
    const verify = await api(app, token).post('/settings/verify-transport');
    const unsaved = await api(app, token).post('/settings/verify-transport', {
      smtp: { host: relay.host, port: relay.port, user: RELAY.user, pass: RELAY.pass },
    });

    expect(put.status).toBe(200);
    expect(put.body.data.smtp).toMatchObject({ host: attacker.host, user: 'someone', pass: '********' });
    expect(verify.body.data).toEqual({ ok: true, messenger: 'smtp' });
    expect(unsaved.body.data).toEqual({ ok: true, messenger: 'smtp' });
    expect(attacker.authAttempts).toEqual([{ user: 'someone', pass: 'anything' }]);
    expect(relay.authAttempts.at(-1)).toEqual(RELAY);
    for (const res of [put, verify, unsaved, await api(app, token).get('/settings')]) {
      expect(res.text).not.toMatch(/anything|relay-secret-from-file/);
    }
  });

  it('refuses AUTH to a host beyond this machine without a checked certificate, unless allowInsecureAuth', async () => {
    const insecure = { host: 'smtp.example.com', port: 587, user: 'relay', pass: 'p4ss', rejectUnauthorized: false };

    const refused = await api(app, token).put('/settings', { smtp: insecure });
    const allowed = await api(app, token).put('/settings', { smtp: { ...insecure, allowInsecureAuth: true } });

    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/^Invalid settings: smtp\.rejectUnauthorized: .*smtp\.example\.com/);
    expect(allowed.status).toBe(200);
    expect(allowed.body.data.smtp).toMatchObject({
      host: 'smtp.example.com',
      allowInsecureAuth: true,
      pass: '********',
    });
  });

  const outside = outsideAddress();
  (outside ? it : it.skip)(
    'never sends the password in clear text to a host beyond this machine: STARTTLS is required',
    async () => {
      const plain = await startTestSmtpServer({ auth: { user: 'relay', pass: 'p4ss' }, host: outside });
      try {
        await api(app, token).put('/settings', {
          smtp: { host: plain.host, port: plain.port, user: 'relay', pass: 'p4ss' },
        });

        const verify = await api(app, token).post('/settings/verify-transport');

        expect(verify.body.data).toEqual({ ok: false, messenger: 'smtp', error: expect.stringMatching(/STARTTLS/) });
        expect(plain.authAttempts).toEqual([]);
      } finally {
        await plain.close();
      }
    },
  );
});

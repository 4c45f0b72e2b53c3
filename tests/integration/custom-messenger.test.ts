// A messenger registered by the app (the playground's HTTP ESP messenger, with CAMPAIGNS_EXAMPLES=1) and named in
// the config: a local HTTP server stands in for the ESP. Every message arrives as JSON with its headers; an HTTP 500
// is a soft failure that is retried, an HTTP 400 a hard failure; both show in the delivery logs.
import http from 'node:http';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { allLogs, api, createContacts, createDelivery, createList, waitForStatus } from '../helpers/campaigns';

interface EspRequest {
  authorization: string | undefined;
  body: { from: string; to: string; subject: string; html?: string; text?: string; headers: Record<string, string> };
}

/** The ESP stand-in: answers each POST from `answer` (status, JSON body), records what it received. */
const startEsp = async (answer: (to: string, attempt: number) => number) => {
  const received: EspRequest[] = [];
  const attempts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      if (req.method !== 'POST') return res.writeHead(405).end();
      const body = JSON.parse(raw);
      const attempt = (attempts.get(body.to) ?? 0) + 1;
      attempts.set(body.to, attempt);
      const status = answer(body.to, attempt);
      if (status === 200) received.push({ authorization: req.headers.authorization, body });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          status === 200
            ? { id: `esp-${received.length}` }
            : { error: status === 400 ? 'recipient rejected by policy' : 'internal error' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as any).port}/v1/messages`,
    received,
    attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

describe('a messenger registered by the app', () => {
  let esp: Awaited<ReturnType<typeof startEsp>>;
  let app: TestApp;
  let token: string;

  beforeAll(async () => {
    esp = await startEsp((to, attempt) => {
      if (to === 'flaky@example.test') return attempt === 1 ? 500 : 200;
      if (to === 'down@example.test') return 500;
      if (to === 'rejected@example.test') return 400;
      return 200;
    });
    app = await bootTestApp({
      env: { CAMPAIGNS_EXAMPLES: '1' },
      pluginConfig: {
        publicUrl: 'https://news.example.test',
        messenger: 'http-esp',
        messengerOptions: { url: esp.url, apiKey: 'esp-test-key' },
        sending: { retryBaseMs: 50, maxAttempts: 3 },
      },
    });
    token = await app.superAdminToken();
  });

  afterAll(async () => {
    await app?.destroy();
    await esp?.close();
  });

  it('delivers through the ESP with the headers and body of every message, retrying a 500 and failing a 400 for good', async () => {
    const list = await createList(app, token, 'ESP readers');
    await createContacts(
      app,
      token,
      ['ann', 'flaky', 'down', 'rejected'].map((name) => ({
        email: `${name}@example.test`,
        firstName: name.toUpperCase(),
      })),
      [list],
    );
    const delivery = await createDelivery(app, token, {
      subject: 'Hi {{firstName}}',
      html: '<p>Hello {{firstName}}</p>',
      lists: [list],
    });
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, delivery.documentId, ['sent']);

    expect(esp.received.map((request) => request.body.to).sort()).toEqual(['ann@example.test', 'flaky@example.test']);
    const ann = esp.received.find((request) => request.body.to === 'ann@example.test')!;
    expect(ann.authorization).toBe('Bearer esp-test-key');
    expect(ann.body.subject).toBe('Hi ANN');
    expect(ann.body.html).toContain('<p>Hello ANN</p>');
    expect(ann.body.text).toContain('Hello ANN');
    expect(ann.body.headers['List-Unsubscribe']).toMatch(
      /^<https:\/\/news\.example\.test\/api\/campaigns\/u\/[A-Za-z0-9_-]+>$/,
    );
    expect(ann.body.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

    const logs = new Map((await allLogs(app, token, delivery.documentId)).map((log) => [log.email, log]));
    // The Message-ID the ESP got is the one stored on the log (bounces are matched by it).
    expect(ann.body.headers['Message-ID']).toBe(logs.get('ann@example.test').messageId);
    expect(logs.get('flaky@example.test')).toMatchObject({ status: 'sent', attempts: 2 });
    expect(logs.get('down@example.test')).toMatchObject({ status: 'failed', failureType: 'soft', attempts: 3 });
    expect(logs.get('down@example.test').failureMessage).toMatch(/HTTP 500/);
    expect(logs.get('rejected@example.test')).toMatchObject({ status: 'failed', failureType: 'hard', attempts: 1 });
    expect(logs.get('rejected@example.test').failureMessage).toMatch(/HTTP 400 .*recipient rejected by policy/);
    expect(esp.attempts.get('rejected@example.test')).toBe(1);
  });

  it('checks the transport through the messenger', async () => {
    const res = await api(app, token).post('/settings/verify-transport');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ok: true, messenger: 'http-esp' });
  });

  it('refuses a setting that names a messenger nobody registered, listing the registered ones', async () => {
    const res = await api(app, token).put('/settings', { messenger: 'carrier-pigeon' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /unknown messenger "carrier-pigeon"; registered: "smtp", "strapi-email", "http-esp"/,
    );
  });

  it('offers the registered messengers in the settings, never their options (they hold the API key)', async () => {
    const res = await api(app, token).get('/settings');
    expect(res.body.data).toMatchObject({ messenger: 'http-esp', messengers: ['smtp', 'strapi-email', 'http-esp'] });
    expect(JSON.stringify(res.body)).not.toContain('esp-test-key');
  });
});

describe('a config that names an unregistered messenger', () => {
  it('stops Strapi at start with the registered names', async () => {
    await expect(bootTestApp({ pluginConfig: { messenger: 'carrier-pigeon' } })).rejects.toThrow(
      /campaigns\.config\.messenger: unknown messenger "carrier-pigeon"; registered: "smtp", "strapi-email"/,
    );
    // The instance that failed in bootstrap holds a database connection: close it.
    await (global as any).strapi?.destroy().catch(() => undefined);
  });
});

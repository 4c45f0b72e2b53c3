// 1,000 generated bad tokens and paths against every public tracking route of a real, listening Strapi: each is
// refused (404 or 400), none redirects, nothing is recorded or changed, and the server keeps serving.
import http from 'http';
import net from 'net';
import type { AddressInfo } from 'net';
import { UID } from '../../shared/constants';
import { createTokenSigner, type TokenPayload } from '../../server/src/platform/tokens';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { clickPath, countEvents, eventsOf, seedDelivery, sign, type SeededDelivery } from '../helpers/fixtures';

/** A small seeded generator: the same 1,000 inputs on every run, so a failure can be replayed. */
const prng = (seed: number) => () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const UNICODE = ['é', 'ß', '🙂', '𝔘', '\u200b', '\u202e', 'Ａ', 'ı', '\ufeff', 'ñ', '中', '\u0301'];
const TRAVERSAL = [
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e/%2e%2e/admin',
  '..\\..\\windows\\win.ini',
  '....//....//etc/hosts',
  '%252e%252e%252f',
  '.%00./',
  '/../../_health',
  '..;/admin',
  '%c0%ae%c0%ae/',
];
const SQL = [
  "1' OR '1'='1",
  '1; DROP TABLE campaigns_tracking_logs; --',
  "' UNION SELECT password FROM admin_users --",
  '1 AND SLEEP(5)',
  "'; UPDATE campaigns_contacts SET status='unsubscribed'; --",
  '0x27',
  '" OR ""="',
  '1) OR (1=1',
  "admin'--",
  '%27%20OR%201%3D1--',
];

/** Every input is a path suffix after /api/campaigns/<route>/, already safe to put on a request line. */
const generateBadTokens = (good: string[], count: number): string[] => {
  const random = prng(20240601);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const randomToken = (length: number) => Array.from({ length }, () => pick([...BASE64URL])).join('');
  const forger = createTokenSigner(['a key that is not the application key, 32+ chars']);
  const kinds: TokenPayload['kind'][] = ['open', 'click', 'unsubscribe', 'mirror'];

  const makers: Array<() => string> = [
    // forged: well-formed, signed with another key
    () => {
      const kind = pick(kinds);
      const id = () => Math.floor(random() * 1000);
      return forger.sign(
        kind === 'click'
          ? { kind, deliveryId: id(), deliveryLogId: id(), trackedLinkId: id() }
          : { kind, deliveryId: id(), deliveryLogId: id() },
      );
    },
    // random base64url of plausible length
    () => randomToken(16 + Math.floor(random() * 40)),
    // truncated good token
    () => {
      const token = pick(good);
      return token.slice(0, Math.floor(random() * (token.length - 1)));
    },
    // good token with one character changed
    () => {
      const token = pick(good);
      const at = Math.floor(random() * token.length);
      const replacement = BASE64URL[(BASE64URL.indexOf(token[at]) + 1 + Math.floor(random() * 63)) % 64];
      return token.slice(0, at) + replacement + token.slice(at + 1);
    },
    // good token with bytes appended
    () => pick(good) + randomToken(1 + Math.floor(random() * 8)),
    // oversized
    () => randomToken(129 + Math.floor(random() * 4000)),
    // unicode, percent-encoded so it can travel on the request line
    () => {
      const token = pick(good);
      const at = Math.floor(random() * token.length);
      return encodeURIComponent(token.slice(0, at) + pick(UNICODE) + token.slice(at));
    },
    // traversal
    () => pick(TRAVERSAL) + (random() < 0.5 ? '' : pick(good)),
    // SQL-looking, encoded
    () => encodeURIComponent(pick(SQL)),
    // padding, base64 (not base64url) characters, whitespace, extra segments (a raw "#..." is left out: it is a
    // fragment, so the URL is the good one)
    () =>
      pick(good) + pick(['=', '==', '%3D', '+', '%2B', '/', '%2F', '%20', '%09', '%0d%0a', '%23x', ';x', '/..', '/.']),
    // empty and dots
    () => pick(['', '.', '..', '%2e', '%00', '~', '*', 'null', 'undefined', '0', '-1']),
  ];
  return Array.from({ length: count }, (_, i) => makers[i % makers.length]());
};

interface Answer {
  status: number;
  location?: string;
}

describe('tracking routes under bad input', () => {
  let app: TestApp;
  let port: number;
  let seeded: SeededDelivery;
  let badTokens: string[];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

  const send = (method: string, path: string, body?: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers:
            body === undefined
              ? {}
              : { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  /** Sends raw bytes (invalid UTF-8, control characters) that no HTTP client library would put on a request line. */
  const sendRaw = (requestLine: Buffer): Promise<number> =>
    new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString('latin1')));
      socket.on('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0)));
      socket.on('error', () => resolve(0));
      socket.end(
        Buffer.concat([requestLine, Buffer.from(' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')]),
      );
    });

  const inBatches = async <T>(items: T[], size: number, run: (item: T) => Promise<void>) => {
    for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
  };

  beforeAll(async () => {
    app = await bootTestApp();
    await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(0, '127.0.0.1', () => resolve()));
    port = (app.strapi.server.httpServer.address() as AddressInfo).port;
    seeded = await seedDelivery(app.strapi, { recipients: 2 });
    const { deliveryId, logs, links } = seeded;
    const good = [
      sign(app.strapi, { kind: 'open', deliveryId, deliveryLogId: logs[0].id }),
      sign(app.strapi, { kind: 'click', deliveryId, deliveryLogId: logs[0].id, trackedLinkId: links[0].id }),
      sign(app.strapi, { kind: 'unsubscribe', deliveryId, deliveryLogId: logs[0].id }),
      sign(app.strapi, { kind: 'mirror', deliveryId, deliveryLogId: logs[0].id }),
    ];
    badTokens = generateBadTokens(good, 1000);
  });
  afterAll(async () => {
    agent.destroy();
    await app?.destroy();
  });

  const ROUTES: Array<{ name: string; method: string; route: string; body?: string }> = [
    { name: 'open pixel', method: 'GET', route: 'o' },
    { name: 'click redirect', method: 'GET', route: 'c' },
    { name: 'unsubscribe page', method: 'GET', route: 'u' },
    { name: 'one-click unsubscribe', method: 'POST', route: 'u', body: 'List-Unsubscribe=One-Click' },
    { name: 'mirror page', method: 'GET', route: 'm' },
  ];

  it.each(ROUTES)(
    'the $name refuses 1,000 bad tokens and paths with 404 or 400, never redirecting',
    async ({ method, route, body }) => {
      const before = await countEvents(app.strapi);
      const unexpected: Array<{ token: string } & Answer> = [];
      await inBatches(badTokens, 16, async (token) => {
        const answer = await send(method, `/api/campaigns/${route}/${token}`, body);
        if ((answer.status !== 404 && answer.status !== 400) || answer.location !== undefined)
          unexpected.push({ token: token.slice(0, 80), ...answer });
      });
      expect(unexpected).toEqual([]);
      expect(await countEvents(app.strapi)).toBe(before);
    },
  );

  it('refuses raw invalid bytes on the request line and keeps serving', async () => {
    const lines = [
      Buffer.concat([Buffer.from('GET /api/campaigns/c/'), Buffer.from([0xff, 0xfe, 0x00, 0x41])]),
      Buffer.concat([Buffer.from('GET /api/campaigns/o/'), Buffer.from('🙂🙂🙂', 'utf8')]),
      Buffer.from('GET /api/campaigns/c/abc\tdef'),
      Buffer.concat([Buffer.from('POST /api/campaigns/u/'), Buffer.from([0xc0, 0xae, 0xc0, 0xae])]),
    ];
    for (const line of lines) {
      const status = await sendRaw(line);
      expect([0, 400, 404]).toContain(status); // 0: the parser closed the connection without an answer
    }
  });

  it('changed no contact and recorded no event, and still answers a good click with its stored URL', async () => {
    const { deliveryId, logs, links } = seeded;
    expect(await eventsOf(app.strapi, deliveryId)).toHaveLength(0);
    const contacts = await app.strapi.db
      .query(UID.contact)
      .findMany({ where: { id: { $in: logs.map((l) => l.contactId) } } });
    expect(contacts.map((c: any) => c.status)).toEqual(['subscribed', 'subscribed']);

    const answer = await send('GET', clickPath(app.strapi, deliveryId, logs[1].id, links[1].id));
    expect(answer).toEqual({ status: 302, location: links[1].url });
    expect(await eventsOf(app.strapi, deliveryId)).toHaveLength(1);
  });
});

// The fast path (tracking/fast-path.ts) answers before Koa exists for the request, so it reads the client's address
// itself: it must read exactly what Koa's ctx.ip would under each of Strapi's proxy settings (server.proxy.koa,
// ipHeader, maxIpsCount). Each case is sent to a real Koa app that answers with ctx.ip and clientIp side by side.
import http, { type IncomingMessage } from 'http';
import type { AddressInfo } from 'net';
import Koa from 'koa';
import { clientIp } from '../../server/src/tracking/fast-path';

interface Settings {
  proxy: boolean;
  proxyIpHeader?: string;
  maxIpsCount?: number;
}

const both = (settings: Settings, headers: Record<string, string>): Promise<{ koa: string; ours: string }> =>
  new Promise((resolve, reject) => {
    const app = new Koa({ proxy: settings.proxy });
    app.proxyIpHeader = settings.proxyIpHeader ?? 'X-Forwarded-For';
    app.maxIpsCount = settings.maxIpsCount ?? 0;
    app.use((ctx) => {
      ctx.body = { koa: ctx.ip, ours: clientIp(ctx.req as IncomingMessage, app) };
    });
    const server = app.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      http
        .get({ host: '127.0.0.1', port, path: '/', headers }, (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => server.close(() => resolve(JSON.parse(body))));
        })
        .on('error', reject);
    });
  });

const CASES: Array<[string, Settings, Record<string, string>, string]> = [
  ['no proxy: the header is ignored', { proxy: false }, { 'X-Forwarded-For': '203.0.113.9' }, '127.0.0.1'],
  [
    'proxy: the first address of the header',
    { proxy: true },
    { 'X-Forwarded-For': '203.0.113.9, 10.0.0.1' },
    '203.0.113.9',
  ],
  ['proxy without the header: the socket', { proxy: true }, {}, '127.0.0.1'],
  ['proxy with an empty first entry: the socket', { proxy: true }, { 'X-Forwarded-For': ' , 10.0.0.1' }, '127.0.0.1'],
  [
    'proxy trusting the last 2 hops only',
    { proxy: true, maxIpsCount: 2 },
    { 'X-Forwarded-For': '198.51.100.7, 203.0.113.9, 10.0.0.1' },
    '203.0.113.9',
  ],
  [
    'proxy with another header, named in any case',
    { proxy: true, proxyIpHeader: 'X-Real-IP' },
    { 'x-real-ip': '192.0.2.44', 'X-Forwarded-For': '203.0.113.9' },
    '192.0.2.44',
  ],
];

describe('client address on the tracking fast path', () => {
  it.each(CASES)('%s', async (_name, settings, headers, expected) => {
    const { koa, ours } = await both(settings, headers);
    expect(ours).toBe(koa);
    expect(koa.replace(/^::ffff:/, '')).toBe(expected);
  });
});

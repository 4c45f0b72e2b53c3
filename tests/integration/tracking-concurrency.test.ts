// Many recipients opening and clicking at once on a real listening server: every answered hit is one stored event,
// the engagement columns are exact, and a SIGTERM in the middle of the load loses no answered hit.
import { spawn, type ChildProcess } from 'child_process';
import http from 'http';
import path from 'path';
import type { AddressInfo } from 'net';
import { createTokenSigner } from '../../server/src/platform/tokens';
import { createTestDatabase, type TestDatabase } from '../helpers/databases';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { UA, clickPath, openPath, seedDelivery, type SeededDelivery } from '../helpers/fixtures';

const CLIENTS = 50;
const HITS = 5000;

interface Hit {
  logIndex: number;
  type: 'open' | 'click';
  linkIndex: number;
}

/** Hit i goes to recipient i % 50, in rounds of one hit per recipient; one round in five is clicks, on two links. */
const planHits = (count: number, recipients: number): Hit[] =>
  Array.from({ length: count }, (_, i) => {
    const round = Math.floor(i / recipients);
    return { logIndex: i % recipients, type: round % 5 === 0 ? 'click' : 'open', linkIndex: Math.floor(round / 5) % 2 };
  });

const get = (agent: http.Agent, port: number, path: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, agent, headers: { 'User-Agent': UA.chromeWindows } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });

/** 50 clients, each sending its share of the hits one after another on a keep-alive connection. */
const runClients = async (hits: Hit[], send: (hit: Hit) => Promise<void>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < hits.length) {
        const hit = hits[next++];
        await send(hit);
      }
    }),
  );
};

const tally = (hits: Hit[], recipients: number) => {
  const opens = new Array(recipients).fill(0);
  const clicks = new Array(recipients).fill(0);
  for (const hit of hits) (hit.type === 'open' ? opens : clicks)[hit.logIndex] += 1;
  return { opens, clicks };
};

describe('tracking under concurrent load', () => {
  let app: TestApp;
  let port: number;
  let seeded: SeededDelivery;

  beforeAll(async () => {
    app = await bootTestApp();
    await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(0, '127.0.0.1', () => resolve()));
    port = (app.strapi.server.httpServer.address() as AddressInfo).port;
    seeded = await seedDelivery(app.strapi, { recipients: CLIENTS });
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('stores exactly 5,000 events for 5,000 hits from 50 concurrent clients, with exact engagement columns', async () => {
    const { deliveryId, logs, links } = seeded;
    const hits = planHits(HITS, logs.length);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    const statuses: Record<number, number> = {};
    await runClients(hits, async (hit) => {
      const log = logs[hit.logIndex];
      const path =
        hit.type === 'open'
          ? openPath(app.strapi, deliveryId, log.id)
          : clickPath(app.strapi, deliveryId, log.id, links[hit.linkIndex].id);
      const status = await get(agent, port, path);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
    agent.destroy();

    const expected = tally(hits, logs.length);
    expect(statuses).toEqual({ 200: HITS * 0.8, 302: HITS * 0.2 });

    const knex = app.strapi.db.connection;
    const [{ count }] = await knex('campaigns_tracking_logs').where('delivery_id', deliveryId).count({ count: '*' });
    expect(Number(count)).toBe(HITS);

    const rows = await knex('campaigns_delivery_logs')
      .whereIn(
        'id',
        logs.map((l) => l.id),
      )
      .orderBy('id')
      .select('id', 'opens', 'clicks');
    expect(rows.map((r: any) => Number(r.opens))).toEqual(expected.opens);
    expect(rows.map((r: any) => Number(r.clicks))).toEqual(expected.clicks);

    // firstOpenedAt is the earliest event of any kind, firstClickedAt the earliest click: compared with the events.
    const firsts = await knex('campaigns_tracking_logs')
      .where('delivery_id', deliveryId)
      .groupBy('delivery_log_id')
      .select('delivery_log_id')
      .min({ firstAny: 'at' });
    const firstClicks = await knex('campaigns_tracking_logs')
      .where({ delivery_id: deliveryId, type: 'click' })
      .groupBy('delivery_log_id')
      .select('delivery_log_id')
      .min({ firstClick: 'at' });
    // humanOpenedAt / humanClickedAt: the same over the events left unflagged, after any burst re-flagged clicks
    // (two links clicked within seconds by one recipient, as this load does, is a scanner's burst).
    const human = (query: any) =>
      query
        .where((w: any) => w.where('is_bot', false).orWhereNull('is_bot'))
        .where((w: any) => w.where('is_machine_open', false).orWhereNull('is_machine_open'));
    const humanFirsts = await human(knex('campaigns_tracking_logs').where('delivery_id', deliveryId))
      .groupBy('delivery_log_id')
      .select('delivery_log_id')
      .min({ first: 'at' });
    const humanFirstClicks = await human(
      knex('campaigns_tracking_logs').where({ delivery_id: deliveryId, type: 'click' }),
    )
      .groupBy('delivery_log_id')
      .select('delivery_log_id')
      .min({ first: 'at' });
    const logRows = await app.strapi.db
      .query('plugin::campaigns.delivery-log')
      .findMany({ where: { deliveryId }, orderBy: { id: 'asc' } });
    const iso = (value: unknown) =>
      value === null || value === undefined ? null : new Date(value as any).toISOString();
    const firstOf = (rows: any[], id: number) => iso(rows.find((f: any) => Number(f.delivery_log_id) === id)?.first);
    for (const log of logRows) {
      const any = firsts.find((f: any) => Number(f.delivery_log_id) === log.id)!;
      const click = firstClicks.find((f: any) => Number(f.delivery_log_id) === log.id)!;
      expect({
        id: log.id,
        firstOpenedAt: iso(log.firstOpenedAt),
        firstClickedAt: iso(log.firstClickedAt),
        humanOpenedAt: iso(log.humanOpenedAt),
        humanClickedAt: iso(log.humanClickedAt),
      }).toEqual({
        id: log.id,
        firstOpenedAt: iso(any.firstAny),
        firstClickedAt: iso(click.firstClick),
        humanOpenedAt: firstOf(humanFirsts, log.id),
        humanClickedAt: firstOf(humanFirstClicks, log.id),
      });
    }
  });
});

describe('tracking when the server is stopped in the middle of the load', () => {
  let db: TestDatabase;
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await db?.drop();
  });

  it('stores every hit that was answered before a SIGTERM', async () => {
    const TOKEN_KEY = 'concurrency-test-tracking-key-0123456789';
    child = spawn(process.execPath, [path.join(__dirname, '..', 'helpers', 'tracking-server.js')], {
      env: {
        ...process.env,
        ...db.env,
        CAMPAIGNS_TOKEN_KEYS: TOKEN_KEY,
        CAMPAIGNS_CONFIG: '{}',
        SEED_RECIPIENTS: String(CLIENTS),
        SEED_LINKS: '2',
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const ready = await new Promise<{ port: number; seeded: SeededDelivery }>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (chunk) => {
        out += chunk;
        const line = out.split('\n').find((l) => l.startsWith('READY '));
        if (line) resolve(JSON.parse(line.slice('READY '.length)));
      });
      child!.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));

    const signer = createTokenSigner([TOKEN_KEY]);
    const { deliveryId, logs, links } = ready.seeded;
    const hits = planHits(HITS, logs.length);
    const answered: Hit[] = [];
    let refused = 0;
    let signalled = false;
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    await runClients(hits, async (hit) => {
      const log = logs[hit.logIndex];
      const token =
        hit.type === 'open'
          ? signer.sign({ kind: 'open', deliveryId, deliveryLogId: log.id })
          : signer.sign({ kind: 'click', deliveryId, deliveryLogId: log.id, trackedLinkId: links[hit.linkIndex].id });
      try {
        const status = await get(agent, ready.port, `/api/campaigns/${hit.type === 'open' ? 'o' : 'c'}/${token}`);
        if (status === 200 || status === 302) answered.push(hit);
      } catch {
        refused += 1; // reset or refused while shutting down: not answered, so nothing is owed
      }
      if (!signalled && answered.length >= 1500) {
        signalled = true;
        child!.kill('SIGTERM');
      }
    });
    agent.destroy();
    expect({ exitCode: await exited, stderr: stderr.slice(0, 2000) }).toMatchObject({ exitCode: 0 });
    expect(signalled).toBe(true);
    expect(answered.length).toBeGreaterThanOrEqual(1500);
    expect(answered.length + refused).toBe(HITS);

    // Read what the stopped server left in its database.
    const knexFactory = require('knex');
    const env = db.env;
    const knex = knexFactory(
      env.DATABASE_CLIENT === 'sqlite'
        ? { client: 'better-sqlite3', connection: { filename: env.DATABASE_FILENAME }, useNullAsDefault: true }
        : {
            client: env.DATABASE_CLIENT === 'postgres' ? 'pg' : 'mysql2',
            connection: {
              host: env.DATABASE_HOST,
              port: Number(env.DATABASE_PORT),
              user: env.DATABASE_USERNAME,
              password: env.DATABASE_PASSWORD,
              database: env.DATABASE_NAME,
            },
          },
    );
    try {
      const stored = await knex('campaigns_tracking_logs')
        .where('delivery_id', deliveryId)
        .select('delivery_log_id', 'type');
      const columns = await knex('campaigns_delivery_logs')
        .where('delivery_id', deliveryId)
        .orderBy('id')
        .select('id', 'opens', 'clicks');

      // Every answered hit is stored; hits whose answer was cut off by the shutdown may be stored too.
      expect(stored.length).toBeGreaterThanOrEqual(answered.length);
      expect(stored.length).toBeLessThanOrEqual(HITS);
      const answeredBy = tally(answered, logs.length);
      const storedOpens = new Array(logs.length).fill(0);
      const storedClicks = new Array(logs.length).fill(0);
      for (const event of stored) {
        const index = logs.findIndex((l) => l.id === Number(event.delivery_log_id));
        (event.type === 'open' ? storedOpens : storedClicks)[index] += 1;
      }
      for (let i = 0; i < logs.length; i += 1) {
        expect(storedOpens[i]).toBeGreaterThanOrEqual(answeredBy.opens[i]);
        expect(storedClicks[i]).toBeGreaterThanOrEqual(answeredBy.clicks[i]);
      }
      // The columns were written in the same transactions as the events.
      expect(columns.map((c: any) => Number(c.opens))).toEqual(storedOpens);
      expect(columns.map((c: any) => Number(c.clicks))).toEqual(storedClicks);
    } finally {
      await knex.destroy();
    }
  });
});

// The retention purge: old logs and abandoned deliveries removed in batches, recent ones kept, inactive contacts
// flagged, and a report whose every count is exact.
import { UID } from '../../shared/constants';
import { createDocumentId } from '../../server/src/platform/document-id';
import { api } from '../helpers/campaigns';
import { insertDelivery, insertEvents, insertLogs, stopSending } from '../helpers/fixtures';
import { bootTestApp, type TestApp } from '../helpers/strapi';

const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3_600_000);
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

describe('retention', () => {
  let app: TestApp;
  let token: string;
  const ids: Record<string, number> = {};
  const contacts: Record<string, number> = {};
  const count = (uid: string, where: Record<string, unknown> = {}) => app.strapi.db.query(uid as any).count({ where });
  const retention = () => app.strapi.plugin('campaigns').service('retention') as any;

  /** Delivery logs created `days` ago (the query engine stamps createdAt itself: set it afterwards). */
  const ageLogs = async (logIds: number[], days: number) => {
    const table = app.strapi.db.metadata.get(UID.deliveryLog).tableName;
    await app.strapi.db
      .connection(table)
      .whereIn('id', logIds)
      .update({ created_at: daysAgo(days) });
  };

  const contact = async (key: string, data: Record<string, unknown> = {}) => {
    const row = await app.strapi.db.query(UID.contact).create({
      data: {
        documentId: createDocumentId(),
        email: `${key}@people.test`,
        status: 'subscribed',
        publishedAt: new Date(),
        ...data,
      },
    });
    contacts[key] = Number(row.id);
    return contacts[key];
  };

  beforeAll(async () => {
    app = await bootTestApp({
      pluginConfig: { retention: { logsDays: 30, deliveriesDays: 60, inactiveAfterDeliveries: 2, batchSize: 4 } },
    });
    await stopSending(app.strapi);
    token = await app.superAdminToken();

    // A: sent 40 days ago. 10 logs and 9 events are old; 3 late opens came yesterday.
    const a = await insertDelivery(app.strapi, { name: 'A old', status: 'sent', finishedAt: daysAgo(40) });
    ids.a = a.id;
    const aLogs = await insertLogs(
      app.strapi,
      a.id,
      Array.from({ length: 10 }, () => ({ sentAt: daysAgo(40) })),
    );
    await ageLogs(aLogs, 40);
    await insertEvents(app.strapi, a.id, [
      ...Array.from({ length: 9 }, (_, i) => ({ log: aLogs[i], type: 'open' as const, at: daysAgo(39) })),
      ...Array.from({ length: 3 }, (_, i) => ({ log: aLogs[i], type: 'open' as const, at: daysAgo(1) })),
    ]);

    // C: still sending after 40 days (paused and resumed): its logs stay, its old events go.
    const c = await insertDelivery(app.strapi, { name: 'C active', status: 'sending', startedAt: daysAgo(40) });
    ids.c = c.id;
    const cLogs = await insertLogs(app.strapi, c.id, [
      { sentAt: daysAgo(40) },
      { sentAt: daysAgo(40) },
      { status: 'pending' },
    ]);
    await ageLogs(cLogs, 40);
    await insertEvents(app.strapi, c.id, [
      { log: cLogs[0], type: 'open', at: daysAgo(35) },
      { log: cLogs[1], type: 'click', at: daysAgo(35) },
    ]);

    // D: failed 90 days ago: purged whole, with its logs, events and tracked links.
    const d = await insertDelivery(app.strapi, { name: 'D failed', status: 'failed', finishedAt: daysAgo(90) });
    ids.d = d.id;
    const dLogs = await insertLogs(app.strapi, d.id, [
      { status: 'failed', failureType: 'hard' },
      { sentAt: daysAgo(90) },
      { sentAt: daysAgo(90) },
    ]);
    await ageLogs(dLogs, 90);
    await insertEvents(app.strapi, d.id, [
      { log: dLogs[1], type: 'open', at: daysAgo(89) },
      { log: dLogs[2], type: 'open', at: daysAgo(89) },
    ]);
    for (const position of [0, 1]) {
      await app.strapi.db.query(UID.trackedLink).create({
        data: {
          documentId: createDocumentId(),
          deliveryId: d.id,
          url: `https://example.com/${position}`,
          position,
          kind: 'tracked',
          publishedAt: new Date(),
        },
      });
    }

    // E: cancelled 10 days ago: kept (60 days not reached). Its link stays too.
    const e = await insertDelivery(app.strapi, { name: 'E cancelled', status: 'cancelled', finishedAt: daysAgo(10) });
    ids.e = e.id;
    await app.strapi.db.query(UID.trackedLink).create({
      data: {
        documentId: createDocumentId(),
        deliveryId: e.id,
        url: 'https://example.com/e',
        position: 0,
        kind: 'tracked',
        publishedAt: new Date(),
      },
    });

    // Alerts: one from 40 days ago, one from today.
    for (const [criterion, at] of [
      ['deliveryFailed', daysAgo(40)],
      ['deliveryFinished', new Date()],
    ] as const) {
      await app.strapi.db.query(UID.alert).create({
        data: {
          documentId: createDocumentId(),
          criterion,
          deliveryId: a.id,
          message: 'x',
          at,
          dedupeKey: `${criterion}:${a.id}:x`,
          publishedAt: new Date(),
        },
      });
    }

    // Recent deliveries B, F, G (sent 3, 2 and 1 days ago) and who reacted to them.
    const [c1, c2, c3, c4, c5, c6, c7] = [
      await contact('c1'),
      await contact('c2'),
      await contact('c3'),
      await contact('c4'),
      await contact('c5', { status: 'unsubscribed' }),
      await contact('c6', { inactive: true, inactiveSince: daysAgo(5) }),
      await contact('c7'),
    ];
    const b = await insertDelivery(app.strapi, { name: 'B recent', status: 'sent', finishedAt: daysAgo(3) });
    const f = await insertDelivery(app.strapi, { name: 'F recent', status: 'sent', finishedAt: daysAgo(2) });
    const g = await insertDelivery(app.strapi, { name: 'G recent', status: 'sent', finishedAt: daysAgo(1) });
    ids.b = b.id;
    const [b1, b2, b3, b5, b6, b7] = await insertLogs(
      app.strapi,
      b.id,
      [c1, c2, c3, c5, c6, c7].map((contactId) => ({ contactId, sentAt: daysAgo(3) })),
    );
    const [f1, f2, f3, f4, f5, f6, f7] = await insertLogs(
      app.strapi,
      f.id,
      [c1, c2, c3, c4, c5, c6, c7].map((contactId) => ({ contactId, sentAt: daysAgo(2) })),
    );
    const [g7] = await insertLogs(app.strapi, g.id, [{ contactId: c7, sentAt: daysAgo(1) }]);
    // A hard bounce is not a delivered message: it does not count among c4's last deliveries.
    await insertLogs(app.strapi, g.id, [{ contactId: c4, status: 'bounced', failureType: 'hard', sentAt: daysAgo(1) }]);
    await insertEvents(app.strapi, b.id, [
      { log: b2, type: 'open', at: hoursAgo(70) }, // c2 opened B: active
      { log: b3, type: 'open', at: hoursAgo(70), isMachineOpen: true }, // c3: Apple's prefetch only
      { log: b7, type: 'open', at: hoursAgo(70) }, // c7 opened B, then ignored F and G: inactive all the same
      { log: b6, type: 'click', at: hoursAgo(70) }, // c6 clicked: no longer inactive
    ]);
    await insertEvents(app.strapi, f.id, [
      { log: f3, type: 'open', at: hoursAgo(40), isMachineOpen: true },
      { log: f1, type: 'click', at: hoursAgo(40), isBot: true }, // c1: a link scanner only
    ]);
    void [b1, b5, f2, f4, f5, f6, f7, g7];
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('POST /settings/retention/run purges in batches and reports exactly what it removed', async () => {
    const res = await api(app, token).post('/settings/retention/run');

    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      trackingLogs: 13, // D's 2, A's 9 old ones, C's 2
      deliveryLogs: 13, // D's 3, A's 10
      deliveries: 1,
      trackedLinks: 2,
      alerts: 1,
      inactiveContacts: 3, // c1 (a scanner only), c3 (machine opens only), c7 (ignored the last two)
      reactivatedContacts: 1, // c6
      // batchSize 4: D's events, logs and links (1 + 1 + 1), old events 11 (3), old logs 10 (3), alerts (1)
      batches: 10,
      durationMs: expect.any(Number),
    });
  });

  it('removes the delivery left failed, with everything it had', async () => {
    expect(await count(UID.delivery, { id: ids.d })).toBe(0);
    expect(await count(UID.deliveryLog, { deliveryId: ids.d })).toBe(0);
    expect(await count(UID.trackingLog, { deliveryId: ids.d })).toBe(0);
    expect(await count(UID.trackedLink, { deliveryId: ids.d })).toBe(0);
  });

  it('keeps what is recent or still active', async () => {
    expect(await count(UID.delivery, { id: ids.e })).toBe(1); // cancelled 10 days ago
    expect(await count(UID.trackedLink, { deliveryId: ids.e })).toBe(1);
    expect(await count(UID.delivery, { id: ids.a })).toBe(1); // sent deliveries are never purged, only their logs
    expect(await count(UID.trackingLog, { deliveryId: ids.a })).toBe(3); // yesterday's late opens
    expect(await count(UID.deliveryLog, { deliveryId: ids.a })).toBe(0);
    expect(await count(UID.deliveryLog, { deliveryId: ids.c })).toBe(3); // still sending
    expect(await count(UID.trackingLog, { deliveryId: ids.c })).toBe(0);
    expect(await count(UID.deliveryLog, { deliveryId: ids.b })).toBe(6);
    expect(await count(UID.trackingLog, { deliveryId: ids.b })).toBe(4);
    expect(await count(UID.alert)).toBe(1);
  });

  it('flags subscribed contacts without a human reaction to their last 2 deliveries, and only them', async () => {
    const flagged = await app.strapi.db
      .query(UID.contact)
      .findMany({ where: { inactive: true }, select: ['email', 'status', 'inactiveSince'] });

    expect(flagged.map((c: any) => c.email).sort()).toEqual(['c1@people.test', 'c3@people.test', 'c7@people.test']);
    expect(flagged.every((c: any) => c.status === 'subscribed' && c.inactiveSince)).toBe(true);
    const c6 = await app.strapi.db.query(UID.contact).findOne({ where: { id: contacts.c6 } });
    expect(c6).toMatchObject({ inactive: false, inactiveSince: null });
  });

  it('a second run finds nothing more to do', async () => {
    const report = await retention().runNow();

    expect(report).toMatchObject({
      trackingLogs: 0,
      deliveryLogs: 0,
      deliveries: 0,
      trackedLinks: 0,
      alerts: 0,
      inactiveContacts: 0,
      reactivatedContacts: 0,
      batches: 0,
    });
  });

  it('0 days means never: nothing is purged', async () => {
    const settings = app.strapi.plugin('campaigns').service('settings') as any;
    await settings.set({ retention: { logsDays: 0, deliveriesDays: 0, inactiveAfterDeliveries: 0 } });
    const old = await insertDelivery(app.strapi, { name: 'Kept forever', status: 'failed', finishedAt: daysAgo(900) });
    await insertEvents(app.strapi, old.id, [{ log: null, type: 'open', at: daysAgo(900) }]);

    const report = await retention().runNow();

    expect(report).toMatchObject({ trackingLogs: 0, deliveries: 0, batches: 0 });
    expect(await count(UID.delivery, { id: old.id })).toBe(1);
  });
});

// Engagement segments: three deliveries go through a real SMTP server and their recipients react through the real
// tracking routes (a person opening, one clicking with images blocked, Apple Mail Privacy Protection prefetching
// every pixel, a link scanner, a soft bounce); each segment's members are then compared with the expected set,
// exactly, with machine opens left out and counted in; and a delivery to a segment sends exactly the number of
// messages its size said, to exactly its members who can receive mail.
import { UID } from '../../shared/constants';
import type { SegmentRules } from '../../shared/segments';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { api, createContacts, createDelivery, createList, trackingPathsOf, waitForStatus } from '../helpers/campaigns';
import { UA } from '../helpers/fixtures';

const PUBLIC_URL = 'https://news.example.test';
const HTML = `<h1>Hello {{firstName}}</h1><p><a href="https://shop.example.test/spring">Spring offers</a></p>`;
const PEOPLE = ['reader', 'clicker', 'apple', 'scanned', 'silent', 'bouncing', 'leaving'];
const emailOf = (name: string) => `${name}@example.test`;

describe('engagement segments', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let everyone: string;
  let others: string;
  const deliveries: Array<{ documentId: string; id: number }> = [];

  /** Sends a delivery to everyone; the scanner follows its link at once, Apple's proxy loads its pixel. */
  const sendToEveryone = async (name: string) => {
    const delivery = await createDelivery(app, token, {
      name,
      subject: name,
      fromEmail: 'news@example.test',
      html: HTML,
      lists: [everyone],
    });
    const before = smtp.messages.length;
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, delivery.documentId, ['sent']);
    await smtp.waitFor(before + PEOPLE.length);
    const received = new Map(smtp.messages.slice(before).map((m) => [m.envelopeTo[0], trackingPathsOf(m)]));
    const http = app.http();
    expect((await http.get(received.get(emailOf('scanned'))!.click).set('User-Agent', UA.chromeWindows)).status).toBe(
      302,
    );
    expect((await http.get(received.get(emailOf('apple'))!.pixel).set('User-Agent', UA.applePrefetch)).status).toBe(
      200,
    );
    // People come back an hour later (outside the scanner window).
    await app.strapi.db
      .query(UID.deliveryLog)
      .updateMany({ where: { deliveryId: delivery.id }, data: { sentAt: new Date(Date.now() - 3600_000) } });
    deliveries.push(delivery);
    return received;
  };

  const evaluate = async (rules: Partial<SegmentRules>) => {
    const res = await api(app, token).post('/segments/evaluate', { rules: { match: 'all', ...rules } });
    expect(res.status).toBe(200);
    return res.body.data as {
      size: { members: number; recipients: number; excluded: Record<string, number> };
      members: Array<{ email: string; exclusion: string | null }>;
    };
  };
  const membersOf = async (rules: Partial<SegmentRules>) =>
    (await evaluate(rules)).members.map((member) => member.email.split('@')[0]).sort();

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: { publicUrl: PUBLIC_URL, smtp: { host: smtp.host, port: smtp.port, pool: 2 } },
    });
    token = await app.superAdminToken();
    everyone = await createList(app, token, 'Everyone');
    others = await createList(app, token, 'Others');
    await createContacts(
      app,
      token,
      PEOPLE.map((name) => ({ email: emailOf(name), firstName: name })),
      [everyone],
    );
    await createContacts(app, token, [{ email: emailOf('outsider'), firstName: 'outsider' }], [others]);

    const first = await sendToEveryone('First');
    expect(
      (
        await app
          .http()
          .get(first.get(emailOf('reader'))!.pixel)
          .set('User-Agent', UA.outlookWindows)
      ).status,
    ).toBe(200);
    expect(
      (
        await app
          .http()
          .get(first.get(emailOf('leaving'))!.pixel)
          .set('User-Agent', UA.iphoneSafari)
      ).status,
    ).toBe(200);
    const second = await sendToEveryone('Second');
    expect(
      (
        await app
          .http()
          .get(second.get(emailOf('clicker'))!.click)
          .set('User-Agent', UA.iphoneSafari)
      ).status,
    ).toBe(302);
    await sendToEveryone('Third');
    const bounced = await app.strapi.db
      .query(UID.deliveryLog)
      .findOne({ where: { deliveryId: deliveries[2].id, email: emailOf('bouncing') } });
    await app.strapi
      .plugin('campaigns')
      .service('bounces')
      .apply([
        {
          kind: 'bounce',
          messageIds: [bounced.messageId],
          email: emailOf('bouncing'),
          bounceType: 'soft',
          failureReason: 'mailbox_full',
          message: '452 4.2.2 Mailbox full',
        },
      ]);
    // "leaving" opened the first one, then unsubscribed.
    await app.strapi.db
      .query(UID.contact)
      .update({ where: { email: emailOf('leaving') }, data: { status: 'unsubscribed' } });
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  const first = () => ({ type: 'delivery' as const, delivery: deliveries[0].documentId });

  it('selects exactly who reacted, people only unless machine opens are switched in', async () => {
    expect(await membersOf({ conditions: [{ kind: 'opened', scope: first(), not: false }] })).toEqual([
      'leaving',
      'reader',
    ]);
    // A scanner's click is a reaction too once machines count (any reaction is an open).
    expect(
      await membersOf({ conditions: [{ kind: 'opened', scope: first(), not: false }], includeMachine: true }),
    ).toEqual(['apple', 'leaving', 'reader', 'scanned']);
    // "Did not open" means was sent it and did not open it: the outsider was never sent it.
    expect(await membersOf({ conditions: [{ kind: 'opened', scope: first(), not: true }] })).toEqual([
      'apple',
      'bouncing',
      'clicker',
      'scanned',
      'silent',
    ]);
    const lastThree = { type: 'last' as const, count: 3 };
    expect(await membersOf({ conditions: [{ kind: 'clicked', scope: lastThree, not: false }] })).toEqual(['clicker']);
    expect(
      await membersOf({ conditions: [{ kind: 'clicked', scope: lastThree, not: false }], includeMachine: true }),
    ).toEqual(['clicker', 'scanned']);
    // The last one delivery is the third: nobody clicked it as a person.
    expect(
      await membersOf({ conditions: [{ kind: 'clicked', scope: { type: 'last', count: 1 }, not: false }] }),
    ).toEqual([]);
  });

  it('selects a link’s clickers, the inactive and the soft-bounced', async () => {
    const link = await app.strapi.db.query(UID.trackedLink).findOne({ where: { deliveryId: deliveries[1].id } });
    expect(
      await membersOf({
        conditions: [{ kind: 'clickedLink', delivery: deliveries[1].documentId, link: link.documentId, not: false }],
      }),
    ).toEqual(['clicker']);
    expect(
      await membersOf({
        conditions: [{ kind: 'clickedLink', delivery: deliveries[1].documentId, link: link.documentId, not: true }],
      }),
    ).toEqual(['apple', 'bouncing', 'leaving', 'reader', 'scanned', 'silent']);
    expect(await membersOf({ conditions: [{ kind: 'inactive', days: 30, not: false }] })).toEqual([
      'apple',
      'bouncing',
      'outsider',
      'scanned',
      'silent',
    ]);
    expect(await membersOf({ conditions: [{ kind: 'inactive', days: 30, not: false }], includeMachine: true })).toEqual(
      ['bouncing', 'outsider', 'silent'],
    );
    expect(await membersOf({ conditions: [{ kind: 'softBounced', days: 7, not: false }] })).toEqual(['bouncing']);
  });

  it('combines conditions with lists: all, any, not', async () => {
    expect(
      await membersOf({
        conditions: [
          { kind: 'inactive', days: 30, not: false },
          { kind: 'list', list: others, not: true },
        ],
      }),
    ).toEqual(['apple', 'bouncing', 'scanned', 'silent']);
    expect(
      await membersOf({
        match: 'any',
        conditions: [
          { kind: 'list', list: others, not: false },
          { kind: 'opened', scope: first(), not: false },
        ],
      }),
    ).toEqual(['leaving', 'outsider', 'reader']);
  });

  it('sends a delivery to exactly the size it showed, each member who can receive mail once', async () => {
    const created = await api(app, token).post('/segments', {
      name: 'Readers of the first, and the others',
      rules: {
        match: 'any',
        conditions: [
          { kind: 'list', list: others },
          { kind: 'opened', scope: first() },
        ],
      },
    });
    expect(created.status).toBe(201);
    const segment = created.body.data;
    const { size } = await evaluate(segment.rules);
    expect(size).toEqual({ members: 3, recipients: 2, excluded: { unsubscribed: 1 } });

    const delivery = await createDelivery(app, token, {
      name: 'To a segment',
      subject: 'Just for you',
      fromEmail: 'news@example.test',
      html: HTML,
      segment: segment.documentId,
    });
    const before = smtp.messages.length;
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    const sent = await waitForStatus(app, token, delivery.documentId, ['sent']);
    expect(sent.segment).toMatchObject({ documentId: segment.documentId });
    expect(sent.estimatedRecipients).toBe(size.recipients);
    expect(sent.counters).toMatchObject({ sent: size.recipients, excluded: 1 });
    // Alerts to the admins (the third delivery's soft bounce) may go through the same server meanwhile.
    const ofDelivery = () => smtp.messages.slice(before).filter((m) => m.subject === 'Just for you');
    for (let waited = 0; ofDelivery().length < size.recipients && waited < 10_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      ofDelivery()
        .map((m) => m.envelopeTo[0])
        .sort(),
    ).toEqual([emailOf('outsider'), emailOf('reader')]);
  });

  it('refuses what cannot be sent as asked, with the reason', async () => {
    const missingList = await api(app, token).post('/segments', {
      name: 'Gone',
      rules: { conditions: [{ kind: 'list', list: 'nosuchlist00000000000000' }] },
    });
    expect(missingList.status).toBe(400);
    expect(missingList.body.error.message).toContain('Condition 1 names a list that no longer exists');
    const empty = await api(app, token).post('/segments', { name: 'Empty', rules: { conditions: [] } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain('add at least one condition');

    const segment = (
      await api(app, token).post('/segments', {
        name: 'Inactive',
        rules: { conditions: [{ kind: 'inactive', days: 90 }] },
      })
    ).body.data;
    const both = await api(app, token).post('/deliveries', {
      name: 'Both',
      subject: 'Both',
      html: HTML,
      lists: [everyone],
      segment: segment.documentId,
    });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toContain('an engagement segment or to lists, not both');

    await createDelivery(app, token, { name: 'Draft to inactive', html: HTML, segment: segment.documentId });
    const removed = await api(app, token).delete(`/segments/${segment.documentId}`);
    expect(removed.status).toBe(400);
    expect(removed.body.error.message).toContain('is the audience of the delivery "Draft to inactive"');
  });
});

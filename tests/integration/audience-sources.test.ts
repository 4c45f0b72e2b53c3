// Audience sources registered by the app: the playground registers its users-permissions users (all of them, or one
// role; blocked users left out). A delivery sent to a role reaches exactly that role's active users, personalised
// from the source; someone who unsubscribed is excluded next time; the editor's picker shows the segments and sizes.
// A source written by hand (an in-memory "CRM") is read page by page from its cursor; one that throws fails its delivery.
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { allLogs, api, createDelivery, rawHeader, waitForStatus } from '../helpers/campaigns';

const USER = 'plugin::users-permissions.user' as any;
const ROLE = 'plugin::users-permissions.role' as any;

describe('audience sources registered by the app', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;

  const messagesOf = (documentId: string) =>
    smtp.messages.filter((message) => rawHeader(message, 'X-Campaigns-Delivery') === documentId);

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: { publicUrl: 'https://news.example.test', smtp: { host: smtp.host, port: smtp.port } },
    });
    token = await app.superAdminToken();
    const authenticated = await app.strapi.db.query(ROLE).findOne({ where: { type: 'authenticated' } });
    const premium = await app.strapi.db
      .query(ROLE)
      .create({ data: { name: 'Premium', type: 'premium', description: 'Paying members' } });
    const users = [
      { username: 'alice', role: authenticated.id },
      { username: 'bob', role: authenticated.id },
      { username: 'carol', role: authenticated.id, blocked: true },
      { username: 'dave', role: premium.id },
      { username: 'Erin', role: premium.id },
      { username: 'frank', role: premium.id, blocked: true },
    ];
    for (const user of users) {
      await app.strapi.db.query(USER).create({
        data: {
          username: user.username,
          email: `${user.username}@Example.test`,
          provider: 'local',
          confirmed: true,
          blocked: user.blocked ?? false,
          role: user.role,
        },
      });
    }
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('lists the source with its segments and their sizes for the editor, blocked users left out', async () => {
    const res = await api(app, token).get('/audience-sources');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      {
        id: 'users',
        label: 'Users',
        segments: [
          { id: 'all', label: 'All users', count: 4 },
          { id: 'role:authenticated', label: 'Role: Authenticated', count: 2 },
          { id: 'role:premium', label: 'Role: Premium', count: 2 },
          { id: 'role:public', label: 'Role: Public', count: 0 },
        ],
      },
    ]);
  });

  it('sends to exactly the active users of a role, personalised from the source; an unsubscribe excludes them next time', async () => {
    const first = await createDelivery(app, token, {
      name: 'Premium news',
      subject: 'Hi {{attributes.username}}',
      html: '<p>Dear {{attributes.username}}, thanks for being premium.</p>',
      audienceSegments: [{ source: 'users', segment: 'role:premium' }],
    });
    expect((first as any).audienceSegments).toEqual([{ source: 'users', segment: 'role:premium' }]);
    const sent = await api(app, token).post(`/deliveries/${first.documentId}/send`);
    expect(sent.status).toBe(200);
    expect(sent.body.data.estimatedRecipients).toBe(2);
    await waitForStatus(app, token, first.documentId, ['sent']);
    await smtp.waitFor(2);

    const received = messagesOf(first.documentId);
    expect(received.map((message) => message.envelopeTo[0]).sort()).toEqual(['dave@example.test', 'erin@example.test']);
    expect(received.find((message) => message.envelopeTo[0] === 'erin@example.test')!.subject).toBe('Hi Erin');
    expect(received.find((message) => message.envelopeTo[0] === 'dave@example.test')!.html).toContain(
      'Dear dave, thanks',
    );

    // Erin unsubscribes with the one-click link of her message.
    const erin = received.find((message) => message.envelopeTo[0] === 'erin@example.test')!;
    const url = new URL(rawHeader(erin, 'List-Unsubscribe')!.replace(/^<|>$/g, ''));
    const unsubscribed = await app.http().post(url.pathname).type('form').send('List-Unsubscribe=One-Click');
    expect(unsubscribed.status).toBeLessThan(300);

    // Next delivery: premium users and all users. Erin is excluded, Dave (in both) gets one message.
    const second = await createDelivery(app, token, {
      name: 'Everyone',
      subject: 'News for {{attributes.username}}',
      html: '<p>News</p>',
      audienceSegments: [
        { source: 'users', segment: 'role:premium' },
        { source: 'users', segment: 'all' },
      ],
    });
    expect((await api(app, token).post(`/deliveries/${second.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, second.documentId, ['sent']);
    await smtp.waitFor(5);
    expect(
      messagesOf(second.documentId)
        .map((message) => message.envelopeTo[0])
        .sort(),
    ).toEqual(['alice@example.test', 'bob@example.test', 'dave@example.test']);
    const logs = (await allLogs(app, token, second.documentId)).map((log) => [
      log.email,
      log.status,
      log.exclusionReason,
    ]);
    expect(logs.sort()).toEqual([
      ['alice@example.test', 'sent', null],
      ['bob@example.test', 'sent', null],
      ['dave@example.test', 'excluded', 'duplicate'],
      ['dave@example.test', 'sent', null],
      ['erin@example.test', 'excluded', 'duplicate'],
      ['erin@example.test', 'excluded', 'unsubscribed'],
    ]);
  });

  it('reads a source of the app page by page from its cursor, with its names and data, invalid and repeated addresses logged', async () => {
    const people = [
      { key: 'c1', email: 'Zoe@Crm.test', firstName: 'Zoe', data: { plan: 'gold' } },
      { key: 'c2', email: 'not-an-address', firstName: 'Nobody' },
      { key: 'c3', email: 'yann@crm.test', firstName: 'Yann', data: { plan: 'free' } },
      { key: 'c4', email: 'zoe@crm.test', firstName: 'Zoe again' },
      { key: 'c5', email: 'xavier@crm.test', firstName: 'Xavier' },
    ];
    const pagesAsked: Array<string | null> = [];
    app.strapi
      .plugin('campaigns')
      .service('audience-sources')
      .register({
        id: 'crm',
        label: 'CRM',
        segments: () => [
          { id: 'customers', label: 'Customers' },
          { id: 'broken', label: 'Broken' },
        ],
        count: (segment: string) => (segment === 'customers' ? people.length : 1),
        page: async (segment: string, { after }: { after: string | null }) => {
          if (segment === 'broken') throw new Error('CRM unreachable');
          pagesAsked.push(after);
          const start = after ? people.findIndex((person) => person.key === after) + 1 : 0;
          const recipients = people.slice(start, start + 2);
          return { recipients, next: start + 2 < people.length ? recipients[recipients.length - 1].key : null };
        },
      });

    const delivery = await createDelivery(app, token, {
      name: 'CRM news',
      subject: 'Hello {{firstName}}',
      html: '<p>Your plan: {{attributes.plan}}</p>',
      audienceSegments: [{ source: 'crm', segment: 'customers' }],
    });
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, delivery.documentId, ['sent']);
    expect(pagesAsked).toEqual([null, 'c2', 'c4']);
    await smtp.waitFor(8);
    const received = messagesOf(delivery.documentId);
    expect(received.map((message) => message.envelopeTo[0]).sort()).toEqual([
      'xavier@crm.test',
      'yann@crm.test',
      'zoe@crm.test',
    ]);
    const zoe = received.find((message) => message.envelopeTo[0] === 'zoe@crm.test')!;
    expect(zoe.subject).toBe('Hello Zoe');
    expect(zoe.html).toContain('Your plan: gold');
    const logs = (await allLogs(app, token, delivery.documentId)).map((log) => [
      log.email,
      log.status,
      log.exclusionReason,
    ]);
    expect(logs.sort()).toEqual([
      ['not-an-address', 'excluded', 'invalid_address'],
      ['xavier@crm.test', 'sent', null],
      ['yann@crm.test', 'sent', null],
      ['zoe@crm.test', 'excluded', 'duplicate'],
      ['zoe@crm.test', 'sent', null],
    ]);

    // A source that throws fails its delivery with the reason, instead of being asked again and again.
    const broken = await createDelivery(app, token, {
      name: 'Broken',
      subject: 'x',
      html: '<p>x</p>',
      audienceSegments: [{ source: 'crm', segment: 'broken' }],
    });
    await api(app, token).post(`/deliveries/${broken.documentId}/send`);
    const failed = await waitForStatus(app, token, broken.documentId, ['failed']);
    expect(failed.lastError).toBe('Preparation failed: an audience source failed: CRM unreachable');
  });

  it('answers 400 naming the field for an unknown source or segment', async () => {
    const badSource = await api(app, token).post('/deliveries', {
      name: 'x',
      subject: 'x',
      html: '<p>x</p>',
      audienceSegments: [{ source: 'newsletter-tool', segment: 'all' }],
    });
    expect(badSource.status).toBe(400);
    expect(badSource.body.error.message).toBe(
      'audienceSegments.0.source: no audience source "newsletter-tool" (registered: "users", "crm").',
    );

    const badSegment = await api(app, token).post('/deliveries', {
      name: 'x',
      subject: 'x',
      html: '<p>x</p>',
      audienceSegments: [
        { source: 'users', segment: 'all' },
        { source: 'users', segment: 'role:admins' },
      ],
    });
    expect(badSegment.status).toBe(400);
    expect(badSegment.body.error.message).toMatch(
      /^audienceSegments\.1\.segment: audience source "users" has no segment "role:admins" \(its segments: "all", "role:authenticated"/,
    );
  });
});

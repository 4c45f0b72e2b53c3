// A contact's data on request: the export holds everything the plugin keeps about the person, and the erasure removes
// what identifies them while every figure computed from their messages (indicators, hot clicks, a saved report)
// stays the same, read through the real routes before and after. The erased address is refused at the next send.
import { ACTIONS, UID } from '../../shared/constants';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type ParsedMessage, type TestSmtpServer } from '../helpers/smtp-server';
import { api, createContacts, createDelivery, createList, waitForStatus } from '../helpers/campaigns';
import { UA } from '../helpers/fixtures';

const PUBLIC_URL = 'https://news.example.test';
const HTML = '<p>Hello {{firstName}}</p><p><a href="https://shop.example.test/spring">Spring offers</a></p>';

const hrefsOf = (message: ParsedMessage) =>
  [...(message.html as string).matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
const local = (url: string) => url.slice(PUBLIC_URL.length);

describe('a contact’s data, exported and erased on request', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let listDocumentId: string;
  let deliveryDocumentId: string;
  let carlaId: string;
  let reportId: string;
  let offersId: number;
  let readersId: number;

  const admin = () => api(app, token);
  const figures = async () => {
    const report = (await admin().get(`/reports/${reportId}`)).body.data;
    const [indicators, hotClicks, reportRun, logs] = await Promise.all([
      admin().get(`/deliveries/${deliveryDocumentId}/indicators`),
      admin().get(`/deliveries/${deliveryDocumentId}/hot-clicks`),
      admin().post('/reports/query', report.definition.query),
      admin().get(`/deliveries/${deliveryDocumentId}/logs?pageSize=100`),
    ]);
    for (const res of [indicators, hotClicks, reportRun, logs]) expect(res.status).toBe(200);
    return {
      indicators: indicators.body.data,
      hotClicks: hotClicks.body.data,
      report: reportRun.body.data,
      logCount: logs.body.meta.pagination.total,
    };
  };

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: {
        publicUrl: PUBLIC_URL,
        smtp: { host: smtp.host, port: smtp.port, pool: 1 },
        // IPs kept, so the test sees them exported, then erased.
        tracking: { storeIp: true, anonymizeIp: false },
      },
    });
    token = await app.superAdminToken();
    listDocumentId = await createList(app, token, 'Readers');
    const offersDocumentId = await createList(app, token, 'Offers');
    await app.strapi.db.query(UID.list).updateMany({ where: {}, data: { public: true } });
    offersId = (await app.strapi.db.query(UID.list).findOne({ where: { documentId: offersDocumentId } })).id;
    readersId = (await app.strapi.db.query(UID.list).findOne({ where: { documentId: listDocumentId } })).id;
    [carlaId] = await createContacts(
      app,
      token,
      [
        {
          email: 'carla@example.test',
          firstName: 'Carla',
          lastName: 'Diaz',
          locale: 'es',
          attributes: { plan: 'pro' },
        },
        { email: 'dan@example.test', firstName: 'Dan' },
        { email: 'eve@other.test', firstName: 'Eve' },
      ],
      [listDocumentId],
    );
    const delivery = await createDelivery(app, token, {
      name: 'Spring news',
      subject: 'Spring, {{firstName}}',
      fromEmail: 'news@example.test',
      html: HTML,
      lists: [listDocumentId],
    });
    deliveryDocumentId = delivery.documentId;
    expect((await admin().post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, delivery.documentId, ['sent']);
    await smtp.waitFor(3);

    // Carla and Dan read and click; Carla changes her lists in the preference centre, Dan unsubscribes.
    for (const email of ['carla@example.test', 'dan@example.test']) {
      const message = smtp.messages.find((m) => m.envelopeTo[0] === email)!;
      const urls = hrefsOf(message);
      const open = urls.find((u) => u.includes('/api/campaigns/o/'))!;
      const click = urls.find((u) => u.includes('/api/campaigns/c/'))!;
      expect((await app.http().get(local(open)).set('User-Agent', UA.chromeWindows)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await app.http().get(local(click)).set('User-Agent', UA.chromeWindows)).status).toBe(302);
      const preferences = local(urls.find((u) => u.includes('/api/campaigns/p/'))!);
      const form =
        email === 'carla@example.test' ? `action=save&lists=${offersId}&lists=${readersId}` : 'action=unsubscribe';
      const res = await app.http().post(preferences).type('form').set('User-Agent', UA.chromeWindows).send(form);
      expect(res.status).toBe(200);
    }

    const saved = await admin().post('/reports', {
      name: 'Domains',
      definition: {
        visualisation: 'table',
        query: {
          dimensions: ['domain'],
          metrics: ['processed', 'delivered', 'uniqueOpens', 'openRate'],
          period: { lastDays: 7 },
        },
      },
    });
    expect(saved.status).toBe(201);
    reportId = saved.body.data.documentId;
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('the export holds the profile, lists, consents, suppression, messages and events', async () => {
    // Dan is unsubscribed: his export shows his suppression.
    const dan = await app.strapi.db.query(UID.contact).findOne({ where: { email: 'dan@example.test' } });
    const danExport = await admin().get(`/contacts/${dan.documentId}/data`);
    expect(danExport.status).toBe(200);
    expect(danExport.body.suppression).toMatchObject({ reason: 'unsubscribed' });
    expect(danExport.body.consents.map((c: { action: string }) => c.action)).toEqual(['unsubscribe']);

    const res = await admin().get(`/contacts/${carlaId}/data`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="contact-${carlaId}.json"`);
    const data = res.body;
    expect(data.profile).toMatchObject({
      documentId: carlaId,
      email: 'carla@example.test',
      firstName: 'Carla',
      lastName: 'Diaz',
      locale: 'es',
      attributes: { plan: 'pro' },
      status: 'subscribed',
    });
    expect(data.lists.map((list: { name: string }) => list.name).sort()).toEqual(['Offers', 'Readers']);
    expect(data.suppression).toBeNull();
    expect(data.consents).toEqual([
      expect.objectContaining({
        action: 'preferences',
        source: 'preference centre',
        userAgent: UA.chromeWindows,
        ip: expect.stringMatching(/127\.0\.0\.1|::1/),
        lists: {
          before: [{ id: readersId, name: 'Readers' }],
          after: [
            { id: offersId, name: 'Offers' },
            { id: readersId, name: 'Readers' },
          ],
        },
      }),
    ]);
    expect(data.deliveryLogs).toEqual([
      expect.objectContaining({
        delivery: 'Spring news',
        subject: 'Spring, {{firstName}}',
        email: 'carla@example.test',
        status: 'sent',
        sentAt: expect.any(String),
        firstOpenedAt: expect.any(String),
        firstClickedAt: expect.any(String),
      }),
    ]);
    expect(data.trackingEvents.map((e: { type: string }) => e.type)).toEqual(['open', 'click']);
    expect(data.trackingEvents[1]).toMatchObject({
      delivery: 'Spring news',
      linkUrl: 'https://shop.example.test/spring',
      userAgent: UA.chromeWindows,
    });
    expect(data.trackingEvents[1].ip).toBeTruthy();
  });

  it('an export needs the read action, an erasure the send action', async () => {
    expect((await app.http().get(`/campaigns/contacts/${carlaId}/data`)).status).toBe(401);
    expect((await app.http().post(`/campaigns/contacts/${carlaId}/erase`).send({ email: 'x' })).status).toBe(401);
    const nothing = api(app, await app.adminTokenWith([]));
    expect((await nothing.get(`/contacts/${carlaId}/data`)).status).toBe(403);
    const reader = api(app, await app.adminTokenWith([ACTIONS.read]));
    expect((await reader.get(`/contacts/${carlaId}/data`)).status).toBe(200);
    expect((await reader.post(`/contacts/${carlaId}/erase`, { email: 'carla@example.test' })).status).toBe(403);
    expect((await app.strapi.db.query(UID.contact).findOne({ where: { documentId: carlaId } })).email).toBe(
      'carla@example.test',
    );
  });

  it('an erasure needs the address typed, and an unknown contact is a 404', async () => {
    const wrong = await admin().post(`/contacts/${carlaId}/erase`, { email: 'someone@example.test' });
    expect(wrong.status).toBe(400);
    expect((await admin().post(`/contacts/${carlaId}/erase`, {})).status).toBe(400);
    expect((await admin().post('/contacts/nosuchcontact00000000000/erase', { email: 'a@b.c' })).status).toBe(404);
    expect((await app.strapi.db.query(UID.contact).findOne({ where: { documentId: carlaId } })).email).toBe(
      'carla@example.test',
    );
  });

  it('erasing keeps every figure and removes what identifies the person', async () => {
    const before = await figures();
    const contactRow = await app.strapi.db.query(UID.contact).findOne({ where: { documentId: carlaId } });
    const res = await admin().post(`/contacts/${carlaId}/erase`, { email: ' Carla@Example.test ' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ documentId: carlaId, deliveryLogs: 1, consents: 1 });

    const after = await figures();
    expect(after).toEqual(before);

    const contact = await app.strapi.db
      .query(UID.contact)
      .findOne({ where: { id: contactRow.id }, populate: { lists: true } });
    expect(contact.email).toMatch(/^erased-[0-9a-f]{24}@erased\.invalid$/);
    expect(contact).toMatchObject({ firstName: null, lastName: null, locale: null, attributes: null });
    expect(contact.lists).toEqual([]);
    const logs = await app.strapi.db.query(UID.deliveryLog).findMany({ where: { contactId: contactRow.id } });
    expect(logs).toHaveLength(1);
    // The domain stays, for the per-domain figures; the person is gone.
    expect(logs[0].email).toMatch(/^erased-[0-9a-f]{24}@example\.test$/);
    expect(logs[0].recipientDomain).toBe('example.test');
    const events = await app.strapi.db.query(UID.trackingLog).findMany({ where: { deliveryLogId: logs[0].id } });
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event).toMatchObject({ ip: null, userAgent: null });
    const consents = await app.strapi.db.query(UID.consent).findMany({ where: { contact: { id: contactRow.id } } });
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({ action: 'preferences', ip: null, userAgent: null });

    // Nothing readable is left anywhere the plugin stores the address.
    const suppressions = await app.strapi.db.query(UID.suppression).findMany({});
    expect(JSON.stringify(suppressions)).not.toContain('carla');
    expect(suppressions).toContainEqual(
      expect.objectContaining({ reason: 'erased', email: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) }),
    );
    // An admin can still check whether an address was erased, by typing it whole.
    const found = await admin().get('/suppressions?search=Carla@example.test');
    expect(found.body.data).toEqual([expect.objectContaining({ reason: 'erased' })]);
    const exported = (await admin().get(`/contacts/${carlaId}/data`)).body;
    expect(JSON.stringify(exported)).not.toMatch(/carla|Diaz|127\.0\.0\.1|Mozilla/i);
  });

  it('a second erasure is a 409 that changes nothing', async () => {
    const res = await admin().post(`/contacts/${carlaId}/erase`, { email: 'carla@example.test' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/erased already/);
  });

  it('the erased address is refused at the next send, even when it comes back as a subscribed contact', async () => {
    // Added again through the admin: the contact is created unsubscribed, by the hashed suppression.
    const created = await admin().post('/contacts', { email: 'carla@example.test', lists: [listDocumentId] });
    expect(created.status).toBe(201);
    expect(created.body.data.status).toBe('unsubscribed');
    // Written behind the plugin's back as subscribed: the preparation's suppression check still refuses it.
    await app.strapi.db
      .query(UID.contact)
      .update({ where: { documentId: created.body.data.documentId }, data: { status: 'subscribed' } });

    const delivery = await createDelivery(app, token, {
      name: 'Summer news',
      subject: 'Summer',
      fromEmail: 'news@example.test',
      html: '<p>Summer</p>',
      lists: [listDocumentId],
    });
    const sentBefore = smtp.messages.length;
    expect((await admin().post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, delivery.documentId, ['sent']);
    await smtp.waitFor(sentBefore + 1);
    const log = await app.strapi.db
      .query(UID.deliveryLog)
      .findOne({ where: { deliveryId: delivery.id, email: 'carla@example.test' } });
    expect(log).toMatchObject({ status: 'excluded', exclusionReason: 'suppressed' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const recipients = smtp.messages.slice(sentBefore).map((m) => m.envelopeTo[0]);
    expect(recipients).toEqual(['eve@other.test']);
  });
});

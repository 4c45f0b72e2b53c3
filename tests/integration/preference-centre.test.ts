// The preference centre: a real delivery goes through a real SMTP server, the preferences link is taken from the
// received message and used as a recipient would: lists changed, everything left, subscribed again. Each change is a
// consent record; leaving everything is one unsubscription in the indicators, as the unsubscribe link is.
import { UID } from '../../shared/constants';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type ParsedMessage, type TestSmtpServer } from '../helpers/smtp-server';
import { api, createContacts, createDelivery, createList, waitForStatus } from '../helpers/campaigns';
import { UA, countEvents, sign } from '../helpers/fixtures';

const PUBLIC_URL = 'https://news.example.test';

const pathOf = (url: string) => {
  expect(url.startsWith(`${PUBLIC_URL}/api/campaigns/`)).toBe(true);
  return url.slice(PUBLIC_URL.length);
};
const hrefsOf = (message: ParsedMessage) =>
  [...(message.html as string).matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
const preferencesLinkOf = (message: ParsedMessage) => hrefsOf(message).find((h) => h.includes('/api/campaigns/p/'))!;

describe('the preference centre, from a received message', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let deliveryDocumentId: string;
  let deliveryId: number;
  let received: Map<string, ParsedMessage>;
  const listIds: Record<string, number> = {};

  const contactByEmail = (email: string) =>
    app.strapi.db.query(UID.contact).findOne({ where: { email }, populate: { lists: { select: ['id', 'name'] } } });
  const listNamesOf = async (email: string) =>
    ((await contactByEmail(email)).lists as Array<{ name: string }>).map((list) => list.name).sort();
  const consentsOf = async (email: string) => {
    const contact = await contactByEmail(email);
    return app.strapi.db
      .query(UID.consent)
      .findMany({ where: { contact: { id: contact.id } }, orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] });
  };
  const indicators = async () =>
    (await api(app, token).get(`/deliveries/${deliveryDocumentId}/indicators`)).body.data as Record<string, number>;
  const post = (path: string, form: string) =>
    app.http().post(path).type('form').set('User-Agent', UA.chromeWindows).send(form);

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: { publicUrl: PUBLIC_URL, smtp: { host: smtp.host, port: smtp.port, pool: 1 } },
    });
    token = await app.superAdminToken();
    const weekly = await createList(app, token, 'Weekly news');
    const offers = await createList(app, token, 'Offers');
    const staff = await createList(app, token, 'Staff only');
    for (const [documentId, isPublic] of [
      [weekly, true],
      [offers, true],
      [staff, false],
    ] as const) {
      const list = await app.strapi.db.query(UID.list).update({ where: { documentId }, data: { public: isPublic } });
      listIds[list.name] = list.id;
    }
    await createContacts(
      app,
      token,
      [
        { email: 'ana@example.test', firstName: 'Ana' },
        { email: 'bob@example.test', firstName: 'Bob' },
      ],
      [weekly, staff],
    );
    const delivery = await createDelivery(app, token, {
      name: 'Preferences',
      subject: 'Hi {{firstName}}',
      fromEmail: 'news@example.test',
      html: '<p>Hello {{firstName}}</p>',
      lists: [staff],
    });
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, delivery.documentId, ['sent']);
    await smtp.waitFor(2);
    received = new Map(smtp.messages.map((m) => [m.envelopeTo[0], m]));
    deliveryDocumentId = delivery.documentId;
    deliveryId = delivery.id;
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('every message carries its own preferences link, in the HTML and the text part', () => {
    const ana = preferencesLinkOf(received.get('ana@example.test')!);
    const bob = preferencesLinkOf(received.get('bob@example.test')!);
    expect(ana).toMatch(/^https:\/\/news\.example\.test\/api\/campaigns\/p\/[A-Za-z0-9_-]+$/);
    expect(bob).not.toBe(ana);
    expect(received.get('ana@example.test')!.text).toContain(ana);
  });

  it('the page shows the public lists, ticked where the contact is, and a GET changes nothing', async () => {
    const path = pathOf(preferencesLinkOf(received.get('ana@example.test')!));
    const eventsBefore = await countEvents(app.strapi);
    for (let i = 0; i < 2; i += 1) {
      const res = await app.http().get(path).set('User-Agent', UA.chromeWindows);
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.text).toContain('ana@example.test');
      expect(res.text).toMatch(new RegExp(`value="${listIds['Weekly news']}" checked>Weekly news`));
      expect(res.text).toMatch(new RegExp(`value="${listIds.Offers}">Offers`));
      expect(res.text).not.toContain('Staff only');
    }
    expect(await consentsOf('ana@example.test')).toHaveLength(0);
    expect(await listNamesOf('ana@example.test')).toEqual(['Staff only', 'Weekly news']);
    expect(await countEvents(app.strapi)).toBe(eventsBefore);
  });

  it('a link with a wrong signature answers 404 and writes nothing', async () => {
    const path = pathOf(preferencesLinkOf(received.get('ana@example.test')!));
    const last = path.slice(-1);
    const forged = `${path.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;
    expect((await app.http().get(forged)).status).toBe(404);
    expect((await post(forged, 'action=unsubscribe')).status).toBe(404);
    expect((await post(forged, `action=save&lists=${listIds.Offers}`)).status).toBe(404);
    // An unsubscribe token is not a preferences token, even though it is well signed.
    const unsubscribeToken = sign(app.strapi, { kind: 'unsubscribe', deliveryId, deliveryLogId: 1 });
    expect((await app.http().get(`/api/campaigns/p/${unsubscribeToken}`)).status).toBe(404);
    expect(await consentsOf('ana@example.test')).toHaveLength(0);
    expect((await contactByEmail('ana@example.test')).status).toBe('subscribed');
    expect(await listNamesOf('ana@example.test')).toEqual(['Staff only', 'Weekly news']);
  });

  it('saving the ticked lists changes the public lists only, records the consent, and is no unsubscription', async () => {
    const path = pathOf(preferencesLinkOf(received.get('ana@example.test')!));
    // Offers ticked, Weekly unticked; the staff list's id is posted too, and ignored: it is not offered.
    const res = await post(path, `action=save&lists=${listIds.Offers}&lists=${listIds['Staff only']}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Your choices are saved.');
    expect(res.text).toMatch(new RegExp(`value="${listIds.Offers}" checked>Offers`));
    expect(await listNamesOf('ana@example.test')).toEqual(['Offers', 'Staff only']);

    const consents = await consentsOf('ana@example.test');
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({
      action: 'preferences',
      source: 'preference centre',
      wording: 'Save my choices',
      lists: {
        before: [{ id: listIds['Weekly news'], name: 'Weekly news' }],
        after: [{ id: listIds.Offers, name: 'Offers' }],
      },
      userAgent: UA.chromeWindows,
    });
    expect(consents[0].ip).toMatch(/127\.0\.0\.1|::1/);
    expect(consents[0].occurredAt).toBeTruthy();

    // Saving the same choice again is no change, and no record.
    expect((await post(path, `action=save&lists=${listIds.Offers}`)).status).toBe(200);
    expect(await consentsOf('ana@example.test')).toHaveLength(1);
    const figures = await indicators();
    expect(figures.unsubscriptions).toBe(0);
    expect((await contactByEmail('ana@example.test')).status).toBe('subscribed');
  });

  it('unsubscribing from all is one unsubscription, counted once, with its consent record', async () => {
    const path = pathOf(preferencesLinkOf(received.get('ana@example.test')!));
    const before = await indicators();
    const res = await post(path, 'action=unsubscribe');
    expect(res.status).toBe(200);
    expect(res.text).toContain('You are unsubscribed');
    // Asked twice (a double click): still one.
    expect((await post(path, 'action=unsubscribe')).status).toBe(200);

    const contact = await contactByEmail('ana@example.test');
    expect(contact).toMatchObject({ status: 'unsubscribed', statusReason: 'preference centre' });
    const log = await app.strapi.db
      .query(UID.deliveryLog)
      .findOne({ where: { deliveryId, email: 'ana@example.test' } });
    expect(log.unsubscribedAt).toBeTruthy();
    const suppression = await app.strapi.db.query(UID.suppression).findOne({ where: { email: 'ana@example.test' } });
    expect(suppression).toMatchObject({ reason: 'unsubscribed' });
    const events = await app.strapi.db.query(UID.trackingLog).findMany({ where: { deliveryId, type: 'unsubscribe' } });
    expect(events).toHaveLength(1);
    const after = await indicators();
    expect(after.unsubscriptions).toBe(before.unsubscriptions + 1);
    expect(after.uniqueUnsubscriptions).toBe(before.uniqueUnsubscriptions + 1);
    // The memberships stay: subscribing again brings the same lists back.
    expect(await listNamesOf('ana@example.test')).toEqual(['Offers', 'Staff only']);
    const consents = await consentsOf('ana@example.test');
    expect(consents.map((c: { action: string }) => c.action)).toEqual(['preferences', 'unsubscribe']);
    expect(consents[1]).toMatchObject({ source: 'preference centre', wording: 'Unsubscribe from all' });
  });

  it('subscribing again lifts the person’s own unsubscription and records it', async () => {
    const path = pathOf(preferencesLinkOf(received.get('ana@example.test')!));
    const before = await indicators();
    const res = await post(path, 'action=resubscribe');
    expect(res.status).toBe(200);
    expect(res.text).toContain('You are subscribed again.');
    expect((await contactByEmail('ana@example.test')).status).toBe('subscribed');
    expect(await app.strapi.db.query(UID.suppression).count({ where: { email: 'ana@example.test' } })).toBe(0);
    const consents = await consentsOf('ana@example.test');
    expect(consents.map((c: { action: string }) => c.action)).toEqual(['preferences', 'unsubscribe', 'resubscribe']);
    // The unsubscription happened: the indicators keep it.
    expect((await indicators()).unsubscriptions).toBe(before.unsubscriptions);
  });

  it('the unsubscribe link and the one-click POST write consent records too', async () => {
    const unsubscribe = hrefsOf(received.get('bob@example.test')!).find((h) => h.includes('/api/campaigns/u/'))!;
    const path = pathOf(unsubscribe);
    expect((await post(path, 'List-Unsubscribe=One-Click')).status).toBe(200);
    expect((await post(path, 'action=resubscribe')).status).toBe(200);
    const consents = await consentsOf('bob@example.test');
    expect(consents.map((c: { action: string; source: string }) => [c.action, c.source])).toEqual([
      ['unsubscribe', 'one-click unsubscribe (List-Unsubscribe-Post)'],
      ['resubscribe', 'unsubscribe page'],
    ]);
  });

  it('a test send’s link (log 0) shows the page and changes nothing', async () => {
    const path = `/api/campaigns/p/${sign(app.strapi, { kind: 'preferences', deliveryId, deliveryLogId: 0 })}`;
    const page = await app.http().get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('This is a preview: nothing was changed.');
    const consentsBefore = await app.strapi.db.query(UID.consent).count({});
    const eventsBefore = await countEvents(app.strapi);
    expect((await post(path, `action=save&lists=${listIds.Offers}`)).status).toBe(200);
    expect((await post(path, 'action=unsubscribe')).status).toBe(200);
    expect(await app.strapi.db.query(UID.consent).count({})).toBe(consentsBefore);
    expect(await countEvents(app.strapi)).toBe(eventsBefore);
  });

  it('a bad form answers 400 and changes nothing', async () => {
    const path = pathOf(preferencesLinkOf(received.get('ana@example.test')!));
    expect((await post(path, 'action=delete-everything')).status).toBe(400);
    expect((await post(path, 'action=save&lists=abc')).status).toBe(400);
    expect(await listNamesOf('ana@example.test')).toEqual(['Offers', 'Staff only']);
  });
});

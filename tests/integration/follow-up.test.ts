// "Send to those who did not open": a parent goes through a real SMTP server, its recipients react (a person who
// opens, one who clicks with images blocked, Apple Mail Privacy Protection prefetching the pixel, a link scanner),
// then a follow-up is created; someone opens the parent before the follow-up is sent, someone unsubscribes, and the
// follow-up reaches exactly the recipients still without a human open, each once.
import { ACTIONS, UID } from '../../shared/constants';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type ParsedMessage, type TestSmtpServer } from '../helpers/smtp-server';
import { api, createContacts, createDelivery, createList, trackingPathsOf, waitForStatus } from '../helpers/campaigns';
import { UA } from '../helpers/fixtures';
import { resolveFollowUpAudience } from '../../server/src/sending/follow-up-audience';

const PUBLIC_URL = 'https://news.example.test';
const HTML = `<h1>Hello {{firstName}}</h1><p><a href="https://shop.example.test/spring">Spring offers</a></p>`;
const PEOPLE = ['reader', 'clicker', 'apple', 'scanned', 'silent', 'late', 'leaving'];
const emailOf = (name: string) => `${name}@example.test`;

const linksOf = (message: ParsedMessage) => trackingPathsOf(message, PUBLIC_URL);

describe('a follow-up to the recipients who did not open', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let parent: { documentId: string; id: number };
  let received: Map<string, ParsedMessage>;

  const backdateParent = () =>
    app.strapi.db
      .query(UID.deliveryLog)
      .updateMany({ where: { deliveryId: parent.id }, data: { sentAt: new Date(Date.now() - 3600_000) } });

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: { publicUrl: PUBLIC_URL, smtp: { host: smtp.host, port: smtp.port, pool: 2 } },
    });
    token = await app.superAdminToken();
    const list = await createList(app, token, 'Readers');
    await createContacts(
      app,
      token,
      PEOPLE.map((name) => ({ email: emailOf(name), firstName: name })),
      [list],
    );
    parent = await createDelivery(app, token, {
      name: 'Spring',
      subject: 'Spring is here',
      fromEmail: 'news@example.test',
      html: HTML,
      lists: [list],
    });
    expect((await api(app, token).post(`/deliveries/${parent.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, parent.documentId, ['sent']);
    await smtp.waitFor(PEOPLE.length);
    received = new Map(smtp.messages.map((m) => [m.envelopeTo[0], m]));

    // The scanner follows the link as the message arrives (a bot); Apple's proxy fetches the pixel (a machine open).
    const scanned = linksOf(received.get(emailOf('scanned'))!);
    expect((await app.http().get(scanned.click).set('User-Agent', UA.chromeWindows)).status).toBe(302);
    const apple = linksOf(received.get(emailOf('apple'))!);
    expect((await app.http().get(apple.pixel).set('User-Agent', UA.applePrefetch)).status).toBe(200);
    // People come back an hour later: one opens, one clicks with images blocked.
    await backdateParent();
    const reader = linksOf(received.get(emailOf('reader'))!);
    expect((await app.http().get(reader.pixel).set('User-Agent', UA.outlookWindows)).status).toBe(200);
    const clicker = linksOf(received.get(emailOf('clicker'))!);
    expect((await app.http().get(clicker.click).set('User-Agent', UA.iphoneSafari)).status).toBe(302);
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('is refused to an admin without the send action, and for a delivery not sent', async () => {
    const reader = await app.adminTokenWith([ACTIONS.read]);
    const body = { kind: 'not_opened', subject: 'Did you miss it?', delayHours: 1 };
    expect((await api(app, reader).post(`/deliveries/${parent.documentId}/follow-ups`, body)).status).toBe(403);
    expect((await api(app, reader).get(`/deliveries/${parent.documentId}/follow-ups`)).status).toBe(200);
    const draft = await createDelivery(app, token, { html: HTML });
    const refused = await api(app, token).post(`/deliveries/${draft.documentId}/follow-ups`, body);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('only a sent delivery');
    // A parent whose clicks were not tracked cannot be followed up to those who did not click.
    await app.strapi.db.query(UID.delivery).update({ where: { id: parent.id }, data: { trackLinks: false } });
    const untracked = await api(app, token).post(`/deliveries/${parent.documentId}/follow-ups`, {
      ...body,
      kind: 'not_clicked',
    });
    await app.strapi.db.query(UID.delivery).update({ where: { id: parent.id }, data: { trackLinks: true } });
    expect(untracked.status).toBe(400);
    expect(untracked.body.error.message).toContain('clicks were not tracked per recipient');
    const invalid = await api(app, token).post(`/deliveries/${parent.documentId}/follow-ups`, {
      ...body,
      delayHours: -1,
    });
    expect(invalid.status).toBe(400);
  });

  it('reaches exactly those without a human open when it is sent, each once', async () => {
    const created = await api(app, token).post(`/deliveries/${parent.documentId}/follow-ups`, {
      kind: 'not_opened',
      subject: 'Did you miss it, {{firstName}}?',
      delayHours: 2,
    });
    expect(created.status).toBe(201);
    const followUp = created.body.data;
    expect(followUp).toMatchObject({ status: 'scheduled', parentDeliveryId: parent.id, followUpKind: 'not_opened' });
    expect(new Date(followUp.scheduledAt).getTime()).toBeGreaterThan(Date.now() + 3600_000);

    // Now: apple, scanned, silent, late and leaving have no human open.
    const before = await api(app, token).get(`/deliveries/${followUp.documentId}/follow-ups`);
    expect(before.body.data).toMatchObject({
      parent: { documentId: parent.documentId, name: 'Spring', kind: 'not_opened' },
      audienceNow: 5,
    });

    // Before it is sent: "late" opens the parent, "leaving" unsubscribes from the plugin.
    const late = linksOf(received.get(emailOf('late'))!);
    expect((await app.http().get(late.pixel).set('User-Agent', UA.iphoneSafari)).status).toBe(200);
    await app.strapi.db
      .query(UID.contact)
      .update({ where: { email: emailOf('leaving') }, data: { status: 'unsubscribed' } });
    expect((await api(app, token).get(`/deliveries/${followUp.documentId}/follow-ups`)).body.data.audienceNow).toBe(3);

    // Its time comes.
    await app.strapi.db
      .query(UID.delivery)
      .update({ where: { id: followUp.id }, data: { scheduledAt: new Date(Date.now() - 1000) } });
    const sent = await waitForStatus(app, token, followUp.documentId, ['sent']);
    expect(sent.counters).toMatchObject({ targeted: 3, sent: 3, excluded: 0 });
    await smtp.waitFor(PEOPLE.length + 3);
    const followUpMessages = smtp.messages.filter((m) => m.subject?.startsWith('Did you miss it'));
    expect(followUpMessages.map((m) => m.envelopeTo[0]).sort()).toEqual(
      ['apple', 'scanned', 'silent'].map(emailOf).sort(),
    );
    expect(followUpMessages.find((m) => m.envelopeTo[0] === emailOf('apple'))!.subject).toBe('Did you miss it, apple?');
    // The same message as the parent, tracked as its own delivery.
    expect(followUpMessages[0].html).toContain('Spring offers');
    expect(followUpMessages[0].html).not.toContain(linksOf(received.get(followUpMessages[0].envelopeTo[0])!).click);

    // A person opens the follow-up: the parent shows it with its figures and the reach of both.
    const silent = linksOf(followUpMessages.find((m) => m.envelopeTo[0] === emailOf('silent'))!);
    await app.strapi.db
      .query(UID.deliveryLog)
      .updateMany({ where: { deliveryId: followUp.id }, data: { sentAt: new Date(Date.now() - 3600_000) } });
    expect((await app.http().get(silent.pixel).set('User-Agent', UA.outlookWindows)).status).toBe(200);
    const overview = (await api(app, token).get(`/deliveries/${parent.documentId}/follow-ups`)).body.data;
    expect(overview.parent).toBeNull();
    expect(overview.followUps).toEqual([
      expect.objectContaining({
        documentId: followUp.documentId,
        kind: 'not_opened',
        status: 'sent',
        sent: 3,
        humanOpened: 1,
        humanClicked: 0,
      }),
    ]);
    // reader, clicker, late (parent) and silent (follow-up); apple's and the scanner's do not count.
    expect(overview.combinedReach).toEqual({ recipients: PEOPLE.length, humanOpened: 4 });
  });

  it('to those who did not click: openers without a click are in, clickers are not', async () => {
    const created = await api(app, token).post(`/deliveries/${parent.documentId}/follow-ups`, {
      kind: 'not_clicked',
      subject: 'Still interested?',
      delayHours: 24,
      schedule: false,
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ status: 'draft', followUpKind: 'not_clicked' });
    // Everyone subscribed but the clicker: the scanner's click is a bot's, leaving unsubscribed.
    const overview = await api(app, token).get(`/deliveries/${created.body.data.documentId}/follow-ups`);
    expect(overview.body.data.audienceNow).toBe(5);

    // Preparation stopped after a page (a lost lease, a shutdown) and resumed writes each recipient once.
    const draft = created.body.data;
    const target = { id: draft.id, parentDeliveryId: parent.id, followUpKind: 'not_clicked' as const };
    const first = await resolveFollowUpAudience(app.strapi, target, { pageSize: 2, afterPage: async () => false });
    expect(first).toEqual({ complete: false, logs: 2 });
    expect(await resolveFollowUpAudience(app.strapi, target, { pageSize: 2 })).toEqual({ complete: true, logs: 3 });
    expect(await resolveFollowUpAudience(app.strapi, target)).toEqual({ complete: true, logs: 0 });
    const logs = await app.strapi.db.query(UID.deliveryLog).findMany({ where: { deliveryId: draft.id } });
    expect(logs.map((log: any) => log.email).sort()).toEqual(
      ['reader', 'apple', 'scanned', 'silent', 'late'].map(emailOf).sort(),
    );
    // Deleting the draft takes its logs with it.
    expect((await api(app, token).delete(`/deliveries/${draft.documentId}`)).status).toBe(200);
    expect(await app.strapi.db.query(UID.deliveryLog).count({ where: { deliveryId: draft.id } })).toBe(0);
  });
  it("shows each contact's timeline: deliveries, opens and clicks with machine ones flagged, and the score", async () => {
    const contactId = async (name: string) =>
      (await api(app, token).get(`/contacts?search=${name}%40example.test`)).body.data[0].documentId as string;
    const timeline = async (name: string, query = '') => {
      const res = await api(app, token).get(`/contacts/${await contactId(name)}/timeline${query}`);
      expect(res.status).toBe(200);
      return res.body;
    };

    // Apple's proxy opened the parent as it arrived (after both messages' backdated sending times): flagged, no score.
    const apple = await timeline('apple');
    expect(apple.data.map((e: any) => [e.kind, e.delivery?.name, e.status, e.isMachineOpen, e.flagReason])).toEqual([
      ['open', 'Spring', null, true, 'applePrivacyProtection'],
      ['delivery', 'Spring - not opened', 'sent', false, null],
      ['delivery', 'Spring', 'sent', false, null],
    ]);
    expect(apple.meta.engagement).toEqual({ score: 0, humanOpened: 0, humanClicked: 0, days: 90 });
    const paged = await timeline('apple', '?page=2&pageSize=1');
    expect(paged.data.map((e: any) => e.kind)).toEqual(['delivery']);
    expect(paged.meta.pagination).toMatchObject({ page: 2, pageSize: 1, total: 3, pageCount: 3 });

    // A person's click on the parent: an open and a click, each message counted once.
    const clicker = await timeline('clicker');
    expect(clicker.data[0]).toMatchObject({ kind: 'click', url: 'https://shop.example.test/spring', isBot: false });
    expect(clicker.meta.engagement).toMatchObject({ score: 3, humanOpened: 1, humanClicked: 1 });
    // The scanner's click is a bot's, with its reason.
    const scanned = await timeline('scanned');
    const click = scanned.data.find((e: any) => e.kind === 'click');
    expect(click).toMatchObject({ isBot: true });
    expect(click.flagReason).toBeTruthy();
    expect(scanned.meta.engagement.score).toBe(0);

    expect(
      (await api(app, await app.adminTokenWith([])).get(`/contacts/${await contactId('apple')}/timeline`)).status,
    ).toBe(403);
    expect((await api(app, token).get('/contacts/nosuchcontact0000000000/timeline')).status).toBe(404);
    expect((await api(app, token).get(`/contacts/${await contactId('apple')}/timeline?pageSize=1000`)).status).toBe(
      400,
    );
  });
});

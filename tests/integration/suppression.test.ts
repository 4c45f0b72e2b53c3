// Opt-outs remembered by address: an unsubscription, a hard bounce or a complaint outlives the contact, so deleting
// and re-adding a person (by hand, CSV import or the programmatic API) never makes them reachable again, and an old
// message's unsubscribe link still works after the contact is gone. Only an admin with the settings action lifts it.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import {
  allLogs,
  api,
  createContacts,
  createDelivery,
  createList,
  rawHeader,
  waitForStatus,
} from '../helpers/campaigns';
import { ACTIONS, UID } from '../../shared/constants';
import { createDocumentId } from '../../server/src/platform/document-id';
import type { CampaignsApi } from '../../server/src/developer-api';

const PUBLIC_URL = 'https://news.example.test';
const SECRET = 'webhook-secret-for-suppression-tests';
const HTML = '<p>Hello {{firstName}}</p>';

describe('suppression of opted-out addresses', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-suppression-'));

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: {
        publicUrl: PUBLIC_URL,
        smtp: { host: smtp.host, port: smtp.port, pool: 2 },
        sending: { batchSize: 20, retryBaseMs: 50, maxAttempts: 2 },
        webhooks: { secret: SECRET },
      },
    });
    token = await app.superAdminToken();
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Sends a delivery to the list and answers who received it and its logs by address. */
  const deliver = async (list: string) => {
    const delivery = await createDelivery(app, token, { html: HTML, lists: [list] });
    const sent = await api(app, token).post(`/deliveries/${delivery.documentId}/send`);
    expect(sent.status).toBe(200);
    await waitForStatus(app, token, delivery.documentId, ['sent']);
    const messages = smtp.messages.filter((m) => rawHeader(m, 'X-Campaigns-Delivery') === delivery.documentId);
    const logs = new Map((await allLogs(app, token, delivery.documentId)).map((log) => [log.email, log]));
    return { received: messages.flatMap((m) => m.envelopeTo).sort(), messages, logs };
  };

  /** The one-click URL of the message a recipient received (the List-Unsubscribe header's https part). */
  const unsubscribeUrlOf = (messages: Awaited<ReturnType<typeof deliver>>['messages'], email: string) => {
    const message = messages.find((m) => m.envelopeTo.includes(email))!;
    const url = /<(https:[^>]+)>/.exec(rawHeader(message, 'List-Unsubscribe') ?? '')![1];
    return url.slice(PUBLIC_URL.length);
  };

  const contactByEmail = async (email: string) => {
    const res = await api(app, token).get(`/contacts?search=${encodeURIComponent(email)}`);
    return res.body.data.find((contact: any) => contact.email === email);
  };

  const deleteContact = async (email: string) => {
    const contact = await contactByEmail(email);
    expect((await api(app, token).delete(`/contacts/${contact.documentId}`)).status).toBe(200);
    expect(await contactByEmail(email)).toBeUndefined();
  };

  const webhook = (body: unknown) =>
    app
      .http()
      .post('/api/campaigns/webhooks/generic')
      .set('X-Campaigns-Secret', SECRET)
      .send(body as object);

  it('keeps an unsubscribed person out after their contact is deleted and re-created', async () => {
    const list = await createList(app, token, 'Unsubscribed then re-added');
    await createContacts(
      app,
      token,
      [{ email: 'ada@example.test', firstName: 'Ada' }, { email: 'bob@example.test' }],
      [list],
    );
    const first = await deliver(list);
    expect(first.received).toEqual(['ada@example.test', 'bob@example.test']);

    const page = await app
      .http()
      .post(unsubscribeUrlOf(first.messages, 'ada@example.test'))
      .type('form')
      .send({ action: 'unsubscribe' });
    expect(page.text).toContain('You are unsubscribed');
    await deleteContact('ada@example.test');

    const recreated = await api(app, token).post('/contacts', {
      email: 'Ada@Example.test',
      firstName: 'Ada',
      lists: [list],
    });
    expect(recreated.status).toBe(201);
    expect(recreated.body.data).toMatchObject({ email: 'ada@example.test', status: 'unsubscribed' });
    expect(recreated.body.data.statusReason).toMatch(/suppressed.*unsubscribed/);

    const next = await deliver(list);
    expect(next.received).toEqual(['bob@example.test']);
    expect(next.logs.get('ada@example.test')).toMatchObject({ status: 'excluded', exclusionReason: 'unsubscribed' });

    // Even a status set back to subscribed behind the plugin's back does not reach the address.
    await app.strapi.db
      .query(UID.contact)
      .update({ where: { email: 'ada@example.test' }, data: { status: 'subscribed' } });
    const third = await deliver(list);
    expect(third.received).toEqual(['bob@example.test']);
    expect(third.logs.get('ada@example.test')).toMatchObject({ status: 'excluded', exclusionReason: 'suppressed' });
  });

  it("unsubscribes the re-added contact when the old message's one-click URL is posted", async () => {
    const list = await createList(app, token, 'One-click after re-add');
    await createContacts(app, token, [{ email: 'cleo@example.test' }, { email: 'dan@example.test' }], [list]);
    const first = await deliver(list);
    const oldUrl = unsubscribeUrlOf(first.messages, 'cleo@example.test');

    await deleteContact('cleo@example.test');
    await createContacts(app, token, [{ email: 'cleo@example.test' }], [list]);
    expect((await contactByEmail('cleo@example.test')).status).toBe('subscribed');

    const oneClick = await app.http().post(oldUrl).type('form').send('List-Unsubscribe=One-Click');
    expect(oneClick.status).toBe(200);
    expect(oneClick.text).toContain('You are unsubscribed');
    expect(await contactByEmail('cleo@example.test')).toMatchObject({ status: 'unsubscribed' });

    const next = await deliver(list);
    expect(next.received).toEqual(['dan@example.test']);
    expect(next.logs.get('cleo@example.test')).toMatchObject({ status: 'excluded' });
  });

  it('remembers a hard bounce and a complaint from the webhook after the contacts are re-added', async () => {
    const list = await createList(app, token, 'Bounced and complained');
    const people = ['hard@example.test', 'spam@example.test', 'fine@example.test'];
    await createContacts(
      app,
      token,
      people.map((email) => ({ email })),
      [list],
    );
    const first = await deliver(list);
    const hard = await webhook({
      type: 'bounce',
      bounceType: 'hard',
      messageId: first.logs.get('hard@example.test').messageId,
    });
    const spam = await webhook({ type: 'complaint', messageId: first.logs.get('spam@example.test').messageId });
    expect([hard.status, spam.status]).toEqual([200, 200]);

    await deleteContact('hard@example.test');
    await deleteContact('spam@example.test');
    await createContacts(app, token, [{ email: 'hard@example.test' }, { email: 'spam@example.test' }], [list]);
    expect(await contactByEmail('hard@example.test')).toMatchObject({
      status: 'quarantined',
      statusReason: expect.stringMatching(/hard bounce/),
    });
    expect(await contactByEmail('spam@example.test')).toMatchObject({
      status: 'unsubscribed',
      statusReason: expect.stringMatching(/complaint/),
    });

    const next = await deliver(list);
    expect(next.received).toEqual(['fine@example.test']);
  });

  it('keeps a suppressed address unsubscribed when a CSV import or the programmatic API re-creates it', async () => {
    const list = await createList(app, token, 'Imported again');
    await createContacts(app, token, [{ email: 'eve@example.test' }, { email: 'finn@example.test' }], [list]);
    const first = await deliver(list);
    for (const email of ['eve@example.test', 'finn@example.test']) {
      await app.http().post(unsubscribeUrlOf(first.messages, email)).type('form').send('List-Unsubscribe=One-Click');
      await deleteContact(email);
    }

    const file = path.join(tmp, 'again.csv');
    fs.writeFileSync(file, 'email,first_name\nEVE@example.test,Eve\nnew@example.test,New\n');
    const started = await app
      .http()
      .post('/campaigns/contacts/import')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', file)
      .field('list', list);
    expect(started.status).toBe(202);
    let job = started.body.data;
    while (job.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await api(app, token).get(`/contacts/imports/${job.id}`)).body.data;
    }
    expect(job).toMatchObject({ status: 'done', created: 2 });
    expect(await contactByEmail('eve@example.test')).toMatchObject({
      status: 'unsubscribed',
      statusReason: expect.stringMatching(/suppressed/),
    });
    expect(await contactByEmail('new@example.test')).toMatchObject({ status: 'subscribed' });

    const campaigns = app.strapi.plugin('campaigns').service('api') as CampaignsApi;
    await campaigns.lists.addContacts(list, [{ email: 'Finn@example.test', firstName: 'Finn' }]);
    expect(await contactByEmail('finn@example.test')).toMatchObject({
      status: 'unsubscribed',
      statusReason: expect.stringMatching(/suppressed/),
    });

    const next = await deliver(list);
    expect(next.received).toEqual(['new@example.test']);
  });

  it('keeps an address an admin marked unsubscribed, and refuses to resubscribe it while suppressed', async () => {
    const list = await createList(app, token, 'Marked by hand');
    const [id] = await createContacts(app, token, [{ email: 'gus@example.test' }], [list]);
    expect((await api(app, token).put(`/contacts/${id}`, { status: 'unsubscribed' })).status).toBe(200);
    const refused = await api(app, token).put(`/contacts/${id}`, { status: 'subscribed' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/suppress/);
    expect((await contactByEmail('gus@example.test')).status).toBe('unsubscribed');

    await deleteContact('gus@example.test');
    await createContacts(app, token, [{ email: 'gus@example.test' }], [list]);
    expect((await contactByEmail('gus@example.test')).status).toBe('unsubscribed');
  });

  it('lets a person resubscribe from the page, but not over a complaint', async () => {
    const list = await createList(app, token, 'Changed their mind');
    await createContacts(app, token, [{ email: 'ivy@example.test' }, { email: 'jon@example.test' }], [list]);
    const first = await deliver(list);
    const ivyUrl = unsubscribeUrlOf(first.messages, 'ivy@example.test');
    await app.http().post(ivyUrl).type('form').send({ action: 'unsubscribe' });
    const back = await app.http().post(ivyUrl).type('form').send({ action: 'resubscribe' });
    expect(back.status).toBe(200);
    expect(await contactByEmail('ivy@example.test')).toMatchObject({ status: 'subscribed' });
    expect(await app.strapi.db.query(UID.suppression).count({ where: { email: 'ivy@example.test' } })).toBe(0);

    await webhook({ type: 'complaint', messageId: first.logs.get('jon@example.test').messageId });
    const jonUrl = unsubscribeUrlOf(first.messages, 'jon@example.test');
    const refused = await app.http().post(jonUrl).type('form').send({ action: 'resubscribe' });
    expect(refused.text).toContain('You are unsubscribed');
    expect(await contactByEmail('jon@example.test')).toMatchObject({ status: 'unsubscribed' });

    const next = await deliver(list);
    expect(next.received).toEqual(['ivy@example.test']);
  });

  it('lets only an admin with the settings action lift a suppression, after which the person can be reached again', async () => {
    const list = await createList(app, token, 'Lifted');
    await createContacts(app, token, [{ email: 'hana@example.test' }], [list]);
    const first = await deliver(list);
    await app
      .http()
      .post(unsubscribeUrlOf(first.messages, 'hana@example.test'))
      .type('form')
      .send('List-Unsubscribe=One-Click');

    const found = await api(app, token).get('/suppressions?search=hana%40example.test');
    expect(found.status).toBe(200);
    expect(found.body.data).toEqual([
      expect.objectContaining({ email: 'hana@example.test', reason: 'unsubscribed', deliveryId: expect.any(Number) }),
    ]);
    const suppression = found.body.data[0];

    const sender = await app.adminTokenWith([ACTIONS.read, ACTIONS.send]);
    const asSender = await app
      .http()
      .delete(`/campaigns/suppressions/${suppression.documentId}`)
      .set('Authorization', `Bearer ${sender}`);
    expect(asSender.status).toBe(403);
    expect(await app.strapi.db.query(UID.suppression).count({ where: { email: 'hana@example.test' } })).toBe(1);

    const settingsAdmin = await app.adminTokenWith([ACTIONS.settings]);
    const lifted = await app
      .http()
      .delete(`/campaigns/suppressions/${suppression.documentId}`)
      .set('Authorization', `Bearer ${settingsAdmin}`);
    expect(lifted.status).toBe(200);
    expect(lifted.body.data).toMatchObject({ email: 'hana@example.test' });
    const again = await app
      .http()
      .delete(`/campaigns/suppressions/${suppression.documentId}`)
      .set('Authorization', `Bearer ${settingsAdmin}`);
    expect(again.status).toBe(404);

    const hana = await contactByEmail('hana@example.test');
    expect((await api(app, token).put(`/contacts/${hana.documentId}`, { status: 'subscribed' })).status).toBe(200);
    const next = await deliver(list);
    expect(next.received).toEqual(['hana@example.test']);
  });

  it('suppresses addresses an admin gives by hand: their contacts are unsubscribed and left out of the next delivery', async () => {
    const list = await createList(app, token, 'By hand');
    await createContacts(app, token, [{ email: 'ivo@example.test' }, { email: 'jules@example.test' }], [list]);
    const bad = await api(app, token).post('/suppressions', { emails: ['ivo@example.test', 'not an address'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/emails\.1: each address must be an email address/);
    expect(await app.strapi.db.query(UID.suppression).count({ where: { email: 'ivo@example.test' } })).toBe(0);

    const reader = await app.adminTokenWith([ACTIONS.read]);
    const asReader = await app
      .http()
      .post('/campaigns/suppressions')
      .set('Authorization', `Bearer ${reader}`)
      .send({ emails: ['ivo@example.test'] });
    expect(asReader.status).toBe(403);

    const added = await api(app, token).post('/suppressions', {
      emails: ['IVO@example.test', 'ivo@example.test', 'stranger@example.test'],
      note: 'asked by phone',
    });
    expect(added.status).toBe(200);
    expect(added.body.data).toEqual({ added: 2, alreadySuppressed: 0, contactsUnsubscribed: 1, rejected: [] });
    const again = await api(app, token).post('/suppressions', { emails: ['ivo@example.test'] });
    expect(again.body.data).toMatchObject({ added: 0, alreadySuppressed: 1, contactsUnsubscribed: 0 });
    expect(await contactByEmail('ivo@example.test')).toMatchObject({
      status: 'unsubscribed',
      statusReason: expect.stringMatching(/suppressed address: marked unsubscribed by an admin/),
    });
    const found = await api(app, token).get('/suppressions?search=ivo%40example.test');
    expect(found.body.data).toEqual([expect.objectContaining({ reason: 'manual', note: 'asked by phone' })]);

    const next = await deliver(list);
    expect(next.received).toEqual(['jules@example.test']);
  });

  it('imports a suppression file, answering each line it did not take, and exports the list as CSV', async () => {
    const file = path.join(tmp, 'suppressions.csv');
    fs.writeFileSync(file, 'name,email\nKai,kai@example.test\nLea,not-an-address\nMo,mo@example.test\n');
    const imported = await app
      .http()
      .post('/campaigns/suppressions/import')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', file)
      .field('note', 'from the old tool');
    expect(imported.status).toBe(200);
    expect(imported.body.data).toMatchObject({ added: 2, alreadySuppressed: 0 });
    expect(imported.body.data.rejected).toEqual([{ line: 3, problem: expect.stringMatching(/not-an-address/) }]);

    const plain = path.join(tmp, 'plain.txt');
    fs.writeFileSync(plain, 'kai@example.test\nnoor@example.test\n');
    const headerless = await app
      .http()
      .post('/campaigns/suppressions/import')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', plain);
    expect(headerless.body.data).toMatchObject({ added: 1, alreadySuppressed: 1, rejected: [] });

    const empty = path.join(tmp, 'nothing.csv');
    fs.writeFileSync(empty, 'email\nnobody\n');
    const refused = await app
      .http()
      .post('/campaigns/suppressions/import')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', empty);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(
      /No line of the file is an email address \(line 2: .*\)\. Nothing was saved\./,
    );

    const csv = await api(app, token).get('/suppressions?format=csv&reason=manual');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('email,reason,note,created_at');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^kai@example\.test,manual,from the old tool,\d{4}-/),
        expect.stringMatching(/^noor@example\.test,manual,,\d{4}-/),
      ]),
    );
    expect(lines.every((line, i) => i === 0 || line.includes(',manual,'))).toBe(true);
  });

  it('fills an empty suppression list from the contacts already unsubscribed or quarantined (an upgrade)', async () => {
    const contacts = app.strapi.db.query(UID.contact);
    const now = new Date();
    const old = [
      { email: 'old-unsub@example.test', status: 'unsubscribed', statusReason: 'unsubscribe page' },
      { email: 'old-spam@example.test', status: 'unsubscribed', statusReason: 'complaint (reported as spam)' },
      { email: 'old-bounce@example.test', status: 'quarantined', statusReason: 'hard bounce while sending' },
      { email: 'old-fine@example.test', status: 'subscribed', statusReason: null },
    ];
    for (const contact of old)
      await contacts.create({ data: { ...contact, documentId: createDocumentId(), publishedAt: now } });
    await app.strapi.db.query(UID.suppression).deleteMany({});

    const suppressions = app.strapi.plugin('campaigns').service('suppressions') as any;
    await suppressions.fillFromContacts();
    const rows = await app.strapi.db
      .query(UID.suppression)
      .findMany({ where: { email: { $in: old.map((c) => c.email) } }, select: ['email', 'reason'] });
    expect(Object.fromEntries(rows.map((row: any) => [row.email, row.reason]))).toEqual({
      'old-unsub@example.test': 'unsubscribed',
      'old-spam@example.test': 'complaint',
      'old-bounce@example.test': 'hard_bounce',
    });

    const list = await createList(app, token, 'After the upgrade');
    await deleteContact('old-unsub@example.test');
    await createContacts(app, token, [{ email: 'old-unsub@example.test' }], [list]);
    expect(await contactByEmail('old-unsub@example.test')).toMatchObject({ status: 'unsubscribed' });
  });
});

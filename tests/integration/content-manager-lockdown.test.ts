// The plugin's data is reachable only through its own routes: not through the Content Manager (for Strapi's default
// Editor and Author roles of a fresh app, nor for the Super Admin), not listed as editable in the Content-Type
// Builder, and not written through the document service by anyone but the plugin. A sent message stays as sent.
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { api, createContacts, createDelivery, createList, waitForStatus } from '../helpers/campaigns';
import { UID } from '../../shared/constants';
import { createDocumentId } from '../../server/src/platform/document-id';

const HTML = '<p>Hello {{firstName}}, <a href="https://shop.example.test/offer">see the offer</a></p>';
const PHISHING = '<p>Your account is locked: <a href="https://evil.example.test">log in here</a></p>';

/** Every Content Manager route that names a content type, with a body where it takes one. */
const contentManagerRoutes = (uid: string, documentId: string, relationField: string | undefined) => {
  const base = `/content-manager/collection-types/${uid}`;
  const routes: Array<[method: 'get' | 'post' | 'put' | 'delete', path: string, body?: object]> = [
    ['get', base],
    ['get', `/content-manager/collection-types/${encodeURIComponent(uid)}`],
    ['get', `/Content-Manager/collection-types/${uid}`],
    ['get', `//content-manager//collection-types/${uid}/`],
    ['get', `${base}/${documentId}`],
    ['post', base, { name: 'Created in the Content Manager', email: 'cm@example.test' }],
    ['put', `${base}/${documentId}`, { name: 'Renamed in the Content Manager', html: PHISHING }],
    ['delete', `${base}/${documentId}`],
    ['post', `${base}/clone/${documentId}`, {}],
    ['post', `${base}/auto-clone/${documentId}`, {}],
    ['post', `${base}/${documentId}/actions/publish`, {}],
    ['post', `${base}/${documentId}/actions/unpublish`, {}],
    ['post', `${base}/${documentId}/actions/discard`, {}],
    ['post', `${base}/actions/publish`, {}],
    ['post', `${base}/actions/bulkDelete`, { documentIds: [documentId] }],
    ['post', `${base}/actions/bulkPublish`, { documentIds: [documentId] }],
    ['post', `${base}/actions/bulkUnpublish`, { documentIds: [documentId] }],
    ['post', `${base}/actions/bulkFindForValidation`, { documentIds: [documentId] }],
    ['get', `${base}/${documentId}/actions/countDraftRelations`],
    ['get', `${base}/actions/countManyEntriesDraftRelations?documentIds[0]=${documentId}`],
    ['get', `/content-manager/single-types/${uid}`],
    ['put', `/content-manager/single-types/${uid}`, {}],
    ['get', `/content-manager/content-types/${uid}/configuration`],
    ['put', `/content-manager/content-types/${uid}/configuration`, { layouts: {}, metadatas: {}, settings: {} }],
    ['get', `/content-manager/history-versions?contentType=${uid}`],
  ];
  if (relationField) {
    routes.push(['get', `/content-manager/relations/${uid}/${relationField}`]);
    routes.push(['get', `/content-manager/relations/${uid}/${documentId}/${relationField}`]);
  }
  return routes;
};

describe('the Content Manager and the document service cannot reach the plugin data', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let superToken: string;
  let sent: { documentId: string };
  const tokens: Record<string, string> = {};

  /** Row counts and the sent delivery's message, to show that nothing was written. */
  const snapshot = async () => {
    const counts: Record<string, number> = {};
    for (const uid of Object.values(UID)) counts[uid] = await app.strapi.db.query(uid).count({});
    const delivery = await app.strapi.db.query(UID.delivery).findOne({ where: { documentId: sent.documentId } });
    return { counts, name: delivery.name, html: delivery.html, compiledHtml: delivery.compiledHtml };
  };

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: { publicUrl: 'https://news.example.test', smtp: { host: smtp.host, port: smtp.port, pool: 1 } },
    });
    superToken = await app.superAdminToken();
    tokens.editor = await app.adminTokenForRole('strapi-editor');
    tokens.author = await app.adminTokenForRole('strapi-author');
    tokens.superAdmin = superToken;

    const list = await createList(app, superToken, 'Readers');
    await createContacts(app, superToken, [{ email: 'ada@example.test', firstName: 'Ada' }], [list]);
    sent = await createDelivery(app, superToken, { name: 'Sent news', html: HTML, lists: [list] });
    expect((await api(app, superToken).post(`/deliveries/${sent.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, superToken, sent.documentId, ['sent']);
    // The plugin writes events, alerts, suppressions, consent records and report schedules through the query engine;
    // one of each so every type has a row to aim at.
    const deliveryId = (await app.strapi.db.query(UID.delivery).findOne({ where: { documentId: sent.documentId } })).id;
    const now = new Date();
    await app.strapi.db
      .query(UID.trackingLog)
      .create({ data: { documentId: createDocumentId(), deliveryId, type: 'open', at: now } });
    await app.strapi.db
      .query(UID.alert)
      .create({ data: { documentId: createDocumentId(), criterion: 'bounce-rate', deliveryId, at: now } });
    await app.strapi.db
      .query(UID.suppression)
      .create({ data: { documentId: createDocumentId(), email: 'gone@example.test', reason: 'manual' } });
    const contact = await app.strapi.db.query(UID.contact).findOne({ where: { email: 'ada@example.test' } });
    await app.strapi.db.query(UID.reportSchedule).create({
      data: {
        documentId: createDocumentId(),
        report: 'nosuchreport',
        frequency: 'daily',
        hour: 8,
        recipients: ['boss@example.test'],
      },
    });
    await app.strapi.db.query(UID.consent).create({
      data: { documentId: createDocumentId(), contact: contact.id, action: 'preferences', occurredAt: now },
    });
    expect(
      (
        await api(app, superToken).post('/segments', {
          name: 'Inactive',
          rules: { conditions: [{ kind: 'inactive', days: 90 }] },
        })
      ).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('gives Strapi default Editor and Author roles no Content Manager permission on the plugin types', async () => {
    const roles = await (app.strapi.service('admin::role') as any).find({
      code: { $in: ['strapi-editor', 'strapi-author'] },
    });
    expect(roles).toHaveLength(2);
    const permissions = await app.strapi.db.query('admin::permission').findMany({
      where: {
        role: { id: { $in: roles.map((role: any) => role.id) } },
        subject: { $startsWith: 'plugin::campaigns.' },
      },
    });
    expect(permissions.map((p: any) => `${p.action} ${p.subject}`)).toEqual([]);
  });

  it('answers 403 or 404 on every Content Manager route of every plugin type, for Editor, Author and Super Admin', async () => {
    const before = await snapshot();
    const answered: string[] = [];
    for (const uid of Object.values(UID)) {
      const row = await app.strapi.db.query(uid).findOne({ select: ['documentId'] });
      expect(row?.documentId).toBeTruthy();
      const attributes = app.strapi.contentType(uid).attributes as Record<string, any>;
      const relationField = Object.keys(attributes).find((name) => attributes[name].type === 'relation');
      for (const [method, path, body] of contentManagerRoutes(uid, row.documentId, relationField)) {
        for (const [who, token] of Object.entries(tokens)) {
          const request = app.http()[method](path).set('Authorization', `Bearer ${token}`);
          const res = body ? await request.send(body) : await request;
          if (res.status !== 403 && res.status !== 404)
            answered.push(`${who} ${method.toUpperCase()} ${path} -> ${res.status}`);
        }
      }
    }
    expect(answered).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('says why the Content Manager is refused', async () => {
    const res = await app
      .http()
      .get(`/content-manager/collection-types/${UID.contact}`)
      .set('Authorization', `Bearer ${superToken}`);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/Campaigns/);
  });

  it('hides the plugin types from the Content Manager menu and the Content-Type Builder', async () => {
    const auth = { Authorization: `Bearer ${superToken}` };
    const cm = await app.http().get('/content-manager/content-types').set(auth);
    expect(cm.status).toBe(200);
    const listed = cm.body.data.filter((type: any) => type.uid.startsWith('plugin::campaigns.'));
    expect(listed.filter((type: any) => type.isDisplayed).map((type: any) => type.uid)).toEqual([]);

    const ctb = await app.http().get('/content-type-builder/content-types').set(auth);
    expect(ctb.status).toBe(200);
    const ours = ctb.body.data.filter((type: any) => type.uid.startsWith('plugin::campaigns.'));
    expect(ours.map((type: any) => type.uid).sort()).toEqual(Object.values(UID).sort());
    expect(ours.filter((type: any) => type.schema.visible !== false).map((type: any) => type.uid)).toEqual([]);
  });

  it('refuses document-service writes that do not come from the plugin, and still lets the app read', async () => {
    const before = await snapshot();
    const contact = await app.strapi.db.query(UID.contact).findOne({ select: ['documentId'] });
    const documents = (uid: string) => app.strapi.documents(uid as any) as any;
    await expect(
      documents(UID.contact).create({ data: { email: 'app@example.test', status: 'subscribed' } }),
    ).rejects.toThrow(/Campaigns plugin/);
    await expect(
      documents(UID.contact).update({ documentId: contact.documentId, data: { firstName: 'Mallory' } }),
    ).rejects.toThrow(/Campaigns plugin/);
    await expect(
      documents(UID.delivery).update({ documentId: sent.documentId, data: { html: PHISHING } }),
    ).rejects.toThrow(/Campaigns plugin/);
    await expect(
      documents(UID.report).delete({ documentId: (await app.strapi.db.query(UID.report).findOne({})).documentId }),
    ).rejects.toThrow(/Campaigns plugin/);
    await expect(
      documents(UID.deliveryLog).create({ data: { deliveryId: 1, email: 'x@example.test', status: 'sent' } }),
    ).rejects.toThrow(/Campaigns plugin/);
    expect(await snapshot()).toEqual(before);
    expect(await documents(UID.contact).count({})).toBe(before.counts[UID.contact]);
  });

  it('keeps the plugin writing through its own routes', async () => {
    const list = await api(app, superToken).post('/lists', { name: 'Still writable' });
    expect(list.status).toBe(201);
    expect((await api(app, superToken).put(`/lists/${list.body.data.documentId}`, { name: 'Renamed' })).status).toBe(
      200,
    );
    expect((await api(app, superToken).delete(`/lists/${list.body.data.documentId}`)).status).toBe(200);
  });

  it("refuses to change a sent delivery's message through the plugin's own route, saying why", async () => {
    const before = await snapshot();
    const edit = await api(app, superToken).put(`/deliveries/${sent.documentId}`, { html: PHISHING });
    expect(edit.status).toBe(400);
    expect(edit.body.error.message).toMatch(/it is sent, and only a draft can be changed/);
    expect(await snapshot()).toEqual(before);
    const read = await api(app, superToken).get(`/deliveries/${sent.documentId}`);
    expect(read.body.data.html).toBe(HTML);
  });
});

// An engagement segment in the real admin (Chromium): an editor writes "did not open Spring", sees who it selects
// (Apple's machine open does not count unless switched in), saves it, picks it as a delivery's audience in the
// editor, sees the size there, and sends: the messages reach exactly the segment's members.
import type { Page } from 'playwright-core';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { api, createContacts, createDelivery, createList, trackingPathsOf, waitForStatus } from '../helpers/campaigns';
import { dismissAnnouncements, launchBrowser, logIn, screenshot } from '../helpers/browser';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { UA } from '../helpers/fixtures';
import { UID } from '../../shared/constants';

const PUBLIC_URL = 'https://news.example.test';
const HTML = '<h1>Hello {{firstName}}</h1><p><a href="https://shop.example.test/">Shop</a></p>';

describe('an engagement segment in the admin', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let baseUrl: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  const pixelOf = (email: string) => trackingPathsOf(smtp.messages.find((m) => m.envelopeTo[0] === email)!).pixel;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      serveAdmin: true,
      pluginConfig: { publicUrl: PUBLIC_URL, smtp: { host: smtp.host, port: smtp.port } },
    });
    token = await app.superAdminToken();
    const list = await createList(app, token, 'Readers');
    await createContacts(
      app,
      token,
      ['reader', 'apple', 'silent'].map((name) => ({ email: `${name}@example.test`, firstName: name })),
      [list],
    );
    const spring = await createDelivery(app, token, {
      name: 'Spring',
      subject: 'Spring is here',
      fromEmail: 'news@example.test',
      html: HTML,
      lists: [list],
    });
    expect((await api(app, token).post(`/deliveries/${spring.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, spring.documentId, ['sent']);
    await smtp.waitFor(3);
    // Apple's proxy fetches the pixel as the message arrives; the reader opens an hour later.
    expect((await app.http().get(pixelOf('apple@example.test')).set('User-Agent', UA.applePrefetch)).status).toBe(200);
    await app.strapi.db
      .query(UID.deliveryLog)
      .updateMany({ where: { deliveryId: spring.id }, data: { sentAt: new Date(Date.now() - 3600_000) } });
    expect((await app.http().get(pixelOf('reader@example.test')).set('User-Agent', UA.outlookWindows)).status).toBe(
      200,
    );

    const { port } = await app.listen();
    baseUrl = `http://127.0.0.1:${port}`;
    browser = await launchBrowser();
    page = browser.page;
    await logIn(page, baseUrl, 'admin@campaigns.test', 'Campaigns-Test-1');
    await dismissAnnouncements(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
    await smtp?.close();
  });

  it('builds a segment and sees who it selects, people only unless machine opens are counted', async () => {
    await page.goto(`${baseUrl}/admin/plugins/campaigns?tab=segments`);
    await page.getByText('No segments yet', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Create segment' }).click();

    await page.getByLabel('Name').fill('Did not open Spring');
    const condition = page.getByTestId('segment-condition-0');
    await condition.getByRole('combobox', { name: 'In' }).click();
    await page.getByRole('option', { name: 'one delivery' }).click();
    await condition.getByRole('combobox', { name: 'Delivery' }).click();
    await page.getByRole('option', { name: 'Spring' }).click();
    await condition.getByRole('checkbox', { name: 'Not: the opposite' }).click();

    const size = page.getByTestId('segment-size');
    await page.getByText('2 contacts would get a message').waitFor();
    await page.getByText('apple@example.test', { exact: true }).waitFor();
    await page.getByText('silent@example.test', { exact: true }).waitFor();
    expect(await page.getByText('reader@example.test', { exact: true }).count()).toBe(0);
    await page.getByRole('checkbox', { name: /Count machine opens/ }).click();
    await page.getByText('1 contact would get a message').waitFor();
    await page.getByRole('checkbox', { name: /Count machine opens/ }).click();
    await page.getByText('2 contacts would get a message').waitFor();
    expect(await size.textContent()).toBe('2 contacts would get a message');
    await screenshot(page, 'segment-editor');

    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByText('Segment saved').waitFor();
    await page.waitForURL(/\/segments\/[a-z0-9]+$/);
    const saved = (await api(app, token).get('/segments')).body.data;
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ name: 'Did not open Spring', rules: { match: 'all', includeMachine: false } });
  });

  it('sends a delivery to the segment from the editor, to exactly its members', async () => {
    const draft = await createDelivery(app, token, {
      name: 'Did you miss it?',
      subject: 'Did you miss it?',
      fromEmail: 'news@example.test',
      html: HTML,
    });
    await page.goto(`${baseUrl}/admin/plugins/campaigns/deliveries/${draft.documentId}/edit`);
    await page.getByRole('combobox', { name: 'Send to' }).click();
    await page.getByRole('option', { name: 'The segment "Did not open Spring"' }).click();
    await page.getByTestId('segment-audience-size').getByText('Audience: 2 contacts would get it now').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Send…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Send now' }).click();

    const sent = await waitForStatus(app, token, draft.documentId, ['sent']);
    expect(sent.counters).toMatchObject({ sent: 2 });
    await smtp.waitFor(5);
    const received = smtp.messages.filter((m) => m.subject === 'Did you miss it?').map((m) => m.envelopeTo[0]);
    expect(received.sort()).toEqual(['apple@example.test', 'silent@example.test']);
  });
});

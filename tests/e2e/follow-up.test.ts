// Following up a sent delivery in the real admin (Chromium): from the parent's dashboard, "Send to those who did not
// open" with its own subject and no delay; the follow-up's dashboard links back to its parent, it reaches the
// recipient without a human open (Apple's machine open does not count), and the parent lists it with its figures;
// a contact's timeline; and the editor's links table with UTM tags on.
import type { Page } from 'playwright-core';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { api, createContacts, createDelivery, createList, waitForStatus } from '../helpers/campaigns';
import { dismissAnnouncements, launchBrowser, logIn, screenshot } from '../helpers/browser';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { UA } from '../helpers/fixtures';
import { UID } from '../../shared/constants';

const PUBLIC_URL = 'https://news.example.test';

describe('a follow-up from the message dashboard', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let baseUrl: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let parent: { documentId: string; id: number };

  const pixelOf = (email: string) => {
    const html = smtp.messages.find((m) => m.envelopeTo[0] === email)!.html as string;
    return /<img src="([^"]+\/api\/campaigns\/o\/[^"]+)"/.exec(html)![1].slice(PUBLIC_URL.length);
  };

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
    parent = await createDelivery(app, token, {
      name: 'Spring',
      subject: 'Spring is here',
      fromEmail: 'news@example.test',
      html: '<h1>Hello {{firstName}}</h1><p><a href="https://shop.example.test/">Shop</a></p>',
      lists: [list],
    });
    expect((await api(app, token).post(`/deliveries/${parent.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, parent.documentId, ['sent']);
    await smtp.waitFor(3);
    // Apple's proxy fetches the pixel as the message arrives; the reader opens an hour later.
    expect((await app.http().get(pixelOf('apple@example.test')).set('User-Agent', UA.applePrefetch)).status).toBe(200);
    await app.strapi.db
      .query(UID.deliveryLog)
      .updateMany({ where: { deliveryId: parent.id }, data: { sentAt: new Date(Date.now() - 3600_000) } });
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

  it('sends to those who did not open, and shows parent and follow-up together', async () => {
    await page.goto(`${baseUrl}/admin/plugins/campaigns/deliveries/${parent.documentId}`);
    await page.getByText('No follow-up yet.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Send to those who did not open' }).click();

    const dialog = page.getByRole('dialog');
    await dialog.getByText('Follow up "Spring"').waitFor();
    expect(await dialog.getByRole('radio', { name: 'Those who did not open' }).isChecked()).toBe(true);
    await dialog.getByLabel('Subject').fill('');
    await dialog.getByText('subject is required').waitFor();
    expect(await dialog.getByRole('button', { name: 'Create and schedule' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Subject').fill('Did you miss it?');
    await dialog.getByLabel('Send in (hours)').fill('0');
    await dialog.getByRole('button', { name: 'Create and schedule' }).click();

    // The follow-up's own dashboard, linked to its parent.
    const note = page.getByTestId('follow-up-parent');
    await note.waitFor();
    expect(await note.textContent()).toContain('Follow-up of Spring · Those who did not open');
    const followUpId = page.url().split('/').pop()!;
    await waitForStatus(app, token, followUpId, ['sent']);
    await smtp.waitFor(5);
    const followUps = smtp.messages.filter((m) => m.subject === 'Did you miss it?');
    expect(followUps.map((m) => m.envelopeTo[0]).sort()).toEqual(['apple@example.test', 'silent@example.test']);

    await note.getByRole('link', { name: 'Spring' }).click();
    const panel = page.getByTestId('follow-ups');
    await panel.getByRole('row', { name: /Spring - not opened.*Those who did not open.*Sent/ }).waitFor();
    // Three recipients in all, one of them opened (the reader); Apple's machine open is not counted.
    await panel.getByText(/^Together: 1 of 3 recipients opened one of them \(33\.3\s%\), people only$/).waitFor();
    await screenshot(page, 'follow-ups');
  });
  it("reads a contact's timeline, Apple's machine open marked with its reason", async () => {
    const apple = (await api(app, token).get('/contacts?search=apple%40example.test')).body.data[0];
    await page.goto(`${baseUrl}/admin/plugins/campaigns/contacts/${apple.documentId}`);
    const timeline = page.getByTestId('contact-timeline');
    await timeline.getByRole('row', { name: /Open\s*Spring\s*machine open/ }).waitFor();
    await timeline.getByText("Apple's proxy (Mail Privacy Protection)").waitFor();
    await timeline.scrollIntoViewIfNeeded();
    await screenshot(page, 'contact-timeline');
    expect(await timeline.getByRole('row', { name: /Delivery\s*Spring - not opened\s*sent/ }).count()).toBe(1);
    await page.getByText(/^Engagement 0 \/ 100: 0 messages opened and 0 clicked/).waitFor();
    await timeline.getByText('3 events').waitFor();
  });

  it('shows the final URL of each tracked link once UTM tags are on', async () => {
    const draft = await createDelivery(app, token, {
      name: 'Summer Sale',
      html: '<p><a href="https://shop.example.test/?ref=x#top">Shop</a> <a href="mailto:help@example.test">Help</a></p>',
    });
    await page.goto(`${baseUrl}/admin/plugins/campaigns/deliveries/${draft.documentId}/edit`);
    await page.getByRole('row', { name: /Shop\s*https:\/\/shop\.example\.test\/\?ref=x#top/ }).waitFor();
    await page.getByRole('switch', { name: 'Add UTM tags' }).click();
    const tagged =
      'https://shop.example.test/?ref=x&utm_source=newsletter&utm_medium=email&utm_campaign=summer-sale#top';
    await page.getByRole('row', { name: new RegExp(`Shop\\s*${tagged.replace(/[.?/]/g, '\\$&')}`) }).waitFor();
    await page.getByLabel('utm_medium').fill('e-mail');
    await page.getByText(tagged.replace('medium=email', 'medium=e-mail')).waitFor();
    expect(await page.getByText('mailto:help@example.test', { exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved', { exact: true }).first().waitFor();
    const saved = (await api(app, token).get(`/deliveries/${draft.documentId}`)).body.data;
    expect(saved).toMatchObject({ utmTags: true, utmMedium: 'e-mail', utmSource: null });
  });
});

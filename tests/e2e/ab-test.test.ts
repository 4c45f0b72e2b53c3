// An A/B test in the real admin (Chromium): an editor sets up the test in the delivery editor (another subject, the
// share, the metric, the wait, winner picked by hand), the test goes out, and the dashboard shows each variant with
// its figures and that no difference is significant yet; "Send the winner now" sends the rest.
import type { Page } from 'playwright-core';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { api, createContacts, createDelivery, createList, waitForStatus } from '../helpers/campaigns';
import { dismissAnnouncements, launchBrowser, logIn, screenshot } from '../helpers/browser';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';

const PEOPLE = 10;

describe('an A/B test from the delivery editor to the dashboard', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let baseUrl: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let draft: { documentId: string; id: number };

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      serveAdmin: true,
      pluginConfig: { publicUrl: 'https://news.example.test', smtp: { host: smtp.host, port: smtp.port } },
    });
    token = await app.superAdminToken();
    const list = await createList(app, token, 'Readers');
    await createContacts(
      app,
      token,
      Array.from({ length: PEOPLE }, (_, i) => ({ email: `reader${i}@example.test`, firstName: `Reader${i}` })),
      [list],
    );
    draft = await createDelivery(app, token, {
      name: 'Spring',
      subject: 'Spring is here',
      fromEmail: 'news@example.test',
      html: '<h1>Hello {{firstName}}</h1><p><a href="https://shop.example.test/">Shop</a></p>',
      lists: [list],
    });
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

  it('sets up the test in the editor', async () => {
    await page.goto(`${baseUrl}/admin/plugins/campaigns/deliveries/${draft.documentId}/edit`);
    await page.getByRole('switch', { name: 'Test subjects' }).click();
    await page.getByLabel('Other subjects (B, C, D)').fill('');
    await page.getByText('a variant needs a subject').waitFor();
    await page.getByLabel('Other subjects (B, C, D)').fill('Spring: our offers');
    await page.getByLabel('Test share (%)').fill('40');
    await page.getByRole('combobox', { name: 'Winning metric' }).click();
    await page.getByRole('option', { name: 'Unique clicks' }).click();
    await page.getByLabel('Wait (minutes)').fill('90');
    await page.getByRole('switch', { name: 'Send the winner by itself' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved', { exact: true }).first().waitFor();
    const saved = (await api(app, token).get(`/deliveries/${draft.documentId}`)).body.data;
    expect(saved.abTest).toEqual({
      subjects: ['Spring: our offers'],
      share: 40,
      metric: 'clicks',
      waitMinutes: 90,
      autoSend: false,
    });
  });

  it('shows the variants with their figures on the dashboard, and sends the winner on a click', async () => {
    expect((await api(app, token).post(`/deliveries/${draft.documentId}/send`)).status).toBe(200);
    await smtp.waitFor(4, 30_000);
    await page.goto(`${baseUrl}/admin/plugins/campaigns/deliveries/${draft.documentId}`);
    const panel = page.getByTestId('ab-test');
    await panel.getByTestId('ab-variant-A').getByText('Spring is here').waitFor();
    await panel.getByTestId('ab-variant-B').getByText('Spring: our offers').waitFor();
    await panel.getByText('The test is sent: pick the winner to send it to the rest').waitFor();
    expect(await panel.getByTestId('ab-variant-A').textContent()).toMatch(/^ASpring is here2000\.0\s%/);
    // Nobody opened or clicked yet: a tie, which the first variant would win.
    await panel.getByTestId('ab-tied').getByText('the winner sent now would be variant A', { exact: false }).waitFor();
    expect(await panel.getByText('Leading').count()).toBe(0);
    await screenshot(page, 'ab-test');
    expect(smtp.messages).toHaveLength(4);

    await panel.getByRole('button', { name: 'Send B' }).click();
    await panel.getByText(/Variant B won, sent to the rest on/).waitFor();
    await waitForStatus(app, token, draft.documentId, ['sent'], 30_000);
    await smtp.waitFor(PEOPLE, 10_000);
    expect(new Set(smtp.messages.map((m) => m.envelopeTo[0])).size).toBe(PEOPLE);
    expect(smtp.messages.filter((m) => m.subject === 'Spring: our offers')).toHaveLength(2 + PEOPLE - 4);
  });
});

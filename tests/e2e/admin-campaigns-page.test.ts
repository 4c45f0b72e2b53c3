// The real admin in Chromium: an admin logs in, finds Campaigns in the menu and sees the audience.
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { dismissAnnouncements, launchBrowser, logIn, screenshot } from '../helpers/browser';

describe('the Campaigns admin page', () => {
  let app: TestApp;
  let baseUrl: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    app = await bootTestApp({ serveAdmin: true });
    await app.superAdminToken();
    const { port } = await app.listen();
    baseUrl = `http://127.0.0.1:${port}`;
    const contacts = app.strapi.plugin('campaigns').service('contacts');
    const list = await app.strapi
      .plugin('campaigns')
      .service('lists')
      .create({ name: 'Newsletter', description: 'Monthly news' });
    for (const [email, firstName] of [
      ['ada@example.com', 'Ada'],
      ['grace@example.com', 'Grace'],
      ['linus@example.com', 'Linus'],
    ]) {
      await contacts.create({ email, firstName, lists: [list.documentId] });
    }
    browser = await launchBrowser();
    await logIn(browser.page, baseUrl, 'admin@campaigns.test', 'Campaigns-Test-1');
    await dismissAnnouncements(browser.page);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
  });

  const shot = (name: string) => screenshot(browser.page, name);

  it('shows Campaigns in the main menu and opens on the deliveries tab', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Campaigns' }).first().click();
    await page.waitForURL(/\/admin\/plugins\/campaigns/);
    await expect(page.getByRole('heading', { name: 'Campaigns' }).first().isVisible()).resolves.toBe(true);
    await page.getByText('No deliveries yet').waitFor();
  });

  it('lists the contacts with their status and lists, and the list with its size', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Contacts' }).click();
    await page.getByText('grace@example.com').waitFor();
    expect(await page.getByText('3 contacts').isVisible()).toBe(true);
    await shot('contacts');
    await page.getByRole('tab', { name: 'Lists' }).click();
    const row = page.getByRole('row', { name: /Newsletter/ });
    await row.waitFor();
    // The name, its description, then members in all and subscribed.
    expect(await row.innerText()).toMatch(/Newsletter\s+Monthly news\s+3\s+3/);
    await shot('lists');
  });
});

// Layouts in the real admin (Chromium): the starters listed, one edited with its errors shown as the admin types, the
// preview rendered by the server at desktop and phone widths, saved and still there after a reload; then a new
// delivery started from it.
import type { Page } from 'playwright-core';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { dismissAnnouncements, launchBrowser, logIn, screenshot } from '../helpers/browser';

const ADDRESS = 'Acme Ltd, 1 Harbour Road, Springfield';

describe('layouts in the admin', () => {
  let app: TestApp;
  let baseUrl: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    app = await bootTestApp({ serveAdmin: true });
    await app.superAdminToken();
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
  });

  const shot = (name: string) => screenshot(page, name);
  const frame = () => page.locator('iframe[title="Layout preview"]');

  it('lists the three starters on the Layouts tab', async () => {
    await page.goto(`${baseUrl}/admin/plugins/campaigns?tab=layouts`);
    for (const name of ['Newsletter', 'Announcement', 'Digest'])
      await page.getByRole('row', { name: new RegExp(name) }).waitFor();
    expect(await page.getByText('Starter').count()).toBe(3);
  });

  it('edits a layout: errors as the admin types, the preview follows, saved and kept after a reload', async () => {
    await page.getByRole('button', { name: 'Edit Newsletter' }).click();
    await page.waitForURL(/\/layouts\/[a-z0-9]+$/);
    await frame().waitFor();
    expect(await frame().getAttribute('srcdoc')).toContain('Your organisation');

    const accent = page.getByRole('textbox', { name: 'Buttons' });
    await accent.fill('blue');
    await page.getByText('a colour is written #rrggbb').waitFor();
    expect(await page.getByRole('button', { name: 'Save layout' }).isDisabled()).toBe(true);
    await accent.fill('#d02b20');
    await page.getByText('a colour is written #rrggbb').waitFor({ state: 'detached' });

    await page.getByRole('textbox', { name: 'Postal address' }).fill(ADDRESS);
    await page.waitForFunction(
      (address) => document.querySelector('iframe[title="Layout preview"]')?.getAttribute('srcdoc')?.includes(address),
      ADDRESS,
    );
    expect(await frame().getAttribute('srcdoc')).toContain('#d02b20');
    await page.getByRole('tab', { name: 'Phone' }).click();
    expect(await frame().evaluate((el) => el.getBoundingClientRect().width)).toBe(375);
    await shot('layout-editor');

    await page.getByRole('button', { name: 'Save layout' }).click();
    await page.getByText('Layout saved').waitFor();
    await page.reload();
    await expect(page.getByRole('textbox', { name: 'Postal address' }).inputValue()).resolves.toBe(ADDRESS);
  });

  it('starts a new delivery from a layout, with its blocks', async () => {
    await page.goto(`${baseUrl}/admin/plugins/campaigns?tab=layouts`);
    await page.getByRole('button', { name: 'New delivery from Announcement' }).click();
    await page.waitForURL(/\/deliveries\/[a-z0-9]+\/edit$/);
    const id = page.url().match(/deliveries\/([a-z0-9]+)\/edit/)![1];
    const delivery = await app.strapi.documents('plugin::campaigns.delivery').findOne({ documentId: id });
    expect(delivery).toMatchObject({ contentMode: 'blocks', name: 'Announcement' });
    expect((delivery as unknown as { content: { blocks: unknown[] } }).content.blocks).toHaveLength(3);
  });
});

// The suppression list in the real admin (Chromium): empty at first, addresses typed by hand (a bad one refused
// under the field as the admin types), a file imported with the line it did not take answered, the list filtered by
// reason in the URL, exported as CSV, and a suppression lifted after a confirmation, on a page reloaded whose admin
// permissions arrived after it mounted.
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Page } from 'playwright-core';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { api, createContacts, createList } from '../helpers/campaigns';
import { dismissAnnouncements, launchBrowser, logIn, screenshot } from '../helpers/browser';
import { UID } from '../../shared/constants';

describe('the suppression list in the admin', () => {
  let app: TestApp;
  let token: string;
  let baseUrl: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-suppressions-e2e-'));

  beforeAll(async () => {
    app = await bootTestApp({ serveAdmin: true });
    token = await app.superAdminToken();
    const list = await createList(app, token, 'Readers');
    await createContacts(app, token, [{ email: 'ada@example.test', firstName: 'Ada' }], [list]);
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
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const suppressed = () => app.strapi.db.query(UID.suppression).findMany({ select: ['email', 'reason', 'note'] });

  it('starts empty, and suppresses addresses typed by hand once each is an address', async () => {
    await page.goto(`${baseUrl}/admin/settings/campaigns/suppressions`);
    await page.getByText('No address is suppressed yet.').waitFor();

    await page.getByRole('button', { name: 'Suppress addresses' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Addresses').fill('ada@example.test\nnot an address');
    await dialog.getByText('each address must be an email address').waitFor();
    expect(await dialog.getByRole('button', { name: 'Suppress', exact: true }).isDisabled()).toBe(true);
    await dialog.getByLabel('Addresses').fill('ada@example.test\nbo@example.test');
    await dialog.getByLabel('Note').fill('asked by phone');
    await dialog.getByRole('button', { name: 'Suppress', exact: true }).click();
    await dialog
      .getByText('2 addresses suppressed, 0 already were; 1 contact unsubscribed.', { exact: true })
      .waitFor();
    await dialog.getByRole('button', { name: 'Close' }).last().click();

    await page.getByRole('row', { name: /ada@example\.test/ }).waitFor();
    expect(await page.getByRole('row', { name: /bo@example\.test.*Added by an admin.*asked by phone/ }).count()).toBe(
      1,
    );
    const ada = (await api(app, token).get('/contacts?search=ada%40example.test')).body.data[0];
    expect(ada.status).toBe('unsubscribed');
  });

  it('imports a file and answers the line it did not take', async () => {
    const file = path.join(tmp, 'old-tool.csv');
    fs.writeFileSync(file, 'email,name\ncy@example.test,Cy\nbroken-line,Nobody\n');
    await page.getByRole('button', { name: 'Suppress addresses' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('File').setInputFiles(file);
    await dialog.getByRole('button', { name: 'Suppress', exact: true }).click();
    await dialog.getByText('1 line not taken:').waitFor();
    expect(await dialog.getByText(/^Line 3: "broken-line"/).count()).toBe(1);
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    expect((await suppressed()).map((row) => row.email).sort()).toEqual([
      'ada@example.test',
      'bo@example.test',
      'cy@example.test',
    ]);
  });

  it('filters by reason in the URL, says when nothing matches, and exports what it shows', async () => {
    await page.goto(`${baseUrl}/admin/settings/campaigns/suppressions?reason=complaint`);
    await page.getByText('No suppressed address matches these filters.').waitFor();
    await page.goto(`${baseUrl}/admin/settings/campaigns/suppressions?reason=manual`);
    await page.getByRole('row', { name: /cy@example\.test/ }).waitFor();
    await screenshot(page, 'suppressions');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const saved = path.join(tmp, 'export.csv');
    await download.saveAs(saved);
    const lines = fs.readFileSync(saved, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('email,reason,note,created_at');
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',')[0])
        .sort(),
    ).toEqual(['ada@example.test', 'bo@example.test', 'cy@example.test']);
  });

  it('lifts a suppression after asking, its button there even when the admin learnt its permissions late', async () => {
    // A reload whose permissions answer comes after the page has mounted (a slow network): the actions the admin may
    // take must still appear once it comes.
    await page.route('**/admin/users/me/permissions', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    const answered = page.waitForResponse((response) => response.url().endsWith('/admin/users/me/permissions'));
    await page.reload();
    await page.getByRole('row', { name: /bo@example\.test/ }).waitFor();
    await answered;
    await page.unroute('**/admin/users/me/permissions');
    await page.getByRole('button', { name: 'Lift the suppression of bo@example.test' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Lift the suppression' }).click();
    await page.getByRole('row', { name: /bo@example\.test/ }).waitFor({ state: 'detached' });
    expect((await suppressed()).map((row) => row.email)).not.toContain('bo@example.test');
  });
});

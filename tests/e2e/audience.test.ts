// The audience in the real admin (Chromium): an admin adds a contact, opens and edits its page, filters the contacts
// by status, deletes a selection; creates a list, renames it and deletes it after reading how many contacts it holds;
// imports a CSV with a bad row and exports a list and a filter.
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Page } from 'playwright-core';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { api, createContacts, createList } from '../helpers/campaigns';
import { dismissAnnouncements, launchBrowser, logIn, screenshot } from '../helpers/browser';

describe('the audience in the admin', () => {
  let app: TestApp;
  let token: string;
  let baseUrl: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    app = await bootTestApp({ serveAdmin: true });
    token = await app.superAdminToken();
    const customers = await createList(app, token, 'Customers');
    await createContacts(
      app,
      token,
      [
        { email: 'gone@example.test', status: 'unsubscribed' },
        { email: 'kept@example.test', firstName: 'Kept' },
      ],
      [customers],
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
  });

  const contactsTab = () => page.goto(`${baseUrl}/admin/plugins/campaigns?tab=contacts`);
  const contactNamed = async (email: string) =>
    (await api(app, token).get(`/contacts?search=${encodeURIComponent(email)}`)).body.data[0];

  it('adds a contact: a bad address is refused under its field, a good one opens the contact page', async () => {
    await contactsTab();
    await page.getByRole('button', { name: 'Add contact' }).click();
    const dialog = page.getByRole('dialog', { name: 'New contact' });
    await dialog.getByRole('textbox', { name: 'Email' }).fill('kept@example.test');
    await dialog.getByRole('textbox', { name: 'First name' }).fill('Ada');
    await dialog.getByRole('button', { name: 'Add contact' }).click();
    await dialog.getByText('A contact with the email "kept@example.test" already exists.').waitFor();

    await dialog.getByRole('textbox', { name: 'Email' }).fill('ada@example.test');
    await dialog.getByRole('button', { name: 'Add contact' }).click();
    await page.waitForURL(/\/contacts\/[a-z0-9]+$/);
    await page.getByRole('heading', { name: 'ada@example.test' }).waitFor();
    expect(await contactNamed('ada@example.test')).toMatchObject({ firstName: 'Ada', status: 'subscribed' });
  });

  it('edits the contact on its page: profile, attributes and lists, all still there after a reload', async () => {
    await page.getByRole('textbox', { name: 'Last name' }).fill('Lovelace');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Contact saved').first().waitFor();

    await page.getByRole('button', { name: 'Add an attribute' }).click();
    await page.getByRole('textbox', { name: 'Attribute name' }).fill('plan');
    await page.getByRole('textbox', { name: 'Value of plan' }).fill('pro');
    await page.getByRole('button', { name: 'Save attributes' }).click();

    await page.getByRole('combobox', { name: 'List to add to' }).click();
    await page.getByRole('option', { name: 'Customers' }).click();
    await page.getByRole('button', { name: 'Add to list' }).click();
    await page.getByRole('button', { name: 'Remove from Customers' }).waitFor();
    await shot('contact-page');

    await page.reload();
    await expect(page.getByRole('textbox', { name: 'Last name' }).inputValue()).resolves.toBe('Lovelace');
    await expect(page.getByRole('textbox', { name: 'Value of plan' }).inputValue()).resolves.toBe('pro');
    expect(await contactNamed('ada@example.test')).toMatchObject({
      lastName: 'Lovelace',
      attributes: { plan: 'pro' },
      lists: [expect.objectContaining({ name: 'Customers' })],
    });
  });

  it('filters the contacts by status, kept in the URL', async () => {
    await contactsTab();
    await page.getByRole('link', { name: 'ada@example.test' }).waitFor();
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Unsubscribed' }).click();
    await page.waitForURL(/status=unsubscribed/);
    await page.getByRole('link', { name: 'ada@example.test' }).waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('link', { name: 'gone@example.test' }).waitFor();
    expect(await page.getByRole('link', { name: /@example\.test/ }).count()).toBe(1);
  });

  it('deletes a selection of contacts after saying how many', async () => {
    await contactsTab();
    await page.getByRole('checkbox', { name: 'Select ada@example.test' }).click();
    await page.getByRole('checkbox', { name: 'Select gone@example.test' }).click();
    await page.getByRole('button', { name: 'Delete 2 contacts' }).click();
    await page.getByText('2 contacts will be deleted, with their list memberships.').waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('link', { name: 'ada@example.test' }).waitFor({ state: 'detached' });
    const left = (await api(app, token).get('/contacts')).body.data.map((c: { email: string }) => c.email);
    expect(left).toEqual(['kept@example.test']);
  });

  it('creates, renames and deletes a list, the confirmation saying how many contacts it holds', async () => {
    await page.goto(`${baseUrl}/admin/plugins/campaigns?tab=lists`);
    const customers = page.getByRole('row', { name: /Customers/ });
    // Kept is its one member: the total, then subscribed, unsubscribed, bounced, quarantined.
    await customers.waitFor();
    expect((await customers.locator('td').allInnerTexts()).slice(1, 6)).toEqual(['1', '1', '0', '0', '0']);

    await page.getByRole('button', { name: 'Create list' }).click();
    const dialog = page.getByRole('dialog', { name: 'New list' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Customers');
    await dialog.getByRole('button', { name: 'Create list' }).click();
    await dialog.getByText('A list named "Customers" already exists.').waitFor();
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Beta testers');
    await dialog.getByRole('button', { name: 'Create list' }).click();
    await page.getByRole('row', { name: /Beta testers/ }).waitFor();

    await page.getByRole('button', { name: 'Rename Beta testers' }).click();
    await page
      .getByRole('dialog', { name: 'Rename the list' })
      .getByRole('textbox', { name: 'Name' })
      .fill('Early birds');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('row', { name: /Early birds/ }).waitFor();

    await page.getByRole('button', { name: 'Delete Customers' }).click();
    await page.getByText('"Customers" holds 1 contact. The contacts stay; only the list goes.').waitFor();
    await page.getByRole('button', { name: 'Delete list' }).click();
    await page.getByRole('row', { name: /Customers/ }).waitFor({ state: 'detached' });
    const names = (await api(app, token).get('/lists')).body.data.map((l: { name: string }) => l.name);
    expect(names).toEqual(['Early birds']);
    expect((await api(app, token).get('/contacts')).body.meta.pagination.total).toBe(1);
  });

  it('imports a CSV: columns mapped, first rows previewed, then the bad row with its line number, downloadable', async () => {
    const file = path.join(os.tmpdir(), `audience-import-${process.pid}.csv`);
    fs.writeFileSync(
      file,
      'Courriel,Prénom,Formule\nlea@import.test,Léa,pro\nnot-an-address,Bad,free\ntom@import.test,Tom,free\n',
    );
    await contactsTab();
    await page.getByRole('button', { name: 'Import CSV' }).click();
    await page.waitForURL(/\/contacts\/import$/);
    await page.getByLabel('CSV file').setInputFiles(file);
    // "Courriel" is no name the import knows: the admin says it holds the email.
    await page.getByText('choose one email column').waitFor();
    await page.getByText('not-an-address').waitFor();
    await page.getByRole('combobox', { name: 'Column Courriel goes to' }).click();
    await page.getByRole('option', { name: 'Email' }).click();
    await page.getByRole('combobox', { name: 'Column Prénom goes to' }).click();
    await page.getByRole('option', { name: 'First name' }).click();
    await expect(page.getByRole('textbox', { name: 'Attribute name for Formule' }).inputValue()).resolves.toBe(
      'Formule',
    );
    await page.getByRole('textbox', { name: 'Or a new list' }).fill('Imported');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Import finished').waitFor();
    await page.getByText('2 created, 0 updated, 0 unchanged, 0 repeated in the file, 1 rejected.').waitFor();
    const rejected = page.getByRole('row', { name: /not-an-address|Bad/ }).last();
    expect((await rejected.locator('td').allInnerTexts())[0]).toBe('3');
    await shot('contact-import');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the rejected rows' }).click(),
    ]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('line,email,reason');
    expect(csv.split('\r\n')[1]).toMatch(/^3,/);
    expect(await contactNamed('lea@import.test')).toMatchObject({
      firstName: 'Léa',
      attributes: { Formule: 'pro' },
      lists: [expect.objectContaining({ name: 'Imported' })],
    });
    fs.rmSync(file, { force: true });
  });

  it('exports a list as CSV, and the contacts of a filter', async () => {
    await page.goto(`${baseUrl}/admin/plugins/campaigns?tab=lists`);
    const [listFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export Imported as CSV' }).click(),
    ]);
    expect(listFile.suggestedFilename()).toMatch(/^Imported-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = fs
      .readFileSync((await listFile.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(rows[0]).toMatch(/^email,firstName,lastName,locale,status/);
    expect(
      rows
        .slice(1)
        .map((row) => row.split(',')[0])
        .sort(),
    ).toEqual(['lea@import.test', 'tom@import.test']);

    await page.goto(`${baseUrl}/admin/plugins/campaigns?tab=contacts&search=tom`);
    const [filtered] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export these contacts' }).click(),
    ]);
    const lines = fs
      .readFileSync((await filtered.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(lines.slice(1).map((row) => row.split(',')[0])).toEqual(['tom@import.test']);
  });

  it("filters the contacts by an attribute's value", async () => {
    await contactsTab();
    await page.getByRole('textbox', { name: 'Attribute', exact: true }).fill('Formule');
    await page.getByRole('textbox', { name: 'Attribute value' }).fill('pro');
    await page.waitForURL(/attribute=Formule&attributeValue=pro/);
    await page.getByRole('link', { name: 'tom@import.test' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'lea@import.test' }).waitFor();
    expect(await page.getByRole('link', { name: /@/ }).count()).toBe(1);
  });

  const shot = (name: string) => screenshot(page, name);
});

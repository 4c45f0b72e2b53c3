// The preference centre and a contact's data in Chromium: a reader opens the preferences link of a newsletter they
// received (a blocks message, the link in its legal lines), unticks a list, ticks another, saves and sees it saved;
// then an admin downloads the contact's data from the contact page and erases it after typing the address.
import fs from 'fs';
import type { Page } from 'playwright-core';
import { UID } from '../../shared/constants';
import { api, createContacts, createDelivery, createList, waitForStatus } from '../helpers/campaigns';
import { dismissAnnouncements, launchBrowser, logIn, screenshot } from '../helpers/browser';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { bootTestApp, type TestApp } from '../helpers/strapi';

const PUBLIC_URL = 'https://news.example.test';

describe('the preference centre and a contact’s data in a browser', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let baseUrl: string;
  let preferencesUrl: string;
  let contactId: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  const listNames = async () => {
    const contact = await app.strapi.db
      .query(UID.contact)
      .findOne({ where: { documentId: contactId }, populate: { lists: { select: ['name'] } } });
    return (contact.lists as Array<{ name: string }>).map((list) => list.name).sort();
  };

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      serveAdmin: true,
      pluginConfig: { publicUrl: PUBLIC_URL, smtp: { host: smtp.host, port: smtp.port } },
    });
    token = await app.superAdminToken();
    const weekly = await createList(app, token, 'Weekly news');
    await createList(app, token, 'Offers');
    await app.strapi.db.query(UID.list).updateMany({ where: {}, data: { public: true } });
    [contactId] = await createContacts(app, token, [{ email: 'reader@example.test', firstName: 'Rea' }], [weekly]);
    const [layout] = (await api(app, token).get('/layouts')).body.data;
    await api(app, token).put(`/layouts/${layout.documentId}`, { postalAddress: 'Acme, 1 Main Street, Springfield' });
    const delivery = await createDelivery(app, token, {
      name: 'Weekly 12',
      fromEmail: 'news@example.test',
      contentMode: 'blocks',
      content: { version: 1, blocks: [{ id: 'title', type: 'heading', text: 'This week', level: 1, align: 'left' }] },
      layout: layout.documentId,
      lists: [weekly],
    });
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, delivery.documentId, ['sent']);
    await smtp.waitFor(1);
    const { port } = await app.listen();
    baseUrl = `http://127.0.0.1:${port}`;
    const html = smtp.messages[0].html as string;
    const link = /href="([^"]+\/api\/campaigns\/p\/[^"]+)"/.exec(html)![1];
    // The message links to the public URL; this Strapi answers it on a local port.
    preferencesUrl = link.replace(PUBLIC_URL, baseUrl);
    browser = await launchBrowser();
    page = browser.page;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
    await smtp?.close();
  });

  it('a reader changes their lists from the link in the message', async () => {
    await page.goto(preferencesUrl);
    await page.getByRole('heading', { name: 'Your email preferences' }).waitFor();
    await screenshot(page, 'preference-centre');
    const weekly = page.getByRole('checkbox', { name: 'Weekly news' });
    const offers = page.getByRole('checkbox', { name: 'Offers' });
    expect(await weekly.isChecked()).toBe(true);
    expect(await offers.isChecked()).toBe(false);

    await weekly.uncheck();
    await offers.check();
    await page.getByRole('button', { name: 'Save my choices' }).click();
    await page.getByText('Your choices are saved.').waitFor();
    expect(await page.getByRole('checkbox', { name: 'Offers' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Weekly news' }).isChecked()).toBe(false);
    expect(await listNames()).toEqual(['Offers']);

    // Opened again later: the page shows what was saved.
    await page.goto(preferencesUrl);
    expect(await page.getByRole('checkbox', { name: 'Offers' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Weekly news' }).isChecked()).toBe(false);
  });

  it('an admin exports the contact’s data, then erases the contact after typing the address', async () => {
    await logIn(page, baseUrl, 'admin@campaigns.test', 'Campaigns-Test-1');
    await dismissAnnouncements(page);
    await page.goto(`${baseUrl}/admin/plugins/campaigns/contacts/${contactId}`);
    await page.getByRole('heading', { name: 'reader@example.test' }).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export data' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`contact-${contactId}.json`);
    const data = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
    expect(data.profile).toMatchObject({ email: 'reader@example.test', firstName: 'Rea' });
    expect(data.consents.map((consent: { action: string }) => consent.action)).toEqual(['preferences']);
    expect(data.deliveryLogs).toEqual([expect.objectContaining({ delivery: 'Weekly 12', status: 'sent' })]);

    await page.getByRole('button', { name: 'Erase' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Erase this person’s data?' });
    const confirm = dialog.getByRole('textbox', { name: 'Type reader@example.test to confirm' });
    expect(await dialog.getByRole('button', { name: 'Erase' }).isDisabled()).toBe(true);
    await confirm.fill('someone@example.test');
    await dialog.getByText('Type the contact’s address exactly.').waitFor();
    expect(await dialog.getByRole('button', { name: 'Erase' }).isDisabled()).toBe(true);
    await confirm.fill('reader@example.test');
    await dialog.getByRole('button', { name: 'Erase' }).click();
    await page.getByText('Contact erased: its figures stay, nothing identifies the person.').first().waitFor();
    await page.getByRole('heading', { name: /^erased-[0-9a-f]+@erased\.invalid$/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Export data' }).count()).toBe(0);
    expect(await listNames()).toEqual([]);
  });
});

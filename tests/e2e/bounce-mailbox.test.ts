// The bounce mailbox in the real admin (Chromium): its section of the settings checks the connection to a real IMAP
// server (Dovecot), never shows the password, asks for it again when the host changes, and lists the reports it
// could not match.
import type { Page } from 'playwright-core';
import { api } from '../helpers/campaigns';
import { bounceReport } from '../helpers/bounce-reports';
import { dismissAnnouncements, launchBrowser, logIn } from '../helpers/browser';
import { startTestImapServer, type TestImapServer } from '../helpers/imap-server';
import { bootTestApp, type TestApp } from '../helpers/strapi';

const ADMIN_EMAIL = 'admin@campaigns.test';
const PASSWORD = 'Campaigns-Test-1';

describe('the bounce mailbox in the settings', () => {
  let imap: TestImapServer;
  let app: TestApp;
  let baseUrl: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    imap = await startTestImapServer({ user: 'bounces', pass: 'mailbox-secret' });
    app = await bootTestApp({
      serveAdmin: true,
      pluginConfig: {
        // A day between readings: this test reads the mailbox itself.
        bounceMailbox: {
          enabled: true,
          host: imap.host,
          port: imap.port,
          secure: false,
          user: imap.user,
          pass: imap.pass,
          intervalSeconds: 86_400,
        },
      },
    });
    token = await app.superAdminToken();
    const { port } = await app.listen();
    baseUrl = `http://127.0.0.1:${port}`;
    await imap.append(
      'INBOX',
      bounceReport('malformed-report.eml', {
        MESSAGE_ID: '<1.1.aa@acme.example.test>',
        DELIVERY: 'none',
        FROM: 'news@acme.example.test',
        RECIPIENT: 'ada@example.net',
      }),
    );
    expect((await api(app, token).post('/bounce-mailbox/run')).body.data).toMatchObject({ read: 1, review: 1 });
    browser = await launchBrowser();
    page = browser.page;
    await logIn(page, baseUrl, ADMIN_EMAIL, PASSWORD);
    await dismissAnnouncements(page);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
    await imap?.close();
  });

  it('checks the connection, hides the password and lists the report it could not read', async () => {
    await page.goto(`${baseUrl}/admin/settings/campaigns`);
    await page.getByRole('heading', { name: 'Bounce mailbox' }).waitFor();

    await page.getByRole('button', { name: 'Verify the mailbox' }).click();
    await page.getByTestId('mailbox-verify-result').filter({ hasText: 'Connected' }).waitFor();
    expect(await page.getByLabel('IMAP password').inputValue()).toBe('********');
    const row = page.getByRole('row').filter({ hasText: 'the delivery status names no recipient' });
    await row.waitFor();
    expect(await row.innerText()).toContain('Undelivered Mail Returned to Sender');
  });

  it('asks for the password again when the port changes, and saves nothing', async () => {
    await page.goto(`${baseUrl}/admin/settings/campaigns`);
    await page.getByLabel('IMAP port').fill('1143');
    await page.getByRole('button', { name: 'Save' }).click();

    await page
      .getByText(/enter the password again: bounceMailbox\.port changed/)
      .first()
      .waitFor();
    expect((await api(app, token).get('/settings')).body.data.bounceMailbox.port).toBe(imap.port);
  });
});

// The sign-up form end to end (Chromium): the admin makes a list public with double opt-in, generates the form
// snippet in Settings, the snippet is served from a static page on another origin, a person signs up through it,
// the confirmation email arrives, and its link confirms the subscription.
import http from 'http';
import type { AddressInfo } from 'net';
import type { Page } from 'playwright-core';
import { UID } from '../../shared/constants';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { rawHeader } from '../helpers/campaigns';
import { dismissAnnouncements, launchBrowser, logIn, screenshot } from '../helpers/browser';

describe('the sign-up form', () => {
  let app: TestApp;
  let smtp: TestSmtpServer;
  let baseUrl: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let site: http.Server;
  let snippet = '';

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      serveAdmin: true,
      pluginConfig: {
        smtp: { host: smtp.host, port: smtp.port, pool: 1, threads: 0 },
        defaultFrom: { name: 'Acme News', email: 'news@acme.example.test' },
      },
    });
    await app.superAdminToken();
    const { port } = await app.listen();
    baseUrl = `http://127.0.0.1:${port}`;
    // Where people reach this Strapi: the snippet posts there and the confirmation link points there.
    app.strapi.config.set('plugin::campaigns.publicUrl', baseUrl);
    // A static site on another origin that only serves the page holding the snippet.
    site = http.createServer((_, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html><head><title>Acme</title></head><body><h1>Our newsletter</h1>${snippet}</body></html>`,
      );
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    browser = await launchBrowser();
    page = browser.page;
    await logIn(page, baseUrl, 'admin@campaigns.test', 'Campaigns-Test-1');
    await dismissAnnouncements(page);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await app?.destroy();
    await smtp?.close();
  });

  it('makes a list public with double opt-in from the list dialog', async () => {
    await page.goto(`${baseUrl}/admin/plugins/campaigns?tab=lists`);
    await page.getByRole('button', { name: 'Create list' }).click();
    const dialog = page.getByRole('dialog', { name: 'New list' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Weekly news');
    await dialog.getByRole('switch', { name: 'Offered on sign-up forms' }).click();
    await dialog.getByRole('switch', { name: 'Double opt-in' }).click();
    await dialog.getByRole('button', { name: 'Create list' }).click();
    const row = page.getByRole('row', { name: /Weekly news/ });
    await row.waitFor();
    await row.getByText('Double opt-in').waitFor();
    const list = await app.strapi.db.query(UID.list).findOne({ where: { name: 'Weekly news' } });
    expect(list).toMatchObject({ public: true, doubleOptIn: true });
  });

  it('generates the snippet, which signs a person up from another site; the emailed link confirms', async () => {
    await page.goto(`${baseUrl}/admin/settings/campaigns`);
    await page.getByRole('heading', { name: 'Sign-up form' }).waitFor();
    await page.getByRole('checkbox', { name: 'Weekly news' }).click();
    const html = page.getByTestId('signup-form-html');
    await page.waitForFunction(() => {
      const area = document.querySelector('[data-testid="signup-form-html"]') as HTMLTextAreaElement | null;
      return Boolean(area?.value.includes('name="lists"'));
    });
    snippet = await html.inputValue();
    await page.getByRole('heading', { name: 'Sign-up form' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'signup-form');
    expect(snippet).toContain(`action="${baseUrl}/api/campaigns/subscribe"`);

    const { port } = site.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByRole('textbox', { name: 'Email' }).fill('reader@example.test');
    await page.getByRole('textbox', { name: 'First name' }).fill('Rita');
    await page.getByRole('checkbox', { name: /I agree to receive these emails/ }).check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Thank you' }).waitFor();

    const contact = () =>
      app.strapi.db
        .query(UID.contact)
        .findOne({ where: { email: 'reader@example.test' }, populate: { lists: { select: ['name'] } } });
    expect(await contact()).toMatchObject({ status: 'unconfirmed', firstName: 'Rita', lists: [] });

    await smtp.waitFor(1, 15_000);
    const message = smtp.messages.find((m) => rawHeader(m, 'X-Campaigns-Confirmation') === '1')!;
    expect(message.envelopeTo).toEqual(['reader@example.test']);
    const link = /https?:\/\/\S+\/api\/campaigns\/confirm\/[A-Za-z0-9_-]+/.exec(message.text ?? '')![0];
    expect(link.startsWith(`${baseUrl}/api/campaigns/confirm/`)).toBe(true);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Confirm your subscription' }).waitFor();
    expect((await contact()).status).toBe('unconfirmed');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Your subscription is confirmed' }).waitFor();

    const confirmed = await contact();
    expect(confirmed.status).toBe('subscribed');
    expect(confirmed.lists.map((list: { name: string }) => list.name)).toEqual(['Weekly news']);
    const consents = await app.strapi.db
      .query(UID.consent)
      .findMany({ where: { contact: { id: confirmed.id } }, orderBy: { id: 'asc' } });
    expect(consents.map((consent: { action: string }) => consent.action)).toEqual(['subscribe', 'confirm']);
    expect(consents[0]).toMatchObject({
      source: 'Sign-up form',
      wording: 'I agree to receive these emails. I can unsubscribe at any time.',
      locale: 'en',
    });
  });
});

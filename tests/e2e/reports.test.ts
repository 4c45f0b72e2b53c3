// Hot clicks and reports in the real admin (Chromium): a delivery goes through a real SMTP server, real HTTP hits land
// on the tracking links of the received messages, then an admin reads the hot clicks of the message, builds a report
// by dragging a dimension and a metric (and from the keyboard), saves it, finds it again and exports it as CSV.
import fs from 'fs';
import type { Page } from 'playwright-core';
import { ACTIONS } from '../../shared/constants';
import { api, createContacts, createDelivery, createList, rawHeader, waitForStatus } from '../helpers/campaigns';
import { dismissAnnouncements, launchBrowser, logIn, screenshot } from '../helpers/browser';
import { startTestSmtpServer, type ParsedMessage, type TestSmtpServer } from '../helpers/smtp-server';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { UA } from '../helpers/fixtures';

const PASSWORD = 'Campaigns-Test-1';
const READERS = ['ada', 'grace', 'linus', 'margaret'];
const HTML = `<h1 style="font-family:sans-serif">Autumn sale</h1>
<p style="font-family:sans-serif">Everything must go, {{firstName}}.</p>
<p style="font-family:sans-serif"><a href="https://shop.example.com/sale">Shop the sale</a></p>
<p style="font-family:sans-serif"><a href="https://shop.example.com/stores">Find a store</a></p>`;
const TEXT = `Autumn sale

Shop the sale: https://shop.example.com/sale
Find a store: https://shop.example.com/stores`;

describe('hot clicks and reports in the admin', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let baseUrl: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let token: string;
  let deliveryId: string;
  let clickUrlsOf: (name: string) => string[];
  const pageErrors: string[] = [];

  const shot = (name: string) => screenshot(page, name);

  /** Polls a value until it equals the expected one (pages refresh by themselves), then asserts it. */
  const eventually = async <T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    while (Date.now() < deadline) {
      last = await read().catch(() => undefined);
      if (JSON.stringify(last) === JSON.stringify(expected)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(last).toEqual(expected);
  };

  /** A real hit on a tracking URL of a received message, sent to this Strapi whatever host the URL names. */
  const hit = async (url: string, userAgent = UA.chromeWindows) => {
    const res = await fetch(`${baseUrl}${new URL(url).pathname}`, {
      headers: { 'User-Agent': userAgent },
      redirect: 'manual',
    });
    await res.arrayBuffer();
    expect(res.status).toBe(302);
  };
  const clickUrls = (message: ParsedMessage) =>
    [...String(message.html).matchAll(/href="([^"]*\/api\/campaigns\/c\/[^"]+)"/g)].map((m) => m[1]);

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    // Clicks land seconds after sending here: nothing is a link scanner by timing alone.
    app = await bootTestApp({
      serveAdmin: true,
      pluginConfig: {
        smtp: { host: smtp.host, port: smtp.port, secure: false },
        tracking: { scannerWindowSeconds: 0 },
      },
    });
    token = await app.superAdminToken();
    const { port } = await app.listen();
    baseUrl = `http://127.0.0.1:${port}`;
    const list = await createList(app, token, 'Customers');
    await createContacts(
      app,
      token,
      READERS.map((name) => ({ email: `${name}@example.test`, firstName: name[0].toUpperCase() + name.slice(1) })),
      [list],
    );
    const delivery = await createDelivery(app, token, {
      name: 'Autumn sale',
      subject: 'Autumn sale',
      fromEmail: 'news@shop.example.com',
      html: HTML,
      text: TEXT,
      lists: [list],
    });
    deliveryId = delivery.documentId;
    expect((await api(app, token).post(`/deliveries/${deliveryId}/send`)).status).toBe(200);
    await waitForStatus(app, token, deliveryId, ['sent'], 60_000);
    await smtp.waitFor(READERS.length);

    // Link A (the sale): 3 clicks by 2 recipients; link B (stores): 1 click and a link scanner's. Total shares 75 % / 25 %,
    // unique 67 % / 33 %, with the bot 60 % / 40 %.
    const urls = new Map(
      smtp.messages
        .filter((m) => rawHeader(m, 'X-Campaigns-Delivery') === deliveryId)
        .map((m) => [m.envelopeTo[0], clickUrls(m)]),
    );
    const of = (name: string) => urls.get(`${name}@example.test`)!;
    clickUrlsOf = of;
    expect(of('ada')).toHaveLength(2);
    await hit(of('ada')[0]);
    await hit(of('ada')[0]);
    await hit(of('grace')[0]);
    await hit(of('linus')[1]);
    await hit(of('margaret')[1], UA.scanner);

    browser = await launchBrowser();
    page = browser.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await logIn(page, baseUrl, 'admin@campaigns.test', PASSWORD);
    await dismissAnnouncements(page);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
    await smtp?.close();
  });

  it('shows each link of the message with a badge of its share of the clicks, total or unique, with the counts on hover', async () => {
    await page.goto(`${baseUrl}/admin/plugins/campaigns/deliveries/${deliveryId}`);
    await page.getByRole('tab', { name: 'Hot clicks' }).click();
    const frame = page.frameLocator('iframe[title="Message with its hot clicks"]');
    const badges = frame.locator('.campaigns-heat');
    await badges.first().waitFor();
    expect(await badges.allInnerTexts()).toEqual(['75 %', '25 %']);
    expect(await badges.first().getAttribute('title')).toBe('3 clicks, 2 unique');
    // The sandbox keeps scripts and same-origin access out of the message.
    expect(await page.locator('iframe[title="Message with its hot clicks"]').getAttribute('sandbox')).toBe('');
    // Hot is red, cool is blue.
    expect(await badges.first().getAttribute('style')).toContain('hsl(0, 80%, 42%)');

    expect(await page.getByTestId('hot-clicks-total').innerText()).toBe('4 clicks in all');
    expect(await page.getByRole('row', { name: /Shop the sale/ }).innerText()).toMatch(
      /Shop the sale\s+https:\/\/shop\.example\.com\/sale\s+3\s+2\s+75 %/,
    );
    expect(await page.getByRole('row', { name: /Find a store/ }).innerText()).toMatch(
      /Find a store\s+https:\/\/shop\.example\.com\/stores\s+1\s+1\s+25 %/,
    );
    // The text part, with the share after each URL.
    expect(await page.getByTestId('hot-clicks-text').innerText()).toMatch(
      /https:\/\/shop\.example\.com\/sale\s*75 %[\s\S]*https:\/\/shop\.example\.com\/stores\s*25 %/,
    );

    await page.getByRole('switch', { name: 'Unique clicks' }).click();
    await page.getByTestId('hot-clicks-total').getByText('3 unique clicks in all').waitFor();
    await eventually(() => badges.allInnerTexts(), ['67 %', '33 %']);
    await page.getByRole('switch', { name: 'Unique clicks' }).click();
    await eventually(() => badges.allInnerTexts(), ['75 %', '25 %']);
    await page.getByRole('switch', { name: 'Include bots' }).click();
    await eventually(() => badges.allInnerTexts(), ['60 %', '40 %']);
    expect(await page.getByTestId('hot-clicks-total').innerText()).toBe('5 clicks in all');
    await page.getByRole('switch', { name: 'Include bots' }).click();
    await eventually(() => badges.allInnerTexts(), ['75 %', '25 %']);
    await shot('hot-clicks');
  });

  it('builds a report by dragging a dimension and a metric onto the zones, draws it, saves it and exports it as CSV', async () => {
    await page.goto(`${baseUrl}/admin/plugins/campaigns`);
    await page.getByRole('button', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Delivery summary', exact: true }).waitFor();
    await page.getByRole('button', { name: 'New report' }).first().click();
    await page.getByRole('heading', { name: 'New report', level: 1 }).waitFor();

    await page.dragAndDrop('[data-testid="palette-link"]', '[data-testid="zone-rows"]');
    await page.getByTestId('zone-rows-link').waitFor();
    await page.dragAndDrop('[data-testid="palette-clicks"]', '[data-testid="zone-metrics"]');
    await page.getByTestId('zone-metrics-clicks').waitFor();
    // A metric dropped on rows is refused.
    await page.dragAndDrop('[data-testid="palette-opens"]', '[data-testid="zone-rows"]');
    expect(await page.getByTestId('zone-rows-opens').count()).toBe(0);

    await page.getByRole('img', { name: 'New report' }).locator('canvas').waitFor();
    expect(await page.getByTestId('report-total-clicks').innerText()).toMatch(/Clicks\W+4/i);

    await page.getByRole('button', { name: 'Save as…' }).click();
    await page.getByLabel('Report name').fill('Clicks by link');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Clicks by link', level: 1 }).waitFor();
    expect(page.url()).toMatch(/\/reports\/[a-z0-9]+$/);
    await page.getByRole('img', { name: 'Clicks by link' }).locator('canvas').waitFor();
    await shot('report-builder');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Clicks-by-link.csv');
    const lines = fs
      .readFileSync(await download.path(), 'utf8')
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('Link,Clicks');
    expect(lines).toContain('Shop the sale (https://shop.example.com/sale),3');
    expect(lines).toContain('Find a store (https://shop.example.com/stores),1');
    expect(lines[lines.length - 1]).toBe('Total,4');

    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export PNG' }).click(),
    ]);
    expect(png.suggestedFilename()).toBe('Clicks-by-link.png');
    expect(
      fs
        .readFileSync(await png.path())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');

    // Saved for real: the list shows it after a reload, and the API has its definition.
    await page.goto(`${baseUrl}/admin/plugins/campaigns/reports`);
    await page.reload();
    await page.getByTestId('own-reports').getByRole('link', { name: 'Clicks by link', exact: true }).waitFor();
    const saved = (await api(app, token).get('/reports')).body.data.find((r: any) => r.name === 'Clicks by link');
    expect(saved.definition.query).toMatchObject({ dimensions: ['link'], metrics: ['clicks'] });
    await shot('reports');
  });

  it('runs the built-in reports (a table of deliveries, KPI cards), which can be saved as a copy but not renamed or deleted', async () => {
    await page.getByTestId('built-in-reports').getByRole('link', { name: 'Delivery summary', exact: true }).click();
    await page.getByRole('heading', { name: 'Delivery summary', level: 1 }).waitFor();
    const row = page.getByTestId('report-table').getByRole('row', { name: /Autumn sale/ });
    await row.waitFor();
    // Targeted, processed, delivered, bounces, unique opens (the 3 clickers), unique clicks.
    expect(await row.innerText()).toMatch(/^Autumn sale\s+4\s+4\s+4\s+0\s+3\s+3\s/);
    expect(await page.getByRole('button', { name: 'Rename' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Save as…' }).waitFor();
    // A table has no chart canvas: its PNG is the table drawn onto one.
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export PNG' }).click(),
    ]);
    expect(png.suggestedFilename()).toBe('Delivery-summary.png');
    expect(
      fs
        .readFileSync(await png.path())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');

    await page.goto(`${baseUrl}/admin/plugins/campaigns/reports`);
    await page.getByTestId('built-in-reports').getByRole('link', { name: 'Tracking indicators', exact: true }).click();
    await page.getByRole('heading', { name: 'Tracking indicators', level: 1 }).waitFor();
    await eventually(
      async () => (await page.getByTestId('report-total-clicks').innerText()).replace(/\s+/g, ' '),
      'CLICKS 4',
    );
    expect(await page.getByTestId('report-total-uniqueClicks').innerText()).toMatch(/^Unique clicks\W+3$/i);
    // Compared with the 30 days before, when nothing was sent.
    await page.getByRole('switch', { name: 'Compare with the previous period' }).click();
    await eventually(
      async () => (await page.getByTestId('report-total-clicks').innerText()).replace(/\s+/g, ' '),
      'CLICKS 4 Previous period: 0',
    );
  });

  it('emails a report on a schedule: saved with its recipients, sent now, its history shown', async () => {
    await page.goto(`${baseUrl}/admin/plugins/campaigns/reports`);
    await page.getByTestId('built-in-reports').getByRole('link', { name: 'Delivery summary', exact: true }).click();
    await page.getByRole('heading', { name: 'Delivery summary', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Email…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('This report is not emailed yet.').waitFor();
    await dialog.getByLabel('Recipients').fill('boss@acme.example.test, analyst@');
    await dialog.getByText('each recipient must be an email address').waitFor();
    await dialog.getByLabel('Recipients').fill('boss@acme.example.test, analyst@acme.example.test');
    await dialog.getByRole('button', { name: 'Save schedule' }).click();
    await dialog.getByTestId('schedule-next').waitFor();
    const received = smtp.messages.length;

    await dialog.getByRole('button', { name: 'Send now' }).click();
    await dialog.getByText('2 sent, 0 failed').waitFor();
    await shot('report-schedule');
    await smtp.waitFor(received + 2, 10_000);
    const mail = smtp.messages[smtp.messages.length - 1];
    expect(mail.subject).toMatch(/^Delivery summary: /);
    expect(mail.text).toMatch(/Autumn sale \| 4 \| 4 \| 4 \| 0 \| 3 \| 3/);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['Delivery-summary-report.csv']);
    const schedule = (await api(app, token).get(`/reports/${page.url().split('/').pop()}/schedule`)).body.data;
    expect(schedule).toMatchObject({ frequency: 'weekly', weekday: 1, hour: 8 });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('adds, moves and removes dimensions from the keyboard alone', async () => {
    await page.goto(`${baseUrl}/admin/plugins/campaigns/reports/new`);
    await page.getByTestId('report-palette').waitFor();
    const addVia = async (name: string, zone: string) => {
      await page.getByRole('button', { name: `Add ${name} to…` }).focus();
      await page.keyboard.press('Enter');
      const item = page.getByRole('menuitem', { name: zone, exact: true });
      await item.waitFor();
      // Walk down the menu to the zone's item, then choose it.
      const focused = () => item.evaluate((el) => el === (globalThis as any).document.activeElement);
      for (let i = 0; i < 4 && !(await focused()); i += 1) await page.keyboard.press('ArrowDown');
      expect(await focused()).toBe(true);
      await page.keyboard.press('Enter');
    };
    await addVia('Day', 'Rows');
    await page.getByTestId('zone-rows-day').waitFor();
    await addVia('Device', 'Rows');
    await page.getByTestId('zone-rows-device').waitFor();
    await addVia('Recipient domain', 'Filters');
    await page.getByTestId('zone-filters-domain').waitFor();

    await page.getByRole('button', { name: 'Move Device earlier' }).focus();
    await page.keyboard.press('Enter');
    const rowOrder = () =>
      page
        .getByTestId('zone-rows')
        .locator('[data-testid^="zone-rows-"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    await eventually(rowOrder, ['zone-rows-device', 'zone-rows-day']);
    await page.getByRole('button', { name: 'Remove Day from Rows' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('zone-rows-day').waitFor({ state: 'detached' });
  });

  it('refreshes an open report by itself as new clicks arrive', async () => {
    const saved = (await api(app, token).get('/reports')).body.data.find((r: any) => r.name === 'Clicks by link');
    await page.goto(`${baseUrl}/admin/plugins/campaigns/reports/${saved.documentId}`);
    const total = async () => (await page.getByTestId('report-total-clicks').innerText()).replace(/\s+/g, ' ');
    await eventually(total, 'CLICKS 4');
    await hit(clickUrlsOf('margaret')[1]);
    await eventually(total, 'CLICKS 5', 25_000);
  });

  it('hides the reports from an admin without the reports permission', async () => {
    await app.adminTokenWith([ACTIONS.read]);
    const reader = await launchBrowser();
    try {
      await logIn(reader.page, baseUrl, 'editor1@campaigns.test', PASSWORD);
      await reader.page.goto(`${baseUrl}/admin/plugins/campaigns`);
      await reader.page.getByRole('button', { name: 'Live monitoring' }).waitFor();
      expect(await reader.page.getByRole('button', { name: 'Reports' }).count()).toBe(0);
      await reader.page.goto(`${baseUrl}/admin/plugins/campaigns/reports`);
      await reader.page.getByText(/don't have the permissions/i).waitFor();
      expect(await reader.page.getByRole('button', { name: 'New report' }).count()).toBe(0);
    } finally {
      await reader.close();
    }
  });

  it('raised no error in the browser', () => {
    expect(pageErrors).toEqual([]);
  });
});

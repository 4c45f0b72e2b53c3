// A blocks newsletter as a reader's client shows it: sent through a real SMTP server, the received HTML opened in
// Chromium at a phone's width and a desktop's, in light and dark mode. No horizontal scroll anywhere; columns side by
// side on a desktop and stacked on a phone; the layout's dark colours when the reader's system is dark.
import type { Page } from 'playwright-core';
import { DEFAULT_LAYOUT_STYLE } from '../../shared/layouts';
import type { ContentBlock } from '../../shared/blocks';
import { api, createContacts, createDelivery, createList, waitForStatus } from '../helpers/campaigns';
import { launchBrowser, screenshot } from '../helpers/browser';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { solidPng } from '../../playground/src/solid-png';

const paragraph = (text: string) => [{ type: 'paragraph' as const, children: [{ type: 'text' as const, text }] }];
const column = (n: number): ContentBlock[] => [
  {
    id: `pic${n}`,
    type: 'image',
    media: { url: `/uploads/product-${n}.png`, width: 800, height: 800 },
    alt: `Product ${n}`,
    href: `https://shop.example.test/p/${n}`,
    width: null,
    align: 'center',
  },
  {
    id: `txt${n}`,
    type: 'text',
    content: paragraph(`Product ${n}: a long description that wraps over several lines.`),
  },
];
const BLOCKS: ContentBlock[] = [
  { id: 'title', type: 'heading', text: 'New in the shop', level: 1, align: 'left' },
  { id: 'cols', type: 'columns', columns: [column(1), column(2)] },
  {
    id: 'cta',
    type: 'button',
    label: 'See everything',
    url: 'https://shop.example.test/',
    backgroundColor: '#0c75af',
    textColor: '#ffffff',
    align: 'center',
  },
];

describe('a received blocks newsletter in a browser', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let html: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: { publicUrl: 'https://news.example.test', smtp: { host: smtp.host, port: smtp.port } },
    });
    const token = await app.superAdminToken();
    const [layout] = (await api(app, token).get('/layouts')).body.data;
    await api(app, token).put(`/layouts/${layout.documentId}`, { postalAddress: 'Acme, 1 Main Street, Springfield' });
    const list = await createList(app, token, 'Shoppers');
    await createContacts(app, token, [{ email: 'reader@example.test', firstName: 'Rea' }], [list]);
    const delivery = await createDelivery(app, token, {
      fromEmail: 'shop@example.test',
      contentMode: 'blocks',
      content: { version: 1, blocks: BLOCKS },
      layout: layout.documentId,
      lists: [list],
    });
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, delivery.documentId, ['sent']);
    await smtp.waitFor(1);
    html = smtp.messages[0].html as string;
    browser = await launchBrowser();
    page = browser.page;
    // The message's pictures point at example.test: they are answered here, and nothing leaves this machine.
    await page.route('**/*', (route) =>
      /\/uploads\/product-\d\.png$/.test(route.request().url())
        ? route.fulfill({
            contentType: 'image/png',
            body: solidPng(400, 400, route.request().url().includes('-1.') ? '#f2b880' : '#8fc1e3'),
          })
        : route.abort(),
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
    await smtp?.close();
  });

  const open = async (width: number, colorScheme: 'light' | 'dark' = 'light') => {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme });
    await page.setContent(html, { waitUntil: 'load' });
    return page.evaluate(() => {
      const columns = [...document.querySelectorAll('.mj-column-per-50')].map((el) => el.getBoundingClientRect());
      return {
        scrollWidth: document.documentElement.scrollWidth,
        columns: columns.map((rect) => ({ top: Math.round(rect.top), left: Math.round(rect.left), width: rect.width })),
        pictures: [...document.querySelectorAll('img[alt^="Product"]')].map((img) => img.getBoundingClientRect().width),
        background: getComputedStyle(document.body).backgroundColor,
      };
    });
  };

  const shot = (name: string) => screenshot(page, name, { fullPage: true });

  it('fits a 375 px phone without horizontal scroll, its columns stacked full width', async () => {
    const phone = await open(375);
    await shot('email-phone');
    expect(phone.scrollWidth).toBeLessThanOrEqual(375);
    expect(phone.columns).toHaveLength(2);
    expect(phone.columns[1].top).toBeGreaterThan(phone.columns[0].top);
    expect(phone.columns[0].left).toBe(phone.columns[1].left);
    expect(phone.columns[0].width).toBeGreaterThan(300);
    // The pictures of the columns fill the phone's width (less the padding) instead of staying half-width.
    for (const width of phone.pictures) expect(width).toBeGreaterThan(300);
  });

  it('sets the columns side by side at 1024 px, without horizontal scroll', async () => {
    const desktop = await open(1024);
    await shot('email-desktop');
    expect(desktop.scrollWidth).toBeLessThanOrEqual(1024);
    expect(desktop.columns[0].top).toBe(desktop.columns[1].top);
    expect(desktop.columns[1].left).toBeGreaterThan(desktop.columns[0].left);
    expect(desktop.columns[0].width).toBeLessThanOrEqual(DEFAULT_LAYOUT_STYLE.width / 2);
  });

  it("takes the layout's dark colours when the reader's system is dark", async () => {
    const hex = (rgb: string) =>
      `#${(rgb.match(/\d+/g) ?? [])
        .slice(0, 3)
        .map((n) => Number(n).toString(16).padStart(2, '0'))
        .join('')}`;
    expect(hex((await open(1024, 'light')).background)).toBe(DEFAULT_LAYOUT_STYLE.backgroundColor);
    expect(hex((await open(1024, 'dark')).background)).toBe(DEFAULT_LAYOUT_STYLE.dark.backgroundColor);
  });
});

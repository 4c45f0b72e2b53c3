// Strapi entries sent from the Content Manager (Chromium): on an article's edit view, "Send as newsletter" opens a
// new draft in the delivery editor and the panel lists it; on the list view, "Make a digest" turns the selected
// articles into one; in Settings, an admin maps the Article type's newsletter shape.
import type { Page } from 'playwright-core';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { dismissAnnouncements, launchBrowser, logIn, screenshot } from '../helpers/browser';
import { ensureArticles } from '../../playground/src/demo-articles';

const ARTICLE = 'api::article.article';

describe('sending Strapi entries from the Content Manager', () => {
  let app: TestApp;
  let baseUrl: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let articles: Array<{ documentId: string; title: string }>;

  beforeAll(async () => {
    app = await bootTestApp({ serveAdmin: true });
    await app.superAdminToken();
    await ensureArticles(app.strapi);
    articles = (await app.strapi
      .documents(ARTICLE)
      .findMany({ sort: 'id:asc', status: 'published' } as never)) as never;
    const { port } = await app.listen();
    baseUrl = `http://127.0.0.1:${port}`;
    browser = await launchBrowser();
    page = browser.page;
    await logIn(page, baseUrl, 'admin@campaigns.test', 'Campaigns-Test-1');
    await dismissAnnouncements(page);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
  });

  const shot = (name: string) => screenshot(page, name);
  const deliveryOf = (url: string) =>
    app.strapi.documents('plugin::campaigns.delivery').findOne({
      documentId: url.match(/deliveries\/([a-z0-9]+)\/edit/)![1],
    }) as unknown as Promise<{
      name: string;
      sourceEntry: unknown;
      content: { blocks: Array<{ type: string; documentId?: string }> };
    }>;

  it('sends an article as a newsletter from its edit view, and lists it there afterwards', async () => {
    const [first] = articles;
    const editView = `${baseUrl}/admin/content-manager/collection-types/${ARTICLE}/${first.documentId}`;
    await page.goto(editView);
    await page.getByText('Sent from this entry').waitFor();
    // The panel loads the entry's deliveries after its title shows.
    await page.getByText('Nothing yet.').waitFor();
    await shot('content-manager-panel');
    await page.getByRole('button', { name: 'Send as newsletter' }).click();
    await page.waitForURL(/\/plugins\/campaigns\/deliveries\/[a-z0-9]+\/edit$/);
    const delivery = await deliveryOf(page.url());
    expect(delivery).toMatchObject({
      name: first.title,
      sourceEntry: { contentType: ARTICLE, documentId: first.documentId },
    });
    expect(delivery.content.blocks.map((block) => block.type)).toEqual(['heading', 'image', 'text', 'button']);

    await page.goto(editView);
    await page.getByRole('link', { name: first.title }).waitFor();
    expect(await page.getByText(/draft: opened 0 %, clicked 0 %/).isVisible()).toBe(true);
  });

  it('makes a digest of the selected articles from the list view', async () => {
    await page.goto(`${baseUrl}/admin/content-manager/collection-types/${ARTICLE}`);
    // The first checkbox selects every row; the next ones are the articles'.
    const boxes = page.getByRole('checkbox');
    await boxes.nth(2).waitFor();
    // The Content Manager's first-visit tour sits over the list until it is skipped.
    const skipTour = page.getByRole('button', { name: 'Skip' });
    if (await skipTour.isVisible()) await skipTour.click();
    // The list can render again once its last requests answer, which drops a selection made before (all of it, or the
    // first box only): wait for them, and select again (from nothing) until both boxes read as checked with the bulk
    // actions shown. check() waits until each box reads as checked.
    await page.waitForLoadState('networkidle');
    const makeDigest = page.getByRole('button', { name: 'Make a digest' });
    const bothSelected = async () =>
      (await boxes.nth(1).isChecked()) && (await boxes.nth(2).isChecked()) && (await makeDigest.isVisible());
    for (let attempt = 0; attempt < 3 && !(await bothSelected()); attempt++) {
      // The tour's step can move while it opens: a click that does not land closes it with Escape instead.
      if (await skipTour.isVisible())
        await skipTour.click({ timeout: 3_000 }).catch(() => page.keyboard.press('Escape'));
      if (attempt > 0) for (const row of [1, 2]) await boxes.nth(row).uncheck();
      await boxes.nth(1).check();
      await boxes.nth(2).check();
      await makeDigest.waitFor({ timeout: 5_000 }).catch(() => undefined);
      await page.waitForLoadState('networkidle');
    }
    expect(await bothSelected()).toBe(true);
    await makeDigest.click();
    await page.waitForURL(/\/plugins\/campaigns\/deliveries\/[a-z0-9]+\/edit$/);
    const digest = await deliveryOf(page.url());
    const cards = digest.content.blocks.filter((block) => block.type === 'entry-card');
    expect(cards).toHaveLength(2);
    for (const card of cards) expect(articles.map((a) => a.documentId)).toContain(card.documentId);
  });

  it("maps the Article type's newsletter shape in Settings", async () => {
    await page.goto(`${baseUrl}/admin/settings/campaigns/entry-shapes`);
    const article = page.getByRole('region', { name: 'Article' });
    await article.getByRole('heading', { name: 'Article' }).waitFor();
    expect(await article.getByText('Guessed from the field names').isVisible()).toBe(true);
    // The Page type is localized: each of the app's locales can have its own public page.
    const pages = page.getByRole('region', { name: 'Page' });
    await pages
      .getByRole('textbox', { name: 'Public page of an entry in English (en)' })
      .fill('https://site.test/en/{slug}');
    await pages.getByRole('button', { name: 'Save Page' }).click();
    await pages.getByText('Mapped').waitFor();
    const url = article.getByRole('textbox', { name: 'Public page of an entry', exact: true });
    await url.fill('not a url');
    await page.getByText(/the URL pattern is an absolute http\(s\) URL/).waitFor();
    await url.fill('https://blog.example.test/{slug}');
    await page.getByRole('button', { name: 'Save Article' }).click();
    await page.getByText('Newsletter shape saved').first().waitFor();
    await article.getByText('Mapped').waitFor();
    await page.reload();
    await article.getByText('Mapped').waitFor();
    await expect(
      article.getByRole('textbox', { name: 'Public page of an entry', exact: true }).inputValue(),
    ).resolves.toBe('https://blog.example.test/{slug}');
    await expect(
      pages.getByRole('textbox', { name: 'Public page of an entry in English (en)' }).inputValue(),
    ).resolves.toBe('https://site.test/en/{slug}');
    await shot('entry-shapes');
  });
});

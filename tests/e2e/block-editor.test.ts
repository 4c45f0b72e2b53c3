// The block editor in the real admin (Chromium): an editor writes a newsletter without any HTML (heading, text with a
// link, button), reorders blocks from the keyboard, previews it at a phone's width, sees it saved by itself and the
// same after a reload, undoes a change, sends a test received through a real SMTP server, and is asked before
// leaving with unsaved changes.
import type { Page } from 'playwright-core';
import { api, createContacts, createList } from '../helpers/campaigns';
import { dismissAnnouncements, launchBrowser, logIn, screenshot } from '../helpers/browser';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { ensureArticles } from '../../playground/src/demo-articles';

describe('the block editor', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let baseUrl: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let token: string;
  let deliveryId: string;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      serveAdmin: true,
      pluginConfig: { smtp: { host: smtp.host, port: smtp.port }, defaultFrom: { email: 'news@example.test' } },
    });
    token = await app.superAdminToken();
    const [layout] = (await api(app, token).get('/layouts')).body.data;
    await api(app, token).put(`/layouts/${layout.documentId}`, { postalAddress: 'Acme, 1 Main Street' });
    await ensureArticles(app.strapi);
    const list = await createList(app, token, 'Readers');
    await createContacts(app, token, [{ email: 'ann@example.test', firstName: 'Ann' }], [list]);
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
    await smtp?.close();
  });

  const shot = (name: string) => screenshot(page, name);
  const addBlock = async (kind: string) => {
    await page.getByRole('button', { name: 'Add a block' }).first().click();
    await page.getByRole('menuitem', { name: kind, exact: true }).click();
  };
  const retry = async (step: () => Promise<void>, times = 3) => {
    for (let i = 1; ; i++) {
      try {
        return await step();
      } catch (error) {
        if (i === times) throw error;
      }
    }
  };
  const settings = () => page.getByRole('region', { name: /^Settings of the/ });
  const stored = async () =>
    (await api(app, token).get(`/deliveries/${deliveryId}`)).body.data as {
      content: { blocks: Array<{ type: string; text?: string; label?: string; url?: string }> };
    };

  it('writes a newsletter from blocks, without HTML, and saves it', async () => {
    await page.goto(`${baseUrl}/admin/plugins/campaigns/deliveries/new`);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Spring letter');
    await page.getByRole('textbox', { name: 'Subject', exact: true }).fill('Spring for {{firstName}}');
    await page.getByText('Readers (1 subscribed contact)').click();

    await addBlock('Heading');
    await settings().getByRole('textbox', { name: 'Heading', exact: true }).fill('Hello {{firstName}}');
    await addBlock('Text');
    const text = settings().locator('.ProseMirror');
    await text.click();
    await page.keyboard.type('Our garden opens on Monday.');
    await addBlock('Button');
    await settings().getByRole('textbox', { name: 'Label', exact: true }).fill('Visit us');
    await settings().getByRole('textbox', { name: 'Link', exact: true }).fill('https://garden.example.test/');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/deliveries\/[a-z0-9]+\/edit$/);
    deliveryId = page.url().match(/deliveries\/([a-z0-9]+)\/edit/)![1];
    const { content } = await stored();
    expect(content.blocks.map((block) => block.type)).toEqual(['heading', 'text', 'button']);
    expect(content.blocks[2]).toMatchObject({ label: 'Visit us', url: 'https://garden.example.test/' });
  });

  it('reorders from the keyboard, previews on a phone, and saves by itself', async () => {
    // The button moves above the text with the keyboard: its drag handle takes Space, an arrow key, Space. Each key
    // waits for dnd-kit to answer the one before (the handle pressed, then its live region's announcement). The
    // page may still be re-rendering the list it loaded after the first save: a key that found no drag is repeated.
    const handle = page.getByRole('button', { name: /^Drag Button: Visit us/ });
    const announced = (text: string) =>
      page.locator('[id^="DndLiveRegion"]').filter({ hasText: text }).waitFor({ timeout: 3_000 });
    await handle.waitFor();
    const [, textId] = await page
      .locator('[data-block-id]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-block-id')));
    expect(textId).toBeTruthy();
    const dragging = page.locator('button[aria-pressed="true"][aria-roledescription="sortable"]');
    await retry(async () => {
      if (!(await dragging.count())) {
        await handle.focus();
        await page.keyboard.press('Space');
      }
      await dragging.waitFor({ timeout: 3_000 });
    });
    await retry(async () => {
      await page.keyboard.press('ArrowUp');
      await announced(`was moved over droppable area ${textId}.`);
    });
    await page.keyboard.press('Space');
    await announced(`was dropped over droppable area ${textId}`);
    const state = page.getByTestId('save-state');
    await state.filter({ hasText: 'Unsaved changes' }).waitFor();
    await state.filter({ hasText: /^Saved$/ }).waitFor({ timeout: 15_000 });
    expect((await stored()).content.blocks.map((block) => block.type)).toEqual(['heading', 'button', 'text']);

    const frame = page.locator('iframe[title="Message preview"]');
    await page.waitForFunction(() =>
      document.querySelector('iframe[title="Message preview"]')?.getAttribute('srcdoc')?.includes('Hello Ann'),
    );
    await page.getByRole('tab', { name: 'Phone' }).click();
    expect(await frame.evaluate((el) => el.getBoundingClientRect().width)).toBe(375);
    await page.getByRole('heading', { name: 'Content', exact: true }).scrollIntoViewIfNeeded();
    await page
      .getByRole('button', { name: /^Button\s/ })
      .first()
      .click();
    await shot('block-editor');

    await page.reload();
    await page.getByRole('button', { name: /^Drag Heading: Hello/ }).waitFor();
    const order = await page.locator('[data-block-id]').evaluateAll((rows) => rows.map((row) => row.textContent ?? ''));
    expect(order.map((row) => row.split(/\s/)[0])).toEqual(['Heading', 'Button', 'Text']);
  });

  it('links a word of the text, takes a picture from the Media Library and shows an article as a card', async () => {
    await page
      .getByRole('button', { name: /^Text\s/ })
      .first()
      .click();
    const text = settings().locator('.ProseMirror');
    await text.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Directions here.');
    for (let i = 0; i < 'here.'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
    page.once('dialog', (dialog) => void dialog.accept('https://maps.example.test/garden'));
    await settings().getByRole('button', { name: 'Link', exact: true }).click();

    await addBlock('Picture');
    await settings().getByRole('button', { name: 'Choose from the Media Library' }).click();
    const library = page.getByRole('dialog');
    await library.getByRole('checkbox').first().waitFor();
    await library.getByRole('checkbox').first().check();
    await library.getByRole('button', { name: 'Finish' }).click();
    await settings().getByRole('textbox', { name: 'Alternative text' }).fill('The garden in June');

    await addBlock('Entry card');
    await settings().getByRole('combobox', { name: 'Collection type' }).click();
    await page.getByRole('option', { name: 'Article' }).click();
    const entry = settings().getByRole('combobox', { name: 'Entry' });
    await entry.click();
    await page.keyboard.type('river');
    await page.getByRole('option', { name: 'A walk along the river' }).click();

    await page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved$/ })
      .waitFor({ timeout: 15_000 });
    const { content } = await stored();
    const [, , textBlock, picture, card] = content.blocks as Array<Record<string, unknown>>;
    expect(JSON.stringify(textBlock)).toContain('"url":"https://maps.example.test/garden"');
    expect(picture).toMatchObject({
      type: 'image',
      alt: 'The garden in June',
      media: { url: expect.stringMatching(/^\/uploads\//) },
    });
    expect(card).toMatchObject({ type: 'entry-card', contentType: 'api::article.article' });
    await page.waitForFunction(() =>
      document
        .querySelector('iframe[title="Message preview"]')
        ?.getAttribute('srcdoc')
        ?.includes('A walk along the river'),
    );
  });

  it('undoes a change, sends a test through the tracking links, and asks before leaving unsaved changes', async () => {
    await page.getByRole('button', { name: /^Delete Text/ }).click();
    expect(await page.locator('[data-block-id]').count()).toBe(4);
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await page.locator('[data-block-id]').count()).toBe(5);

    const before = smtp.messages.length;
    await page.getByRole('button', { name: 'Send a test' }).click();
    await page.getByRole('button', { name: 'Send test' }).click();
    await smtp.waitFor(before + 1, 15_000);
    const proof = smtp.messages[before];
    expect(proof.envelopeTo).toEqual(['admin@campaigns.test']);
    expect(proof.subject).toBe('[Test] Spring for Ann');
    expect(proof.html).toContain('Visit us');
    expect(proof.html).toMatch(/href="[^"]*\/api\/campaigns\/c\//);
    await page.keyboard.press('Escape');

    await page.getByRole('textbox', { name: 'Subject', exact: true }).fill('Changed, not saved');
    await page.getByRole('link', { name: 'Back' }).click();
    await page.getByText('Leave without saving?').waitFor();
    await page.getByRole('button', { name: 'Stay and keep editing' }).click();
    expect(page.url()).toContain(`/deliveries/${deliveryId}/edit`);
  });
});

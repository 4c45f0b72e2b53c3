// Strapi entries as newsletters: the app's Article type guessed into a newsletter shape (and mapped by an admin),
// entries picked, "Send as newsletter" (whole or as a card) and a digest, sent through a real SMTP server; clicks on
// an entry's links counted against the entry, and the deliveries made from an entry listed with their rates.
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type ParsedMessage, type TestSmtpServer } from '../helpers/smtp-server';
import { api, createContacts, createList, waitForStatus } from '../helpers/campaigns';
import { UA } from '../helpers/fixtures';
import type { ContentBlock } from '../../shared/blocks';

const PUBLIC_URL = 'https://news.example.test';
const ARTICLE = 'api::article.article';
const TYPE = encodeURIComponent(ARTICLE);
const SCRIPT = '<script>alert(1)</script>';

const paragraph = (text: string, link?: string) => ({
  type: 'paragraph',
  children: link
    ? [
        { type: 'text', text: `${text} ` },
        { type: 'link', url: link, children: [{ type: 'text', text: 'the map' }] },
      ]
    : [{ type: 'text', text }],
});
const hrefs = (message: ParsedMessage) =>
  [...(message.html as string).matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));

describe('Strapi entries as newsletters', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let list: string;
  const ids: Record<string, string> = {};

  const article = async (key: string, data: Record<string, unknown>, publish = true) => {
    const created = await app.strapi
      .documents(ARTICLE)
      .create({ data, ...(publish ? { status: 'published' } : {}) } as never);
    ids[key] = (created as { documentId: string }).documentId;
  };

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: {
        publicUrl: PUBLIC_URL,
        smtp: { host: smtp.host, port: smtp.port },
        tracking: { scannerWindowSeconds: 0 },
      },
    });
    token = await app.superAdminToken();
    const [layout] = (await api(app, token).get('/layouts')).body.data;
    await api(app, token).put(`/layouts/${layout.documentId}`, { postalAddress: 'Acme, 1 Main Street' });
    const cover = await app.strapi.db.query('plugin::upload.file').create({
      data: {
        name: 'garden',
        hash: 'garden',
        ext: '.jpg',
        mime: 'image/jpeg',
        size: 120,
        url: '/uploads/garden.jpg',
        provider: 'local',
        alternativeText: 'Roses in June',
      },
    });
    await article('garden', {
      title: 'The garden opens',
      slug: 'the-garden-opens',
      excerpt: 'Everything about the summer garden.',
      category: 'news',
      cover: cover.id,
      body: [
        { type: 'heading', level: 2, children: [{ type: 'text', text: 'Opening hours' }] },
        paragraph('Find your way with', 'https://maps.example.test/garden'),
        {
          type: 'list',
          format: 'unordered',
          children: [{ type: 'list-item', children: [{ type: 'text', text: 'Roses' }] }],
        },
      ],
    });
    await article('script', {
      title: SCRIPT,
      slug: 'script',
      excerpt: 'Tricky',
      category: 'news',
      body: [paragraph('x')],
    });
    await article('recipe', {
      title: 'A summer recipe',
      slug: 'summer-recipe',
      excerpt: 'Cold soup.',
      category: 'food',
      body: [paragraph('Soup')],
    });
    await article('draft', { title: 'Not yet', slug: 'not-yet', body: [paragraph('Soon')] }, false);
    list = await createList(app, token, 'Readers');
    await createContacts(app, token, [{ email: 'ann@example.test', firstName: 'Ann' }], [list]);
  }, 120_000);

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it("guesses the Article type's shape from its field names", async () => {
    const res = await api(app, token).get('/entry-types');
    expect(res.status).toBe(200);
    const type = res.body.data.find((t: { uid: string }) => t.uid === ARTICLE);
    expect(type).toMatchObject({
      displayName: 'Article',
      draftAndPublish: true,
      shapeSaved: false,
      shape: {
        contentType: ARTICLE,
        titleField: 'title',
        bodyField: 'body',
        excerptField: 'excerpt',
        imageField: 'cover',
        urlPattern: `${PUBLIC_URL}/articles/{slug}`,
      },
    });
    expect(type.fields).toEqual(
      expect.arrayContaining([
        { name: 'body', type: 'blocks' },
        { name: 'cover', type: 'media' },
      ]),
    );
  });

  it('refuses a shape that names a missing field or one of the wrong kind, saying which, and saves a good one', async () => {
    const shape = { titleField: 'title', bodyField: 'body', excerptField: 'excerpt', imageField: 'cover' };
    const wrongKind = await api(app, token).put(`/entry-types/${TYPE}/shape`, {
      ...shape,
      imageField: 'title',
      urlPattern: 'https://blog.example.test/{slug}',
    });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.error.message).toContain('image: "title" is a string field');
    const missing = await api(app, token).put(`/entry-types/${TYPE}/shape`, {
      ...shape,
      urlPattern: 'https://blog.example.test/{permalink}',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('URL pattern: "Article" has no field "permalink"');
    const saved = await api(app, token).put(`/entry-types/${TYPE}/shape`, {
      ...shape,
      urlPattern: 'https://blog.example.test/articles/{slug}',
    });
    expect(saved.status).toBe(200);
    const type = (await api(app, token).get('/entry-types')).body.data.find((t: { uid: string }) => t.uid === ARTICLE);
    expect(type).toMatchObject({
      shapeSaved: true,
      shape: { urlPattern: 'https://blog.example.test/articles/{slug}' },
    });
  });

  it('lists published entries with search, each read through the shape (absolute picture, filled URL, plain title)', async () => {
    const page = (await api(app, token).get(`/entries/${TYPE}?search=garden`)).body;
    expect(page.meta.pagination.total).toBe(1);
    expect(page.data[0]).toMatchObject({
      documentId: ids.garden,
      title: 'The garden opens',
      excerpt: 'Everything about the summer garden.',
      imageUrl: `${PUBLIC_URL}/uploads/garden.jpg`,
      imageAlt: 'Roses in June',
      url: 'https://blog.example.test/articles/the-garden-opens',
    });
    const all = (await api(app, token).get(`/entries/${TYPE}`)).body;
    expect(all.meta.pagination.total).toBe(3); // the draft is not published
    const tricky = (await api(app, token).get(`/entries/${TYPE}/${ids.script}`)).body.data;
    expect(tricky.title).toBe(SCRIPT);
    expect((await api(app, token).get(`/entries/${TYPE}/${ids.draft}`)).status).toBe(404);
    expect((await api(app, token).get(`/entries/${encodeURIComponent('api::nothing.nothing')}`)).status).toBe(404);
    expect((await api(app, token).get(`/entries/${encodeURIComponent('plugin::campaigns.contact')}`)).status).toBe(400);
  });

  it('sends an entry as a newsletter: received with its title, picture, body and a tracked link to its page', async () => {
    const made = await api(app, token).post('/deliveries/from-entry', { contentType: ARTICLE, documentId: ids.garden });
    expect(made.status).toBe(201);
    const delivery = made.body.data;
    expect(delivery).toMatchObject({
      name: 'The garden opens',
      subject: 'The garden opens',
      contentMode: 'blocks',
      sourceEntry: { contentType: ARTICLE, documentId: ids.garden },
    });
    expect(delivery.content.blocks.map((b: ContentBlock) => b.type)).toEqual(['heading', 'image', 'text', 'button']);

    await api(app, token).put(`/deliveries/${delivery.documentId}`, { lists: [list], fromEmail: 'news@example.test' });
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, delivery.documentId, ['sent']);
    await smtp.waitFor(1);
    const [message] = smtp.messages;
    const html = message.html as string;
    expect(html).toContain('The garden opens');
    expect(html).toContain(`src="${PUBLIC_URL}/uploads/garden.jpg"`);
    expect(html).toContain('Opening hours');
    expect(html).toMatch(/<li[^>]*>Roses<\/li>/);
    const tracked = hrefs(message).filter((href) => href.startsWith(`${PUBLIC_URL}/api/campaigns/c/`));
    // HEAD follows a link without counting it (a click on every link at once would read as a scanner).
    const targets = new Map<string, string>();
    for (const url of tracked) targets.set((await app.http().head(url.slice(PUBLIC_URL.length))).headers.location, url);
    expect([...targets.keys()]).toEqual(
      expect.arrayContaining([
        'https://maps.example.test/garden',
        'https://blog.example.test/articles/the-garden-opens',
      ]),
    );
    const readMore = targets.get('https://blog.example.test/articles/the-garden-opens')!;
    await app.http().get(readMore.slice(PUBLIC_URL.length)).set('User-Agent', UA.chromeWindows);
  });

  it('makes an excerpt card and a digest in the order given; clicks on a card count for its entry', async () => {
    const excerpt = await api(app, token).post('/deliveries/from-entry', {
      contentType: ARTICLE,
      documentId: ids.recipe,
      mode: 'excerpt',
    });
    expect(excerpt.body.data.content.blocks).toEqual([
      expect.objectContaining({ type: 'entry-card', contentType: ARTICLE, documentId: ids.recipe }),
    ]);
    const digest = await api(app, token).post('/deliveries/digest', {
      contentType: ARTICLE,
      documentIds: [ids.recipe, ids.garden],
      name: 'Weekly',
    });
    expect(digest.status).toBe(201);
    const cards = digest.body.data.content.blocks.filter((b: ContentBlock) => b.type === 'entry-card');
    expect(cards.map((b: { documentId: string }) => b.documentId)).toEqual([ids.recipe, ids.garden]);
    const refused = await api(app, token).post('/deliveries/digest', {
      contentType: ARTICLE,
      documentIds: [ids.draft],
    });
    expect(refused.status).toBe(404);

    const id = digest.body.data.documentId;
    await api(app, token).put(`/deliveries/${id}`, { lists: [list], fromEmail: 'news@example.test' });
    const before = smtp.messages.length;
    expect((await api(app, token).post(`/deliveries/${id}/send`)).status).toBe(200);
    await waitForStatus(app, token, id, ['sent']);
    await smtp.waitFor(before + 1);
    const message = smtp.messages[before];
    expect((message.html as string).indexOf('A summer recipe')).toBeLessThan(
      (message.html as string).indexOf('The garden opens'),
    );
    const recipeLink = hrefs(message).find((href) => href.startsWith(`${PUBLIC_URL}/api/campaigns/c/`))!;
    await app.http().get(recipeLink.slice(PUBLIC_URL.length)).set('User-Agent', UA.chromeWindows);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const hot = (await api(app, token).get(`/deliveries/${id}/hot-clicks`)).body.data;
    const clicked = hot.links.filter((link: { clicks: number }) => link.clicks > 0);
    expect(clicked).toEqual([expect.objectContaining({ entry: { contentType: ARTICLE, documentId: ids.recipe } })]);

    // A report shows which entries readers clicked, by title, across deliveries; the second click is the same reader.
    await app.http().get(recipeLink.slice(PUBLIC_URL.length)).set('User-Agent', UA.chromeWindows);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const report = await api(app, token).post('/reports/query', {
      dimensions: ['entry'],
      metrics: ['clicks', 'uniqueClicks'],
      filters: { eventTypes: ['click'] },
      sort: '-clicks',
    });
    expect(report.status).toBe(200);
    expect(
      report.body.data.rows.map((row: { dimensions: Array<{ label: string }>; metrics: object }) => [
        row.dimensions[0].label,
        row.metrics,
      ]),
    ).toEqual([
      ['A summer recipe', { clicks: 2, uniqueClicks: 1 }],
      // The whole article sent earlier: its links come from text and button blocks, not from an entry card.
      ['Not from an entry', { clicks: 1, uniqueClicks: 1 }],
    ]);
    expect(report.body.data.rows[0].dimensions[0].key).toBe(`${ARTICLE}:${ids.recipe}`);
  });

  it("lists an entry's deliveries with their rates, and refuses a card whose entry is gone at send time", async () => {
    const made = (await api(app, token).get(`/entries/${TYPE}/${ids.garden}/deliveries`)).body.data;
    expect(made).toEqual([
      expect.objectContaining({ name: 'The garden opens', status: 'sent', delivered: 1, clickThroughRate: 1 }),
    ]);

    const excerpt = await api(app, token).post('/deliveries/from-entry', {
      contentType: ARTICLE,
      documentId: ids.script,
      mode: 'excerpt',
    });
    const id = excerpt.body.data.documentId;
    await api(app, token).put(`/deliveries/${id}`, { lists: [list], fromEmail: 'news@example.test' });
    await app.strapi.documents(ARTICLE).unpublish({ documentId: ids.script } as never);
    const refused = await api(app, token).post(`/deliveries/${id}/send`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('The entry was not found, or is not published.');
  });

  it('shows the types and their deliveries only to editors; mapping a type needs the settings action too', async () => {
    const reader = await app.adminTokenWith(['plugin::campaigns.read']);
    expect((await api(app, reader).get('/entry-types')).status).toBe(403);
    expect((await api(app, reader).get(`/entries/${TYPE}`)).status).toBe(403);
    expect((await api(app, reader).get(`/entries/${TYPE}/${ids.garden}/deliveries`)).status).toBe(403);
    expect(
      (await api(app, reader).post('/deliveries/from-entry', { contentType: ARTICLE, documentId: ids.garden })).status,
    ).toBe(403);
    expect(
      (await api(app, reader).post('/deliveries/digest', { contentType: ARTICLE, documentIds: [ids.garden] })).status,
    ).toBe(403);
    const shape = (await api(app, token).get('/entry-types')).body.data.find(
      (t: { uid: string }) => t.uid === ARTICLE,
    ).shape;
    const { contentType: _uid, ...body } = shape;
    const editor = await app.adminTokenWith(['plugin::campaigns.read', 'plugin::campaigns.send']);
    expect((await api(app, editor).get('/entry-types')).status).toBe(200);
    expect((await api(app, editor).put(`/entry-types/${TYPE}/shape`, body)).status).toBe(403);
    const settings = await app.adminTokenWith(['plugin::campaigns.read', 'plugin::campaigns.settings']);
    expect((await api(app, settings).put(`/entry-types/${TYPE}/shape`, body)).status).toBe(403);
    const both = await app.adminTokenWith([
      'plugin::campaigns.read',
      'plugin::campaigns.send',
      'plugin::campaigns.settings',
    ]);
    expect((await api(app, both).put(`/entry-types/${TYPE}/shape`, body)).status).toBe(200);
  });

  it('matches nothing when an entry list filters on a field the type lacks, and says so before sending', async () => {
    const list = (where: { field: string; value: string }) => ({
      version: 1,
      blocks: [
        {
          id: 'digest',
          type: 'entry-list',
          contentType: ARTICLE,
          locale: null,
          limit: 5,
          publishedWithinDays: null,
          where,
          showImage: false,
          showExcerpt: false,
          buttonLabel: 'Read',
        },
      ],
    });
    const preview = async (where: { field: string; value: string }) =>
      (await api(app, token).post('/deliveries/preview', { contentMode: 'blocks', content: list(where) })).body.data;
    const food = await preview({ field: 'category', value: 'food' });
    expect(food.html).toContain('A summer recipe');
    expect(food.html).not.toContain('The garden opens');
    const unknown = await preview({ field: 'colour', value: 'food' });
    expect(unknown.html).not.toContain('A summer recipe');
    expect(unknown.html).not.toContain('The garden opens');
    expect(unknown.problems).toEqual([
      expect.objectContaining({ blockId: 'digest', path: 'where.field', message: expect.stringContaining('"colour"') }),
    ]);
  });

  it("finds an entry's deliveries behind more than a page of deliveries made from other entries", async () => {
    const others = Array.from({ length: 501 }, (_, index) => ({
      documentId: `other${String(index).padStart(20, '0')}`,
      name: `Other ${index}`,
      subject: 'Other',
      contentMode: 'blocks',
      status: 'draft',
      sourceEntry: { contentType: ARTICLE, documentId: ids.recipe, locale: null },
    }));
    await app.strapi.db.query('plugin::campaigns.delivery').createMany({ data: others });
    const made = (await api(app, token).get(`/entries/${TYPE}/${ids.garden}/deliveries`)).body.data;
    expect(made.map((row: { name: string }) => row.name)).toEqual(['The garden opens']);
    const recipe = (await api(app, token).get(`/entries/${TYPE}/${ids.recipe}/deliveries`)).body.data;
    expect(recipe).toHaveLength(20);
    expect(recipe[0].name).toBe('Other 500');
    await app.strapi.db.query('plugin::campaigns.delivery').deleteMany({ where: { subject: 'Other' } });
  });

  it('links each locale of a localized type to its own public page', async () => {
    const PAGE = 'api::page.page';
    const PAGE_TYPE = encodeURIComponent(PAGE);
    await app.strapi.plugin('i18n').service('locales').create({ code: 'fr', name: 'French (fr)' });
    const created = (await app.strapi.documents(PAGE).create({
      data: { title: 'Opening hours', slug: 'opening-hours', body: [paragraph('Every day')] },
      status: 'published',
    } as never)) as { documentId: string };
    await app.strapi.documents(PAGE).update({
      documentId: created.documentId,
      locale: 'fr',
      data: { title: 'Horaires', slug: 'horaires', body: [paragraph('Tous les jours')] },
      status: 'published',
    } as never);
    const type = (await api(app, token).get('/entry-types')).body.data.find((t: { uid: string }) => t.uid === PAGE);
    expect(type.localized).toBe(true);
    expect(type.locales.map((locale: { code: string }) => locale.code).sort()).toEqual(['en', 'fr']);
    const shape = { titleField: 'title', bodyField: 'body', excerptField: null, imageField: null };

    const wrong = await api(app, token).put(`/entry-types/${PAGE_TYPE}/shape`, {
      ...shape,
      urlPattern: 'https://site.example.test/{slug}',
      localeUrlPatterns: { fr: 'https://site.example.test/fr/{permalink}' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain('URL pattern (fr): "Page" has no field "permalink"');
    const notLocalized = await api(app, token).put(`/entry-types/${TYPE}/shape`, {
      ...shape,
      urlPattern: 'https://blog.example.test/{slug}',
      localeUrlPatterns: { fr: 'https://blog.example.test/fr/{slug}' },
    });
    expect(notLocalized.status).toBe(400);
    expect(notLocalized.body.error.message).toContain('"Article" is not localized');

    const saved = await api(app, token).put(`/entry-types/${PAGE_TYPE}/shape`, {
      ...shape,
      urlPattern: 'https://site.example.test/{slug}',
      localeUrlPatterns: { fr: 'https://exemple.test/{slug}' },
    });
    expect(saved.status).toBe(200);
    const view = async (locale: string) =>
      (await api(app, token).get(`/entries/${PAGE_TYPE}/${created.documentId}?locale=${locale}`)).body.data;
    expect(await view('en')).toMatchObject({ title: 'Opening hours', url: 'https://site.example.test/opening-hours' });
    expect(await view('fr')).toMatchObject({ title: 'Horaires', url: 'https://exemple.test/horaires' });

    const french = await api(app, token).post('/deliveries/from-entry', {
      contentType: PAGE,
      documentId: created.documentId,
      locale: 'fr',
    });
    expect(french.status).toBe(201);
    const button = french.body.data.content.blocks.find((block: ContentBlock) => block.type === 'button');
    expect(button).toMatchObject({ url: 'https://exemple.test/horaires' });
  });
});

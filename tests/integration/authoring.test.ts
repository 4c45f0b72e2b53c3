// A newsletter written in blocks: previewed, refused while a check fails, sent through a real SMTP server, read as the
// recipient gets it, clicked; its layout kept as it was when sent; and deliveries from before blocks still work.
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type ParsedMessage, type TestSmtpServer } from '../helpers/smtp-server';
import { api, createContacts, createDelivery, createList, waitForStatus } from '../helpers/campaigns';
import { UA } from '../helpers/fixtures';
import { UID } from '../../shared/constants';
import type { ContentBlock } from '../../shared/blocks';

const PUBLIC_URL = 'https://news.example.test';
const SHOP = 'https://shop.example.test/spring';
const ADDRESS = 'Acme Ltd, 1 Harbour Road, Springfield';

const blocks = (buttonUrl: string): ContentBlock[] => [
  { id: 'title', type: 'heading', text: 'Spring news for {{firstName}}', level: 1, align: 'left' },
  {
    id: 'intro',
    type: 'text',
    content: [
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: 'Our garden <b>opens</b> in ' },
          { type: 'text', text: '{{attributes.city}}', bold: true },
          { type: 'text', text: '. ' },
          {
            type: 'link',
            url: 'https://blog.example.test/garden',
            children: [{ type: 'text', text: 'Read the story' }],
          },
        ],
      },
    ],
  },
  {
    id: 'photo',
    type: 'image',
    media: { id: null, url: '/uploads/garden.jpg', width: 1200, height: 600 },
    alt: 'The garden in bloom',
    href: '',
    width: null,
    align: 'center',
  },
  {
    id: 'cta',
    type: 'button',
    label: 'Shop the season',
    url: buttonUrl,
    backgroundColor: '#0c75af',
    textColor: '#ffffff',
    align: 'center',
  },
];

const hrefs = (message: ParsedMessage) =>
  [...(message.html as string).matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));

describe('a newsletter written in blocks', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let list: string;
  let layoutId: string;

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
    list = await createList(app, token, 'Gardeners');
    await createContacts(
      app,
      token,
      [
        { email: 'ann@example.test', firstName: 'Ann', attributes: { city: 'Osaka' } },
        { email: 'bob@example.test', firstName: 'Bob', attributes: { city: 'Lyon' } },
      ],
      [list],
    );
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('ships three starter layouts, and refuses a layout with a bad colour, naming it', async () => {
    const res = await api(app, token).get('/layouts');
    expect(res.status).toBe(200);
    expect(res.body.data.map((layout: { name: string }) => layout.name)).toEqual([
      'Newsletter',
      'Announcement',
      'Digest',
    ]);
    expect(res.body.data.every((layout: { starter: boolean }) => layout.starter)).toBe(true);
    layoutId = res.body.data[0].documentId;
    const full = (await api(app, token).get(`/layouts/${layoutId}`)).body.data;
    const bad = await api(app, token).put(`/layouts/${layoutId}`, { style: { ...full.style, accentColor: 'blue' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('style.accentColor: a colour is written #rrggbb');
  });

  it('previews with the checks tied to their blocks, until the postal address is set', async () => {
    const preview = await api(app, token).post('/deliveries/preview', {
      contentMode: 'blocks',
      content: { version: 1, blocks: blocks('') },
      layout: layoutId,
    });
    expect(preview.status).toBe(200);
    const { html, links, problems } = preview.body.data;
    expect(html).toContain('Spring news for {{firstName}}');
    expect(html).toContain('Our garden &lt;b&gt;opens&lt;/b&gt; in');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ blockId: 'cta', path: 'url', message: 'This link has no URL yet.' }),
        expect.objectContaining({ blockId: null, path: 'layout.postalAddress' }),
      ]),
    );
    expect(links).toEqual(
      expect.arrayContaining([
        { position: 0, url: 'https://blog.example.test/garden', label: 'Read the story', blockId: 'intro' },
      ]),
    );

    expect((await api(app, token).put(`/layouts/${layoutId}`, { postalAddress: ADDRESS })).status).toBe(200);
    const fixed = await api(app, token).post('/deliveries/preview', {
      contentMode: 'blocks',
      content: { version: 1, blocks: blocks(SHOP) },
      layout: layoutId,
    });
    expect(fixed.body.data.problems).toEqual([]);
    expect(fixed.body.data.links.find((link: { url: string }) => link.url === SHOP)).toMatchObject({ blockId: 'cta' });
    expect(fixed.body.data.size).toBeGreaterThan(1000);
  });

  it('personalises the preview and a test send for the same recipient, and the test links go through tracking', async () => {
    const content = { version: 1, blocks: blocks(SHOP) };
    const preview = await api(app, token).post('/deliveries/preview', {
      contentMode: 'blocks',
      content,
      layout: layoutId,
      subject: 'Spring for {{firstName}}',
      lists: [list],
    });
    const { sample, personalized } = preview.body.data;
    expect(sample).toEqual({ email: 'ann@example.test', firstName: 'Ann', lastName: null });
    expect(personalized.subject).toBe('Spring for Ann');
    expect(personalized.html).toContain('Spring news for Ann');
    expect(personalized.html).toMatch(/<strong[^>]*>Osaka<\/strong>/);
    expect(personalized.html).toContain(`href="${SHOP}"`);

    const draft = await createDelivery(app, token, {
      name: 'Proof',
      subject: 'Spring for {{firstName}}',
      fromEmail: 'news@example.test',
      contentMode: 'blocks',
      content,
      layout: layoutId,
      lists: [list],
    });
    const before = smtp.messages.length;
    const sent = await api(app, token).post(`/deliveries/${draft.documentId}/test`, {
      emails: ['editor@example.test'],
    });
    expect(sent.status).toBe(200);
    await smtp.waitFor(before + 1);
    const proof = smtp.messages[before];
    expect(proof.subject).toBe('[Test] Spring for Ann');
    expect(proof.html).toContain('Spring news for Ann');
    const button = hrefs(proof).filter((href) => href.startsWith(`${PUBLIC_URL}/api/campaigns/c/`))[1];
    const click = await app.http().get(button.slice(PUBLIC_URL.length));
    expect(click.headers.location).toBe(SHOP);
    expect((await api(app, token).delete(`/deliveries/${draft.documentId}`)).status).toBe(200);
  });

  it('warns when the Media Library pictures weigh more than 1 MB together', async () => {
    const file = (name: string) =>
      app.strapi.db.query('plugin::upload.file').create({
        data: {
          name,
          hash: name,
          ext: '.jpg',
          mime: 'image/jpeg',
          size: 700,
          url: `/uploads/${name}.jpg`,
          provider: 'local',
        },
      });
    const [a, b] = [await file('heavy-a'), await file('heavy-b')];
    const image = (id: string, media: { id: number; url: string }): ContentBlock => ({
      id,
      type: 'image',
      media,
      alt: 'A picture',
      href: '',
      width: null,
      align: 'center',
    });
    const preview = async (...images: ContentBlock[]) =>
      (
        await api(app, token).post('/deliveries/preview', {
          contentMode: 'blocks',
          content: { version: 1, blocks: images },
          layout: layoutId,
        })
      ).body.data.warnings.filter((warning: { path: string }) => warning.path === 'images');
    expect(await preview(image('one', a))).toEqual([]);
    const [heavy] = await preview(image('one', a), image('two', b));
    expect(heavy.message).toContain('The pictures weigh 1400 KB together');
  });

  it('refuses a preview or a delivery whose blocks do not match the schema, saying where', async () => {
    const res = await api(app, token).post('/deliveries/preview', {
      contentMode: 'blocks',
      content: { version: 1, blocks: [{ id: 'x', type: 'button', label: 'Go', url: 'javascript:alert(1)' }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/content\.blocks\.0/);
  });

  it('saves a half-written draft, refuses to send it with the reason, then sends the fixed one', async () => {
    const draft = await createDelivery(app, token, {
      name: 'Spring',
      subject: 'Spring for {{firstName}}',
      fromEmail: 'news@example.test',
      contentMode: 'blocks',
      content: { version: 1, blocks: blocks('') },
      layout: layoutId,
      lists: [list],
    });
    const saved = (await api(app, token).get(`/deliveries/${draft.documentId}`)).body.data;
    expect(saved).toMatchObject({ contentMode: 'blocks', layout: { documentId: layoutId, name: 'Newsletter' } });
    expect(saved.content.blocks).toHaveLength(4);

    const refused = await api(app, token).post(`/deliveries/${draft.documentId}/send`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('This link has no URL yet.');

    const updated = await api(app, token).put(`/deliveries/${draft.documentId}`, {
      content: { version: 1, blocks: blocks(SHOP) },
    });
    expect(updated.status).toBe(200);
    expect((await api(app, token).post(`/deliveries/${draft.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, draft.documentId, ['sent']);
    await smtp.waitFor(2);

    const ann = smtp.messages.find((message) => message.envelopeTo[0] === 'ann@example.test')!;
    expect(ann.subject).toBe('Spring for Ann');
    const html = ann.html as string;
    expect(html).toContain('Spring news for Ann');
    expect(html).toMatch(/<strong[^>]*>Osaka<\/strong>/);
    expect(html).toContain(`src="${PUBLIC_URL}/uploads/garden.jpg"`);
    expect(html).toContain('alt="The garden in bloom"');
    expect(html).toContain(ADDRESS);
    expect(html).toContain('<!--[if mso | IE]>');
    const links = hrefs(ann);
    const tracked = links.filter((href) => href.startsWith(`${PUBLIC_URL}/api/campaigns/c/`));
    expect(tracked).toHaveLength(2); // the story link and the button
    expect(links.some((href) => href.startsWith(`${PUBLIC_URL}/api/campaigns/u/`))).toBe(true);
    expect(ann.text).toMatch(/spring news for ann/i);
    expect(ann.text).toContain(`${PUBLIC_URL}/api/campaigns/u/`);

    // The button's link is the second tracked one: a click redirects to the shop and counts in hot clicks.
    const click = await app.http().get(tracked[1].slice(PUBLIC_URL.length)).set('User-Agent', UA.chromeWindows);
    expect(click.status).toBe(302);
    expect(click.headers.location).toBe(SHOP);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const hot = (await api(app, token).get(`/deliveries/${draft.documentId}/hot-clicks`)).body.data;
    expect(hot.links.find((link: { url: string }) => link.url === SHOP)).toMatchObject({
      label: 'Shop the season',
      clicks: 1,
      blockId: 'cta',
      entry: null,
    });

    // The layout edited after sending changes nothing in what was sent: the web version shows the address of then.
    await api(app, token).put(`/layouts/${layoutId}`, { postalAddress: 'Somewhere else entirely' });
    const mirror = links.find((href) => href.startsWith(`${PUBLIC_URL}/api/campaigns/m/`))!;
    const page = await app.http().get(mirror.slice(PUBLIC_URL.length));
    expect(page.status).toBe(200);
    expect(page.text).toContain(ADDRESS);
    expect(page.text).not.toContain('Somewhere else entirely');
    const sent = (await api(app, token).get(`/deliveries/${draft.documentId}`)).body.data;
    expect(sent.html).toContain(ADDRESS);
  });

  it('fills the content mode of deliveries written before blocks, once, and they still preview and send', async () => {
    const old = await createDelivery(app, token, {
      name: 'Old',
      subject: 'Old',
      fromEmail: 'news@example.test',
      html: '<p>Written by hand for {{firstName}}</p>',
    });
    await app.strapi.db.query(UID.delivery).update({ where: { id: old.id }, data: { contentMode: null } });
    const authoring = app.strapi.plugin('campaigns').service('authoring');
    expect(await authoring.fillContentMode()).toBe(1);
    expect(await authoring.fillContentMode()).toBe(0);
    const read = (await api(app, token).get(`/deliveries/${old.documentId}`)).body.data;
    expect(read).toMatchObject({ contentMode: 'html', content: null, layout: null });
    const test = await api(app, token).post(`/deliveries/${old.documentId}/test`, { emails: ['editor@example.test'] });
    expect(test.status).toBe(200);
    expect(test.body.data.sent).toEqual([expect.objectContaining({ email: 'editor@example.test' })]);
  });

  it('lets only editors preview and change layouts', async () => {
    const reader = await app.adminTokenWith(['plugin::campaigns.read']);
    expect((await api(app, reader).get('/layouts')).status).toBe(200);
    expect((await api(app, reader).post('/deliveries/preview', { contentMode: 'html', html: '<p>x</p>' })).status).toBe(
      403,
    );
    expect((await api(app, reader).put(`/layouts/${layoutId}`, { name: 'Mine' })).status).toBe(403);
    expect((await api(app, reader).post('/layouts', { name: 'Mine' })).status).toBe(403);
  });

  it('starts a delivery from a layout with its blocks, and saves a delivery as a new layout', async () => {
    const [, announcement] = (await api(app, token).get('/layouts')).body.data;
    const starter = (await api(app, token).get(`/layouts/${announcement.documentId}`)).body.data;
    expect(starter.content.blocks.map((block: ContentBlock) => block.type)).toEqual(['heading', 'text', 'button']);
    const fromLayout = await createDelivery(app, token, { contentMode: 'blocks', layout: announcement.documentId });
    const read = (await api(app, token).get(`/deliveries/${fromLayout.documentId}`)).body.data;
    expect(read.content).toEqual(starter.content);

    const edited = { version: 1, blocks: blocks(SHOP) };
    await api(app, token).put(`/deliveries/${fromLayout.documentId}`, { content: edited });
    const saved = await api(app, token).post(`/deliveries/${fromLayout.documentId}/save-as-layout`, {
      name: 'Spring look',
    });
    expect(saved.status).toBe(201);
    expect(saved.body.data).toMatchObject({
      name: 'Spring look',
      starter: false,
      style: starter.style,
      content: edited,
    });

    const html = await createDelivery(app, token, { html: '<p>Hi</p>' });
    const refused = await api(app, token).post(`/deliveries/${html.documentId}/save-as-layout`, { name: 'No' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('it is written in HTML');
  });

  it('creates, renames and deletes a layout of its own', async () => {
    const created = await api(app, token).post('/layouts', { name: 'Autumn', postalAddress: ADDRESS });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ name: 'Autumn', starter: false, postalAddress: ADDRESS });
    const id = created.body.data.documentId;
    expect((await api(app, token).put(`/layouts/${id}`, { name: 'Autumn 2026' })).body.data.name).toBe('Autumn 2026');
    expect((await api(app, token).delete(`/layouts/${id}`)).status).toBe(200);
    expect((await api(app, token).get(`/layouts/${id}`)).status).toBe(404);
  });
});

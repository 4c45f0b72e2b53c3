// UTM tags from the received email to the click: a delivery with UTM tags on goes through a real SMTP server, and
// each tracked link of the message received redirects to its URL with the tags (the defaults from Settings, the
// delivery's own value where it has one, the link's own tags kept); mailto: and the footer's links get none.
import { ACTIONS } from '../../shared/constants';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { api, createContacts, createDelivery, createList, waitForStatus } from '../helpers/campaigns';
import { UA } from '../helpers/fixtures';

const PUBLIC_URL = 'https://news.example.test';
const HTML = `<p><a href="https://shop.example.test/spring?ref=mail#offers">Spring offers</a></p>
<p><a href="https://blog.example.test/post/42?utm_source=partner">Read the story</a></p>
<p><a href="mailto:help@example.test">Write to us</a></p>`;

describe('UTM tags on the links of a received email', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: { publicUrl: PUBLIC_URL, smtp: { host: smtp.host, port: smtp.port } },
    });
    token = await app.superAdminToken();
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('redirects a click to the URL with the tags, keeping what the link had', async () => {
    const saved = await api(app, token).put('/settings', { tracking: { utm: { source: 'weekly-news' } } });
    expect(saved.status).toBe(200);
    const list = await createList(app, token, 'Readers');
    await createContacts(app, token, [{ email: 'reader@example.test', firstName: 'Rea' }], [list]);
    const delivery = await createDelivery(app, token, {
      name: 'Spring Sale – 20%!',
      subject: 'Spring',
      fromEmail: 'news@example.test',
      html: HTML,
      lists: [list],
      utmTags: true,
      utmMedium: 'e-mail',
    });
    expect(delivery).toMatchObject({ utmTags: true, utmMedium: 'e-mail', utmSource: null });
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, delivery.documentId, ['sent']);
    await smtp.waitFor(1);

    const html = smtp.messages[0].html as string;
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    const clicks = hrefs.filter((href) => href.includes('/api/campaigns/c/'));
    expect(clicks).toHaveLength(2);
    expect(hrefs).toContain('mailto:help@example.test');
    // The footer's unsubscribe and mirror links are the plugin's, without tags.
    for (const href of hrefs.filter((h) => /\/api\/campaigns\/[um]\//.test(h))) expect(href).not.toContain('utm_');

    const targets = [];
    for (const url of clicks) {
      const res = await app.http().get(url.slice(PUBLIC_URL.length)).set('User-Agent', UA.chromeWindows);
      expect(res.status).toBe(302);
      targets.push(res.headers.location);
    }
    expect(targets).toEqual([
      'https://shop.example.test/spring?ref=mail&utm_source=weekly-news&utm_medium=e-mail&utm_campaign=spring-sale-20#offers',
      'https://blog.example.test/post/42?utm_source=partner&utm_medium=e-mail&utm_campaign=spring-sale-20',
    ]);

    // The links the dashboard lists are the final URLs too.
    const links = (await api(app, token).get(`/deliveries/${delivery.documentId}/links`)).body.data;
    expect(links.map((link: { url: string }) => link.url)).toEqual(expect.arrayContaining(targets));
  });

  it('gives the defaults to those who write deliveries, not to read-only admins', async () => {
    const writer = await app.adminTokenWith([ACTIONS.send]);
    const res = await api(app, writer).get('/utm-defaults');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ source: 'weekly-news', medium: 'email', campaign: '' });
    expect((await api(app, await app.adminTokenWith([ACTIONS.read])).get('/utm-defaults')).status).toBe(403);
  });

  it('adds nothing to the links of a delivery without UTM tags', async () => {
    const list = await createList(app, token, 'Others');
    await createContacts(app, token, [{ email: 'other@example.test' }], [list]);
    const delivery = await createDelivery(app, token, {
      subject: 'Plain',
      fromEmail: 'news@example.test',
      html: HTML,
      lists: [list],
    });
    expect(delivery).toMatchObject({ utmTags: false });
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, delivery.documentId, ['sent']);
    await smtp.waitFor(2);
    const html = smtp.messages[1].html as string;
    const click = /href="([^"]+\/api\/campaigns\/c\/[^"]+)"/.exec(html)![1];
    const res = await app.http().get(click.slice(PUBLIC_URL.length)).set('User-Agent', UA.chromeWindows);
    expect(res.headers.location).toBe('https://shop.example.test/spring?ref=mail#offers');
  });
});

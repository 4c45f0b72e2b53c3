// Hot clicks: a delivery sent through a real SMTP server, real clicks on the links of the received messages (one URL
// appears twice), then the hot clicks route: the message as sent with every tracked link marked, and each link's
// clicks, unique clicks, share and position.
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type ParsedMessage, type TestSmtpServer } from '../helpers/smtp-server';
import { api, createContacts, createDelivery, createList, waitForStatus } from '../helpers/campaigns';
import { UA } from '../helpers/fixtures';

const PUBLIC_URL = 'https://news.example.test';
const OFFER = 'https://shop.example.test/offer';
const STORY = 'https://blog.example.test/story';
const HTML = `<h1 onclick="steal()">Hello {{firstName}}</h1>
<script>document.title = 'ran';</script>
<p><a href="${OFFER}">See the offer</a></p>
<p><a href="${STORY}"><img src="https://img.example.test/story.png" alt="Our story"></a></p>
<p>Still thinking? <a href="${OFFER}">Take the offer</a></p>`;

const clickUrlsOf = (message: ParsedMessage) =>
  [...(message.html as string).matchAll(/href="([^"]+)"/g)]
    .map((m) => m[1].replace(/&amp;/g, '&'))
    .filter((href) => href.includes('/api/campaigns/c/'));

describe('hot clicks of a sent delivery', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let documentId: string;

  const hotClicks = (query = '') => api(app, token).get(`/deliveries/${documentId}/hot-clicks${query}`);
  const click = async (url: string, userAgent = UA.chromeWindows) => {
    const res = await app.http().get(url.slice(PUBLIC_URL.length)).set('User-Agent', userAgent);
    expect(res.status).toBe(302);
    return res.headers.location as string;
  };

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      // Clicks in this test come right after sending: the "too soon to be a person" scanner rule would flag them all.
      pluginConfig: {
        publicUrl: PUBLIC_URL,
        smtp: { host: smtp.host, port: smtp.port },
        tracking: { scannerWindowSeconds: 0 },
      },
    });
    token = await app.superAdminToken();
    const list = await createList(app, token, 'Readers');
    const readers = ['ann', 'bob', 'cat', 'dan'].map((name) => ({ email: `${name}@example.test`, firstName: name }));
    await createContacts(app, token, readers, [list]);
    const delivery = await createDelivery(app, token, {
      name: 'Spring',
      subject: 'Spring',
      fromEmail: 'news@example.test',
      html: HTML,
      lists: [list],
    });
    documentId = delivery.documentId;
    expect((await api(app, token).post(`/deliveries/${documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, documentId, ['sent']);
    await smtp.waitFor(4);
    const linksOf = (email: string) => clickUrlsOf(smtp.messages.find((m) => m.envelopeTo[0] === email)!);

    // Links in message order: offer (first), story, offer (second). Nobody clicks every link, so no click burst.
    const [annOffer1] = linksOf('ann@example.test');
    expect(await click(annOffer1)).toBe(OFFER);
    await click(annOffer1);
    const [bobOffer1, , bobOffer2] = linksOf('bob@example.test');
    await click(bobOffer1);
    expect(await click(bobOffer2)).toBe(OFFER);
    const [, catStory] = linksOf('cat@example.test');
    expect(await click(catStory)).toBe(STORY);
    const [, danStory, danOffer2] = linksOf('dan@example.test');
    await click(danOffer2);
    // A link scanner, known by its user agent: a bot, left out unless asked for.
    await click(danStory, UA.scanner);
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('counts clicks, unique clicks and shares per link, the two offer links apart by occurrence', async () => {
    const res = await hotClicks();
    expect(res.status).toBe(200);
    expect(res.body.data.links.map((link: any) => ({ ...link, linkId: undefined }))).toEqual([
      {
        url: OFFER,
        label: 'See the offer',
        position: 0,
        occurrence: 1,
        part: 'html',
        blockId: null,
        entry: null,
        clicks: 3,
        uniqueClicks: 2,
        share: 0.5,
        linkId: undefined,
      },
      {
        url: STORY,
        label: 'Our story',
        position: 1,
        occurrence: 1,
        part: 'html',
        blockId: null,
        entry: null,
        clicks: 1,
        uniqueClicks: 1,
        share: 0.1667,
        linkId: undefined,
      },
      {
        url: OFFER,
        label: 'Take the offer',
        position: 2,
        occurrence: 2,
        part: 'html',
        blockId: null,
        entry: null,
        clicks: 2,
        uniqueClicks: 2,
        share: 0.3333,
        linkId: undefined,
      },
    ]);
    expect(res.body.data.totals).toEqual({ clicks: 6, uniqueClicks: 4 });
    expect(res.body.meta).toMatchObject({
      mode: 'total',
      include: { bots: false, machine: false },
      delivery: { documentId, name: 'Spring' },
    });
  });

  it('shares unique clicks in unique mode, and counts the scanner when bots are included', async () => {
    const unique = (await hotClicks('?mode=unique')).body.data.links;
    expect(unique.map((link: any) => link.share)).toEqual([0.4, 0.2, 0.4]);
    const withBots = (await hotClicks('?include=bots')).body.data;
    expect(withBots.links.map((link: any) => link.clicks)).toEqual([3, 2, 2]);
    expect(withBots.totals.clicks).toBe(7);
  });

  it('shows the message as sent, without scripts or live tracking URLs, each tracked link marked', async () => {
    const { html, text, links } = (await hotClicks()).body.data;
    expect(html).toContain('Hello </h1>'); // neutral personalisation: the first name is empty
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/onclick/i);
    expect(html).not.toContain('/api/campaigns/');
    for (const link of links) expect(html).toContain(`data-campaigns-link="${link.linkId}"`);
    expect(html.match(/data-campaigns-link=/g)).toHaveLength(3);
    expect(html).toContain('data-campaigns-kind="unsubscribe"');
    expect(text).toContain(OFFER);
    expect(text).not.toContain('/api/campaigns/');
  });

  it('answers 400 for an unknown mode or include, 404 for an unknown delivery', async () => {
    const badMode = await hotClicks('?mode=all');
    expect(badMode.status).toBe(400);
    expect(badMode.body.error.message).toMatch(/mode: must be total or unique/);
    const badInclude = await hotClicks('?include=robots');
    expect(badInclude.status).toBe(400);
    expect(badInclude.body.error.message).toMatch(/include: unknown value\(s\) robots/);
    expect((await api(app, token).get('/deliveries/nosuchdelivery/hot-clicks')).status).toBe(404);
  });

  it('previews a draft without click counts', async () => {
    const draft = await createDelivery(app, token, {
      name: 'Draft',
      subject: 'Draft',
      fromEmail: 'news@example.test',
      html: HTML,
    });
    const res = await api(app, token).get(`/deliveries/${draft.documentId}/hot-clicks`);
    expect(res.status).toBe(200);
    expect(res.body.data.links).toEqual([]);
    expect(res.body.data.html).toContain('See the offer');
    expect(res.body.data.html).not.toMatch(/<script/i);
  });
});

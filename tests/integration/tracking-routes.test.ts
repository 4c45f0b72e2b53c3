// The public tracking routes of a real Strapi on a real database: what a recipient's mail client and browser get,
// and what is stored.
import { UID } from '../../shared/constants';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import {
  UA,
  clickPath,
  contactOf,
  eventsOf,
  logOf,
  mirrorPath,
  openPath,
  seedDelivery,
  sign,
  unsubscribePath,
} from '../helpers/fixtures';

const GIF_HEADER = 'GIF89a';

describe('tracking routes', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp();
  });
  afterAll(async () => {
    await app?.destroy();
  });

  describe('open pixel', () => {
    it("answers a transparent GIF that no cache may keep, and records one open with the reader's device", async () => {
      const { deliveryId, logs } = await seedDelivery(app.strapi);
      const res = await app
        .http()
        .get(openPath(app.strapi, deliveryId, logs[0].id))
        .set('User-Agent', UA.iphoneSafari)
        .buffer(true);

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/gif');
      expect(res.headers['cache-control']).toContain('no-store');
      expect(res.headers['x-robots-tag']).toContain('noindex');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(Buffer.from(res.body).subarray(0, 6).toString()).toBe(GIF_HEADER);

      const events = await eventsOf(app.strapi, deliveryId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'open',
        deliveryLogId: logs[0].id,
        contactId: logs[0].contactId,
        device: 'mobile',
        os: 'iOS',
        isBot: false,
        isMachineOpen: false,
        ip: null, // storeIp is off by default
      });
      expect(events[0].documentId).toMatch(/^[a-z][a-z0-9]{23}$/);
      const log = await logOf(app.strapi, logs[0].id);
      expect(log).toMatchObject({ opens: 1, clicks: 0 });
      expect(log.firstOpenedAt).not.toBeNull();
    });

    it('counts every open but keeps the first open time', async () => {
      const { deliveryId, logs } = await seedDelivery(app.strapi);
      await app
        .http()
        .get(openPath(app.strapi, deliveryId, logs[0].id))
        .set('User-Agent', UA.chromeWindows);
      const first = (await logOf(app.strapi, logs[0].id)).firstOpenedAt;
      await new Promise((resolve) => setTimeout(resolve, 20));
      await app
        .http()
        .get(openPath(app.strapi, deliveryId, logs[0].id))
        .set('User-Agent', UA.chromeWindows);
      await app
        .http()
        .get(openPath(app.strapi, deliveryId, logs[0].id))
        .set('User-Agent', UA.chromeWindows);

      const log = await logOf(app.strapi, logs[0].id);
      expect(log.opens).toBe(3);
      expect(log.firstOpenedAt).toBe(first);
      expect(await eventsOf(app.strapi, deliveryId)).toHaveLength(3);
    });

    it('flags an Apple Mail Privacy Protection prefetch as a machine open, and a Gmail proxy fetch as a real open', async () => {
      const { deliveryId, logs } = await seedDelivery(app.strapi);
      await app
        .http()
        .get(openPath(app.strapi, deliveryId, logs[0].id))
        .set('User-Agent', UA.applePrefetch);
      await app
        .http()
        .get(openPath(app.strapi, deliveryId, logs[1].id))
        .set('User-Agent', UA.gmailProxy);

      const events = await eventsOf(app.strapi, deliveryId);
      expect(events.find((e: any) => e.deliveryLogId === logs[0].id)).toMatchObject({
        isMachineOpen: true,
        isBot: false,
      });
      expect(events.find((e: any) => e.deliveryLogId === logs[1].id)).toMatchObject({
        isMachineOpen: false,
        isBot: false,
        client: 'Gmail',
      });
    });

    it('answers a HEAD request without recording an open', async () => {
      const { deliveryId, logs } = await seedDelivery(app.strapi);
      const res = await app.http().head(openPath(app.strapi, deliveryId, logs[0].id));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/gif');
      expect(await eventsOf(app.strapi, deliveryId)).toHaveLength(0);
    });

    it('answers but records nothing for a delivery whose opens are not tracked', async () => {
      const { deliveryId, logs } = await seedDelivery(app.strapi, { trackOpens: false });
      const res = await app.http().get(openPath(app.strapi, deliveryId, logs[0].id));
      expect(res.status).toBe(200);
      expect(await eventsOf(app.strapi, deliveryId)).toHaveLength(0);
    });
  });

  describe('click redirect', () => {
    it('redirects to the stored URL and records one click, which also counts as the first open', async () => {
      const { deliveryId, links, logs } = await seedDelivery(app.strapi);
      const res = await app
        .http()
        .get(clickPath(app.strapi, deliveryId, logs[0].id, links[1].id))
        .set('User-Agent', UA.chromeWindows);

      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(links[1].url);
      expect(res.headers['cache-control']).toContain('no-store');
      expect(res.headers['referrer-policy']).toBe('no-referrer');

      const events = await eventsOf(app.strapi, deliveryId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'click',
        trackedLinkId: links[1].id,
        deliveryLogId: logs[0].id,
        device: 'desktop',
        isBot: false,
      });

      const log = await logOf(app.strapi, logs[0].id);
      // A click implies an open: the unique open is set, but no open event is invented.
      expect(log).toMatchObject({ clicks: 1, opens: 0 });
      expect(log.firstClickedAt).not.toBeNull();
      expect(log.firstOpenedAt).toBe(log.firstClickedAt);
    });

    it('flags a click that arrives seconds after sending as a link scanner', async () => {
      const { deliveryId, links, logs } = await seedDelivery(app.strapi, { sentSecondsAgo: 1 });
      const res = await app
        .http()
        .get(clickPath(app.strapi, deliveryId, logs[0].id, links[0].id))
        .set('User-Agent', UA.chromeWindows);
      expect(res.status).toBe(302);
      expect((await eventsOf(app.strapi, deliveryId))[0]).toMatchObject({ type: 'click', isBot: true });
    });

    it('flags every click of a recipient who followed all links of the message at once', async () => {
      const { deliveryId, links, logs } = await seedDelivery(app.strapi, {
        links: ['https://a.example/1', 'https://a.example/2', 'https://a.example/3'],
      });
      for (const link of links) {
        await app
          .http()
          .get(clickPath(app.strapi, deliveryId, logs[0].id, link.id))
          .set('User-Agent', UA.chromeWindows);
      }
      const events = await eventsOf(app.strapi, deliveryId);
      expect(events.map((e: any) => e.isBot)).toEqual([true, true, true]);
    });

    it('answers 404 and records nothing when the link belongs to another delivery', async () => {
      const a = await seedDelivery(app.strapi);
      const b = await seedDelivery(app.strapi, { links: ['https://elsewhere.example/'] });
      const res = await app.http().get(clickPath(app.strapi, a.deliveryId, a.logs[0].id, b.links[0].id));
      expect(res.status).toBe(404);
      expect(res.headers.location).toBeUndefined();
      expect(await eventsOf(app.strapi, a.deliveryId)).toHaveLength(0);
      expect(await eventsOf(app.strapi, b.deliveryId)).toHaveLength(0);
    });

    it('never redirects anywhere a query string or header asks for', async () => {
      const { deliveryId, links, logs } = await seedDelivery(app.strapi);
      const res = await app
        .http()
        .get(
          `${clickPath(app.strapi, deliveryId, logs[0].id, links[0].id)}?url=https://evil.example/&redirect=https://evil.example/`,
        )
        .set('Referer', 'https://evil.example/')
        .set('X-Forwarded-Host', 'evil.example');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(links[0].url);
    });
  });

  describe('when recording fails', () => {
    it('still answers the pixel and the redirect, and logs the failure', async () => {
      const { deliveryId, links, logs } = await seedDelivery(app.strapi);
      const knex = app.strapi.db.connection;
      const errors: string[] = [];
      const logError = jest
        .spyOn(app.strapi.log, 'error')
        .mockImplementation(((message: string) => errors.push(String(message))) as any);
      await knex.schema.renameTable('campaigns_tracking_logs', 'campaigns_tracking_logs_away');
      try {
        const open = await app.http().get(openPath(app.strapi, deliveryId, logs[0].id));
        const click = await app.http().get(clickPath(app.strapi, deliveryId, logs[0].id, links[0].id));
        expect(open.status).toBe(200);
        expect(open.headers['content-type']).toBe('image/gif');
        expect(click.status).toBe(302);
        expect(click.headers.location).toBe(links[0].url);
      } finally {
        await knex.schema.renameTable('campaigns_tracking_logs_away', 'campaigns_tracking_logs');
        logError.mockRestore();
      }
      expect(errors.some((message) => message.includes('could not record'))).toBe(true);
      // Nothing half-written: the counters moved only with their events.
      expect(await logOf(app.strapi, logs[0].id)).toMatchObject({ opens: 0, clicks: 0, firstOpenedAt: null });

      // And recording resumes once the database is back.
      await app.http().get(openPath(app.strapi, deliveryId, logs[0].id));
      expect(await eventsOf(app.strapi, deliveryId)).toHaveLength(1);
    });
  });

  describe('bad and test tokens', () => {
    it('answers a plain 404 and records nothing for forged, tampered and wrong-kind tokens', async () => {
      const { deliveryId, links, logs } = await seedDelivery(app.strapi);
      const good = sign(app.strapi, {
        kind: 'click',
        deliveryId,
        deliveryLogId: logs[0].id,
        trackedLinkId: links[0].id,
      });
      const tampered = good.slice(0, 5) + (good[5] === 'A' ? 'B' : 'A') + good.slice(6);
      const openToken = sign(app.strapi, { kind: 'open', deliveryId, deliveryLogId: logs[0].id });
      const paths = [
        `/api/campaigns/c/${tampered}`,
        `/api/campaigns/c/${good.slice(0, -2)}`,
        `/api/campaigns/c/${openToken}`, // an open token is not a click token
        `/api/campaigns/o/${good}`, // nor the reverse
        '/api/campaigns/o/AAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        '/api/campaigns/c/',
        `/api/campaigns/c/${good}/extra`,
      ];
      for (const path of paths) {
        const res = await app.http().get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
        expect(res.headers['content-type']).toContain('text/plain');
        expect(res.headers.location).toBeUndefined();
      }
      expect(await eventsOf(app.strapi, deliveryId)).toHaveLength(0);
    });

    it('answers test-send tokens normally and records nothing', async () => {
      const { deliveryId, links } = await seedDelivery(app.strapi);
      const open = await app.http().get(openPath(app.strapi, deliveryId, 0));
      const click = await app.http().get(clickPath(app.strapi, deliveryId, 0, links[0].id));
      const page = await app.http().get(unsubscribePath(app.strapi, deliveryId, 0));
      const oneClick = await app
        .http()
        .post(unsubscribePath(app.strapi, deliveryId, 0))
        .type('form')
        .send('List-Unsubscribe=One-Click');
      expect([open.status, click.status, page.status, oneClick.status]).toEqual([200, 302, 200, 200]);
      expect(click.headers.location).toBe(links[0].url);
      expect(await eventsOf(app.strapi, deliveryId)).toHaveLength(0);
    });
  });

  describe('unsubscribe', () => {
    it('shows a confirmation page on GET and changes nothing', async () => {
      const { deliveryId, logs } = await seedDelivery(app.strapi);
      const res = await app.http().get(unsubscribePath(app.strapi, deliveryId, logs[0].id));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['content-security-policy']).not.toContain('script-src');
      expect(res.text).toContain('Unsubscribe?');
      expect(res.text).toContain(logs[0].email);
      expect(res.text).toContain('name="action" value="unsubscribe"');
      expect(res.text).not.toContain('<script');
      expect((await contactOf(app.strapi, logs[0].contactId)).status).toBe('subscribed');
      expect(await eventsOf(app.strapi, deliveryId)).toHaveLength(0);
    });

    it('unsubscribes at once on a one-click POST: contact, delivery log and one event written together', async () => {
      const { deliveryId, logs } = await seedDelivery(app.strapi);
      const path = unsubscribePath(app.strapi, deliveryId, logs[0].id);
      const res = await app.http().post(path).type('form').send('List-Unsubscribe=One-Click');
      expect(res.status).toBe(200);

      const contact = await contactOf(app.strapi, logs[0].contactId);
      expect(contact.status).toBe('unsubscribed');
      expect(contact.statusReason).toContain('one-click');
      const log = await logOf(app.strapi, logs[0].id);
      expect(log.unsubscribedAt).not.toBeNull();
      expect(log.firstOpenedAt).not.toBeNull(); // an unsubscription proves an open
      const events = await eventsOf(app.strapi, deliveryId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'unsubscribe', deliveryLogId: logs[0].id, contactId: logs[0].contactId });

      // Mail providers may send the POST twice: nothing more is written.
      expect((await app.http().post(path).type('form').send('List-Unsubscribe=One-Click')).status).toBe(200);
      expect(await eventsOf(app.strapi, deliveryId)).toHaveLength(1);
    });

    it('offers to resubscribe after unsubscribing, and resubscribes from the form', async () => {
      const { deliveryId, logs } = await seedDelivery(app.strapi);
      const path = unsubscribePath(app.strapi, deliveryId, logs[1].id);
      const unsubscribed = await app.http().post(path).type('form').send({ action: 'unsubscribe' });
      expect(unsubscribed.text).toContain('You are unsubscribed');
      expect(unsubscribed.text).toContain('value="resubscribe"');
      expect((await contactOf(app.strapi, logs[1].contactId)).statusReason).toBe('unsubscribe page');

      const page = await app.http().get(path);
      expect(page.text).toContain('value="resubscribe"');

      const resubscribed = await app.http().post(path).type('form').send({ action: 'resubscribe' });
      expect(resubscribed.status).toBe(200);
      expect(resubscribed.text).toContain('You are subscribed again');
      expect((await contactOf(app.strapi, logs[1].contactId)).status).toBe('subscribed');
      // The unsubscription happened and stays counted.
      expect((await logOf(app.strapi, logs[1].id)).unsubscribedAt).not.toBeNull();
    });

    it("speaks the contact's language and escapes what it shows", async () => {
      const { deliveryId, logs } = await seedDelivery(app.strapi, { locale: 'fr-CA' });
      await app.strapi.db
        .query(UID.deliveryLog)
        .update({ where: { id: logs[0].id }, data: { email: 'a<b>"c"@x.test' } });
      await app.strapi.db
        .query(UID.contact)
        .update({ where: { id: logs[0].contactId }, data: { email: 'a<b>"c"@x.test' } });
      const res = await app.http().get(unsubscribePath(app.strapi, deliveryId, logs[0].id));
      expect(res.text).toContain('<html lang="fr">');
      expect(res.text).toContain('Se désabonner');
      expect(res.text).toContain('a&lt;b&gt;&quot;c&quot;@x.test');
      expect(res.text).not.toContain('a<b>');
    });

    it('answers 404 for an unsubscribe token of a message that does not exist', async () => {
      const res = await app.http().get(unsubscribePath(app.strapi, 999999, 999999));
      expect(res.status).toBe(404);
    });
  });

  describe('mirror page', () => {
    const compiledHtml =
      '<html><body><p>Hello {{firstName}}</p><a href="{{__link.0}}">Read</a>' +
      '<a href="{{unsubscribeUrl}}">Unsubscribe</a><script>alert(1)</script>' +
      '<img src="{{__open}}" width="1" height="1" alt=""></body></html>';

    it('renders the message as the recipient got it, forbids scripts and records a mirror view', async () => {
      const { deliveryId, links, logs } = await seedDelivery(app.strapi, { compiledHtml });
      const res = await app
        .http()
        .get(mirrorPath(app.strapi, deliveryId, logs[0].id))
        .set('User-Agent', UA.chromeWindows);

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("script-src 'none'");
      expect(csp).toContain('sandbox');
      expect(res.text).toContain('Hello Reader0');
      // Links go through the click route, and the pixel is not loaded again from the mirror.
      expect(res.text).toMatch(/href="http[^"]*\/api\/campaigns\/c\/[A-Za-z0-9_-]+"/);
      expect(res.text).not.toContain('/api/campaigns/o/');
      expect(res.text).not.toContain(links[0].url);

      const events = await eventsOf(app.strapi, deliveryId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'mirror', deliveryLogId: logs[0].id });
      expect((await logOf(app.strapi, logs[0].id)).firstOpenedAt).not.toBeNull();
    });

    it('answers 404 for a delivery that was never prepared', async () => {
      const { deliveryId, logs } = await seedDelivery(app.strapi);
      expect((await app.http().get(mirrorPath(app.strapi, deliveryId, logs[0].id))).status).toBe(404);
      expect(await eventsOf(app.strapi, deliveryId)).toHaveLength(0);
    });
  });
});

describe('tracking with privacy options', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp({
      pluginConfig: { tracking: { storeIp: true, anonymizeIp: true, individualTracking: false } },
    });
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('stores anonymised addresses and no link to the recipient, and leaves the delivery log untouched', async () => {
    const { deliveryId, links, logs } = await seedDelivery(app.strapi);
    await app
      .http()
      .get(openPath(app.strapi, deliveryId, logs[0].id))
      .set('User-Agent', UA.chromeWindows);
    await app
      .http()
      .get(clickPath(app.strapi, deliveryId, logs[0].id, links[0].id))
      .set('User-Agent', UA.chromeWindows);

    const events = await eventsOf(app.strapi, deliveryId);
    expect(events.map((e: any) => e.type).sort()).toEqual(['click', 'open']);
    for (const event of events) {
      expect(event).toMatchObject({ deliveryId, deliveryLogId: null, contactId: null, ip: '127.0.0.0' });
    }
    // Counts per delivery and per link remain; per-recipient engagement is not kept.
    expect(events.find((e: any) => e.type === 'click').trackedLinkId).toBe(links[0].id);
    const log = await logOf(app.strapi, logs[0].id);
    expect(log).toMatchObject({ opens: 0, clicks: 0, firstOpenedAt: null, firstClickedAt: null });
  });

  it('still unsubscribes the contact, with an event that names no one', async () => {
    const { deliveryId, logs } = await seedDelivery(app.strapi);
    await app
      .http()
      .post(unsubscribePath(app.strapi, deliveryId, logs[0].id))
      .type('form')
      .send('List-Unsubscribe=One-Click');
    expect((await contactOf(app.strapi, logs[0].contactId)).status).toBe('unsubscribed');
    const events = await eventsOf(app.strapi, deliveryId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'unsubscribe', deliveryLogId: null, contactId: null });
  });
});

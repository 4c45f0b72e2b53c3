// The public sign-up route with double opt-in, on a real Strapi, a real database and a real SMTP server: what a
// person signing up gets (the answer, the confirmation email, the pages of its link) and what is stored (the contact,
// its lists, the consent records with their proof). Bad input is refused with a reason and writes nothing.
import { UID } from '../../shared/constants';
import { CAMPAIGNS_EVENTS } from '../../shared/contracts/events';
import { contactListsJoin } from '../../server/src/db/join-tables';
import { getConfirmTokenSigner } from '../../server/src/platform/confirm-token-signer';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type ParsedMessage, type TestSmtpServer } from '../helpers/smtp-server';
import { allLogs, api, createContacts, createDelivery, rawHeader, waitForStatus } from '../helpers/campaigns';

const PUBLIC_URL = 'http://news.example.test';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

describe('public sign-up with double opt-in', () => {
  let app: TestApp;
  let smtp: TestSmtpServer;
  let token: string;
  const lists: Record<'news' | 'offers' | 'staff', { documentId: string; id: number }> = {} as never;
  type Payload = { email: string; lists: string[]; pendingLists?: string[] };
  const events: Array<{ name: string; payload: Payload }> = [];

  const subscribe = (body: unknown) =>
    app
      .http()
      .post('/api/campaigns/subscribe')
      .set('User-Agent', BROWSER)
      .send(body as object);

  /** Rows that a sign-up could write: any change means something was written. */
  const counts = async () => {
    const join = contactListsJoin(app.strapi);
    const [{ count: members }] = await app.strapi.db.connection(join.table).count({ count: '*' });
    return {
      contacts: await app.strapi.db.query(UID.contact).count({}),
      consents: await app.strapi.db.query(UID.consent).count({}),
      suppressions: await app.strapi.db.query(UID.suppression).count({}),
      members: Number(members),
    };
  };

  const contactByEmail = (email: string) =>
    app.strapi.db.query(UID.contact).findOne({ where: { email }, populate: { lists: { select: ['id', 'name'] } } });
  const consentsOf = (contactId: number) =>
    app.strapi.db.query(UID.consent).findMany({ where: { contact: { id: contactId } }, orderBy: { id: 'asc' } });

  const confirmationsTo = (email: string): ParsedMessage[] =>
    smtp.messages.filter((m) => m.envelopeTo.includes(email) && rawHeader(m, 'X-Campaigns-Confirmation') === '1');
  const waitForConfirmation = async (email: string, count = 1): Promise<ParsedMessage> => {
    const deadline = Date.now() + 15_000;
    while (confirmationsTo(email).length < count) {
      if (Date.now() > deadline) throw new Error(`no confirmation email to ${email}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return confirmationsTo(email)[count - 1];
  };
  /** The path of the confirmation link in a message's text part. */
  const confirmPath = (message: ParsedMessage) => {
    const match = /https?:\/\/[^\s]+\/api\/campaigns\/confirm\/[A-Za-z0-9_-]+/.exec(message.text ?? '');
    if (!match) throw new Error(`no confirmation link in: ${message.text}`);
    return new URL(match[0]).pathname;
  };

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    app = await bootTestApp({
      pluginConfig: {
        publicUrl: PUBLIC_URL,
        smtp: { host: smtp.host, port: smtp.port, pool: 1, threads: 0 },
        defaultFrom: { name: 'Acme News', email: 'news@acme.example.test' },
        subscribe: {
          attributes: ['company'],
          rateLimit: { perIp: { max: 1000, windowSeconds: 600 }, perAddress: { max: 3, windowSeconds: 3600 } },
        },
      },
    });
    token = await app.superAdminToken();
    const campaigns = app.strapi.plugin('campaigns').service('api');
    const names = [CAMPAIGNS_EVENTS.contactSubscribed, CAMPAIGNS_EVENTS.contactConfirmed];
    campaigns.events.subscribe(names, (payload: Payload, name: string) => events.push({ name, payload }));
    const create = async (name: string, flags: Record<string, boolean>) => {
      const res = await api(app, token).post('/lists', { name, ...flags });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({
        name,
        public: Boolean(flags.public),
        doubleOptIn: Boolean(flags.doubleOptIn),
      });
      return { documentId: res.body.data.documentId as string, id: Number(res.body.data.id) };
    };
    lists.news = await create('Weekly news', { public: true, doubleOptIn: true });
    lists.offers = await create('Offers', { public: true, doubleOptIn: false });
    lists.staff = await create('Staff only', { public: false });
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  it('signs up, mails a confirmation, and subscribes once the person confirms, with the proof kept', async () => {
    const res = await subscribe({
      email: ' Ada@Example.test ',
      firstName: 'Ada',
      lists: [lists.news.documentId],
      locale: 'fr',
      attributes: { company: 'Acme' },
      source: 'https://www.example.test/newsletter',
      consentText: 'Yes, send me the weekly news.',
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ data: { accepted: true } });

    // Unconfirmed, and not in the double opt-in list yet.
    let contact = await contactByEmail('ada@example.test');
    expect(contact).toMatchObject({ status: 'unconfirmed', firstName: 'Ada', locale: 'fr' });
    expect(contact.attributes).toEqual({ company: 'Acme' });
    expect(contact.lists).toEqual([]);
    const [signUp] = await consentsOf(contact.id);
    expect(signUp).toMatchObject({
      action: 'subscribe',
      source: 'https://www.example.test/newsletter',
      wording: 'Yes, send me the weekly news.',
      locale: 'fr',
      userAgent: BROWSER,
      confirmedAt: null,
    });
    expect(signUp.ip).toMatch(/127\.0\.0\.1/);
    expect(signUp.lists).toEqual([{ ...lists.news, name: 'Weekly news', doubleOptIn: true }]);

    // The confirmation email, in the sign-up's language, from the plugin's sender.
    const message = await waitForConfirmation('ada@example.test');
    expect(message.subject).toBe('Merci de confirmer votre abonnement');
    expect(message.from?.value[0]).toMatchObject({ name: 'Acme News', address: 'news@acme.example.test' });
    expect(message.html).toContain('Weekly news');
    const path = confirmPath(message);
    expect(message.text).toContain(`${PUBLIC_URL}${path}`);

    // GET only shows the button: a link scanner changes nothing.
    const before = await counts();
    const page = await app.http().get(path).set('User-Agent', BROWSER);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Confirmez votre abonnement');
    expect(page.text).toContain(`<form method="post" action="${path}">`);
    expect(await counts()).toEqual(before);
    expect((await contactByEmail('ada@example.test')).status).toBe('unconfirmed');

    const confirmed = await app.http().post(path).set('User-Agent', BROWSER);
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Votre abonnement est confirmé');
    contact = await contactByEmail('ada@example.test');
    expect(contact.status).toBe('subscribed');
    expect(contact.lists.map((list: { id: number }) => list.id)).toEqual([lists.news.id]);
    const records = await consentsOf(contact.id);
    expect(records.map((record: { action: string }) => record.action)).toEqual(['subscribe', 'confirm']);
    expect(records[0].confirmedAt).not.toBeNull();
    expect(records[1]).toMatchObject({
      source: 'https://www.example.test/newsletter',
      wording: 'Yes, send me the weekly news.',
      locale: 'fr',
      userAgent: BROWSER,
    });
    expect(records[1].ip).toMatch(/127\.0\.0\.1/);
    expect(new Date(records[1].occurredAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    // Both steps announced as events, once committed.
    await app.strapi.plugin('campaigns').service('events').settled();
    const ada = events.filter((event) => event.payload.email === 'ada@example.test');
    expect(ada).toEqual([
      {
        name: 'campaigns.contact.subscribed',
        payload: expect.objectContaining({ lists: [], pendingLists: [lists.news.documentId] }),
      },
      { name: 'campaigns.contact.confirmed', payload: expect.objectContaining({ lists: [lists.news.documentId] }) },
    ]);

    // Replayed: "already confirmed", nothing more written.
    const afterConfirm = await counts();
    const replay = await app.http().post(path);
    expect(replay.status).toBe(200);
    expect(replay.text).toContain('Déjà confirmé');
    expect(await counts()).toEqual(afterConfirm);
    await app.strapi.plugin('campaigns').service('events').settled();
    expect(events.filter((event) => event.payload.email === 'ada@example.test')).toHaveLength(2);
  });

  it('joins lists without double opt-in at once, and never mails an unconfirmed contact', async () => {
    const res = await subscribe({ email: 'bob@example.test', lists: [lists.news.id, lists.offers.documentId] });
    expect(res.status).toBe(202);
    const bob = await contactByEmail('bob@example.test');
    expect(bob.status).toBe('unconfirmed');
    expect(bob.lists.map((list: { id: number }) => list.id)).toEqual([lists.offers.id]);
    await waitForConfirmation('bob@example.test');

    await createContacts(app, token, [{ email: 'carol@example.test' }], [lists.offers.documentId]);
    const delivery = await createDelivery(app, token, {
      name: 'Offers of the week',
      subject: 'Offers',
      fromName: 'Acme',
      fromEmail: 'news@acme.example.test',
      html: '<p>Hello</p>',
      lists: [lists.offers.documentId],
    });
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/send`)).status).toBe(200);
    await waitForStatus(app, token, delivery.documentId, ['sent']);
    const sent = smtp.messages.filter((m) => rawHeader(m, 'X-Campaigns-Delivery') === delivery.documentId);
    expect(sent.flatMap((m) => m.envelopeTo)).toEqual(['carol@example.test']);
    const logs = await allLogs(app, token, delivery.documentId);
    expect(logs.find((log: { email: string }) => log.email === 'bob@example.test')).toMatchObject({
      status: 'excluded',
      exclusionReason: 'unconfirmed',
    });
  });

  it('answers the same for a new, a subscribed, an unconfirmed and a suppressed address', async () => {
    await createContacts(app, token, [{ email: 'dan@example.test' }], [lists.offers.documentId]);
    await api(app, token).post('/suppressions', { emails: ['eve@example.test'] });
    const answers: Array<{ status: number; body: unknown; type: string }> = [];
    for (const email of ['new@example.test', 'dan@example.test', 'bob@example.test', 'eve@example.test']) {
      const res = await subscribe({ email, lists: [lists.news.documentId] });
      answers.push({ status: res.status, body: res.body, type: res.headers['content-type'] });
    }
    expect(answers.every((answer) => JSON.stringify(answer) === JSON.stringify(answers[0]))).toBe(true);
    expect(answers[0].status).toBe(202);

    // The suppressed address got nothing written and no email.
    expect(await contactByEmail('eve@example.test')).toBeNull();
    await waitForConfirmation('new@example.test');
    expect(confirmationsTo('eve@example.test')).toHaveLength(0);
    // A subscribed contact keeps its status while the new list waits for its confirmation.
    expect((await contactByEmail('dan@example.test')).status).toBe('subscribed');
  });

  it('takes a plain HTML form post from another site and answers with a page', async () => {
    const res = await app
      .http()
      .post('/api/campaigns/subscribe')
      .set('Origin', 'https://www.elsewhere.example')
      .type('form')
      .send(`email=jo%40example.test&lists=${lists.offers.documentId}&locale=de&attributes%5Bcompany%5D=Jo%20GmbH`);
    expect(res.status).toBe(202);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('Vielen Dank');
    const jo = await contactByEmail('jo@example.test');
    expect(jo).toMatchObject({ status: 'subscribed', locale: 'de', attributes: { company: 'Jo GmbH' } });
    expect(jo.lists.map((list: { id: number }) => list.id)).toEqual([lists.offers.id]);

    const bad = await app.http().post('/api/campaigns/subscribe').type('form').send('email=nope&lists=x1');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Your sign-up could not be sent');
  });

  it('brings a person who unsubscribed back only through their own confirmation', async () => {
    await createContacts(app, token, [{ email: 'fay@example.test' }], []);
    // As the unsubscribe link does: the contact unsubscribed, the address suppressed as unsubscribed.
    await app.strapi.plugin('campaigns').service('api').contacts.unsubscribe('fay@example.test');
    const res = await subscribe({ email: 'fay@example.test', lists: [lists.offers.documentId] });
    expect(res.status).toBe(202);
    let fay = await contactByEmail('fay@example.test');
    expect(fay.status).toBe('unsubscribed');
    expect(fay.lists).toEqual([]);
    const path = confirmPath(await waitForConfirmation('fay@example.test'));
    expect((await app.http().post(path)).status).toBe(200);
    fay = await contactByEmail('fay@example.test');
    expect(fay.status).toBe('subscribed');
    expect(fay.lists.map((list: { id: number }) => list.id)).toEqual([lists.offers.id]);
    expect(await app.strapi.db.query(UID.suppression).count({ where: { email: 'fay@example.test' } })).toBe(0);
  });

  describe('refused with a reason, writing nothing', () => {
    const refused = async (
      send: () => Promise<{ status: number; body: { error?: { message: string } }; text: string }>,
      status: number,
      reason: RegExp,
    ) => {
      const before = await counts();
      const mails = smtp.messages.length;
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body?.error?.message ?? res.text).toMatch(reason);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await counts()).toEqual(before);
      expect(smtp.messages.length).toBe(mails);
    };

    it('a malformed address', () =>
      refused(() => subscribe({ email: 'not-an-address', lists: [lists.news.documentId] }), 400, /Invalid email/));

    it('a list that is not public, or does not exist', async () => {
      await refused(() => subscribe({ email: 'x@example.test', lists: [lists.staff.documentId] }), 400, /not open/);
      await refused(() => subscribe({ email: 'x@example.test', lists: [lists.offers.id, 999_999] }), 400, /not open/);
    });

    it('an attribute the settings do not accept, or an unknown field', async () => {
      await refused(
        () => subscribe({ email: 'x@example.test', lists: [lists.offers.id], attributes: { vip: true } }),
        400,
        /not accepted.*vip/,
      );
      await refused(
        () => subscribe({ email: 'x@example.test', lists: [lists.offers.id], status: 'x' }),
        400,
        /unknown/,
      );
    });

    it('too many fields, or a body too large (10,000 fields, 1 MB)', async () => {
      const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, 1]));
      await refused(
        () => subscribe({ email: 'x@example.test', lists: [lists.offers.id], ...many }),
        400,
        /Too many fields/,
      );
      const tenThousand = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`f${i}`, 1]));
      await refused(() => subscribe({ email: 'x@example.test', ...tenThousand }), 413, /too large/i);
      await refused(
        () => subscribe({ email: 'x@example.test', lists: [lists.offers.id], source: 'x'.repeat(1024 * 1024) }),
        413,
        /too large/i,
      );
    });

    it('a sign-up the registered verifier (a CAPTCHA) refuses', async () => {
      const seen: Array<{ body: Record<string, unknown>; ip: string }> = [];
      app.strapi
        .plugin('campaigns')
        .service('api')
        .subscriptions.verifyWith((input: (typeof seen)[number]) => {
          seen.push(input);
          return input.body['cf-turnstile-response'] === 'good';
        });
      try {
        await refused(
          () => subscribe({ email: 'kim@example.test', lists: [lists.offers.id], 'cf-turnstile-response': 'bad' }),
          400,
          /CAPTCHA/,
        );
        expect(seen[0].ip).toMatch(/127\.0\.0\.1/);
        const res = await subscribe({
          email: 'kim@example.test',
          lists: [lists.offers.id],
          'cf-turnstile-response': 'good',
        });
        expect(res.status).toBe(202);
      } finally {
        app.strapi.plugin('campaigns').service('api').subscriptions.verifyWith(null);
      }
    });

    it('a confirmation link with a wrong signature (404), expired (410), or for nothing (404)', async () => {
      await subscribe({ email: 'gus@example.test', lists: [lists.news.documentId] });
      const path = confirmPath(await waitForConfirmation('gus@example.test'));
      const good = path.split('/').pop()!;
      const tampered = `${good.slice(0, -2)}${good.endsWith('AA') ? 'BA' : 'AA'}`;
      await refused(() => app.http().post(`/api/campaigns/confirm/${tampered}`), 404, /Not found/);
      await refused(() => app.http().get(`/api/campaigns/confirm/${tampered}`), 404, /Not found/);

      const signer = getConfirmTokenSigner(app.strapi);
      const { consentId } = signer.verify(good)!;
      const old = signer.sign({ consentId, issuedAt: Math.floor(Date.now() / 1000) - 8 * 24 * 3600 });
      await refused(() => app.http().post(`/api/campaigns/confirm/${old}`), 410, /This link has expired/);
      const nothing = signer.sign({ consentId: 999_999, issuedAt: Math.floor(Date.now() / 1000) });
      await refused(() => app.http().post(`/api/campaigns/confirm/${nothing}`), 404, /Not found/);
      expect((await contactByEmail('gus@example.test')).status).toBe('unconfirmed');
    });
  });

  it('takes concurrent sign-ups of one new address as one contact', async () => {
    const answers = await Promise.all(
      [0, 1, 2].map(() => subscribe({ email: 'twin@example.test', lists: [lists.offers.documentId] })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    expect(await app.strapi.db.query(UID.contact).count({ where: { email: 'twin@example.test' } })).toBe(1);
    const twin = await contactByEmail('twin@example.test');
    expect(twin.lists.map((list: { id: number }) => list.id)).toEqual([lists.offers.id]);
    expect(await consentsOf(twin.id)).toHaveLength(3);
  });

  it('limits sign-ups per address and per IP, with 429 and Retry-After', async () => {
    // Three per address per hour (the config above): the fourth is refused, and the address got three emails at most.
    for (let i = 0; i < 3; i += 1) {
      expect((await subscribe({ email: 'hal@example.test', lists: [lists.news.documentId] })).status).toBe(202);
    }
    const limited = await subscribe({ email: 'hal@example.test', lists: [lists.news.documentId] });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3500);
    expect(limited.body.error.message).toMatch(/Too many sign-ups/);

    // The per-IP window, lowered in the settings: every request of this IP counts, whatever the address.
    const saved = await api(app, token).put('/settings', {
      subscribe: { rateLimit: { perIp: { max: 1, windowSeconds: 60 } } },
    });
    expect(saved.status).toBe(200);
    const res = await subscribe({ email: 'ivy@example.test', lists: [lists.news.documentId] });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(await contactByEmail('ivy@example.test')).toBeNull();
  });
});

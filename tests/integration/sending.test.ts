// Sending a delivery for real: audience resolved into logs, one personalised message per eligible recipient at a
// real SMTP server, tracking links and headers, test sends, pause / resume / cancel and retry of failed recipients.
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { startTestSmtpServer, type ParsedMessage, type SmtpFault, type TestSmtpServer } from '../helpers/smtp-server';
import {
  allLogs,
  api,
  createContacts,
  createDelivery,
  createList,
  rawHeader,
  waitForStatus,
  type ContactSeed,
} from '../helpers/campaigns';
import { UID } from '../../shared/constants';
import { contactListsJoin } from '../../server/src/db/join-tables';
import { createDocumentId } from '../../server/src/platform/document-id';

const PUBLIC_URL = 'https://news.example.test';
const HTML = `<h1>Hello {{firstName}} {{lastName}}</h1>
<p>Your plan: <b>{{attributes.plan}}</b></p>
<p><a href="https://shop.example.test/offer?utm=spring&amp;x=1">See the offer</a></p>
<p><a href="https://shop.example.test/legal" data-track="false">Legal notice</a></p>
<p><a href="mailto:help@news.example.test">Write to us</a> or <a href="#top">back to top</a></p>`;

describe('sending a delivery through a real SMTP server', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let token: string;
  let main: string;
  let second: string;
  const faults = new Map<string, (attempt: number) => SmtpFault>();

  const subscribed: ContactSeed[] = Array.from({ length: 40 }, (_, i) => ({
    email: `reader${i}@example.test`,
    firstName: `Reader${i}`,
    lastName: `Family${i}`,
    attributes: { plan: i % 2 ? 'pro' : 'free' },
  }));
  const onlySecond: ContactSeed[] = Array.from({ length: 5 }, (_, i) => ({
    email: `second${i}@example.test`,
    firstName: `Second${i}`,
  }));
  const eligible = [...subscribed, ...onlySecond].map((c) => c.email);

  const messagesOf = (documentId: string) =>
    smtp.messages.filter((m) => rawHeader(m, 'X-Campaigns-Delivery') === documentId);

  beforeAll(async () => {
    smtp = await startTestSmtpServer({ faults: (rcpt, attempt) => faults.get(rcpt)?.(attempt) ?? null });
    app = await bootTestApp({
      pluginConfig: {
        publicUrl: PUBLIC_URL,
        smtp: { host: smtp.host, port: smtp.port, pool: 3 },
        sending: { batchSize: 20, retryBaseMs: 50, maxAttempts: 2, largeDeliveryThreshold: 30, staggerMinutes: 5 },
        listUnsubscribeMailto: 'unsubscribe@news.example.test',
      },
    });
    token = await app.superAdminToken();
    main = await createList(app, token, 'Main');
    second = await createList(app, token, 'Second');
    await createContacts(app, token, subscribed, [main]);
    await createContacts(app, token, onlySecond, [second]);
    // Five readers are in both lists: each gets one message, the second membership is a logged duplicate.
    for (const email of subscribed.slice(0, 5).map((c) => c.email)) {
      const found = await api(app, token).get(`/contacts?search=${encodeURIComponent(email)}`);
      await api(app, token).put(`/contacts/${found.body.data[0].documentId}`, { lists: [main, second] });
    }
    await createContacts(
      app,
      token,
      [
        { email: 'gone1@example.test', status: 'unsubscribed' },
        { email: 'gone2@example.test', status: 'unsubscribed' },
        { email: 'bounced1@example.test', status: 'quarantined' },
        { email: 'bounced2@example.test', status: 'quarantined' },
      ],
      [main],
    );
    // An address that an older import let in: the audience logs it as invalid rather than sending to it.
    const strapi = app.strapi;
    const [mainList] = await strapi.db.query(UID.list).findMany({ where: { documentId: main } });
    const invalid = await strapi.db.query(UID.contact).create({
      data: { documentId: createDocumentId(), email: 'broken@@example', status: 'subscribed', publishedAt: new Date() },
    });
    const join = contactListsJoin(strapi);
    await strapi.db.connection(join.table).insert({ [join.contactColumn]: invalid.id, [join.listColumn]: mainList.id });
  });

  afterAll(async () => {
    await app?.destroy();
    await smtp?.close();
  });

  describe('a delivery to two overlapping lists', () => {
    let delivery: { documentId: string; id: number };
    let received: ParsedMessage[];
    let logs: any[];

    beforeAll(async () => {
      delivery = await createDelivery(app, token, {
        name: 'Spring offers',
        subject: 'Hello {{firstName}}, spring is here',
        fromName: 'Acme News',
        fromEmail: 'news@acme.example.test',
        html: HTML,
        lists: [main, second],
      });
      const sent = await api(app, token).post(`/deliveries/${delivery.documentId}/send`);
      expect(sent.status).toBe(200);
      await waitForStatus(app, token, delivery.documentId, ['sent']);
      received = messagesOf(delivery.documentId);
      logs = await allLogs(app, token, delivery.documentId);
    });

    it('sends exactly one message to each eligible recipient and none to anyone else', () => {
      const recipients = received.flatMap((m) => m.envelopeTo);
      expect(recipients.sort()).toEqual([...eligible].sort());
    });

    it('personalises subject and body for each recipient, HTML-escaped', () => {
      const ada = received.find((m) => m.envelopeTo[0] === 'reader3@example.test')!;
      expect(ada.subject).toBe('Hello Reader3, spring is here');
      expect(ada.html).toContain('Hello Reader3 Family3');
      expect(ada.html).toContain('<b>pro</b>');
      expect(ada.from?.value[0]).toMatchObject({ name: 'Acme News', address: 'news@acme.example.test' });
    });

    it('rewrites tracked links to the click route and leaves untracked, mailto and anchor links alone', () => {
      const html = received[0].html as string;
      const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
      expect(hrefs.filter((h) => h.startsWith(`${PUBLIC_URL}/api/campaigns/c/`))).toHaveLength(1);
      expect(html).not.toContain('https://shop.example.test/offer');
      expect(hrefs).toEqual(
        expect.arrayContaining(['https://shop.example.test/legal', 'mailto:help@news.example.test', '#top']),
      );
    });

    it('adds the open pixel and a footer with unsubscribe and mirror links', () => {
      const html = received[0].html as string;
      expect(html).toMatch(new RegExp(`<img src="${PUBLIC_URL}/api/campaigns/o/[A-Za-z0-9_-]+"`));
      expect(html).toMatch(new RegExp(`href="${PUBLIC_URL}/api/campaigns/u/[A-Za-z0-9_-]+"`));
      expect(html).toMatch(new RegExp(`href="${PUBLIC_URL}/api/campaigns/m/[A-Za-z0-9_-]+"`));
    });

    it('derives a text part from the HTML, with the unsubscribe URL', () => {
      const message = received.find((m) => m.envelopeTo[0] === 'reader4@example.test')!;
      // html-to-text writes headings in capitals; the personalised values come through as they are.
      expect(message.text).toContain('HELLO Reader4 Family4');
      expect(message.text).toContain('Your plan: free');
      expect(message.text).toMatch(new RegExp(`${PUBLIC_URL}/api/campaigns/u/`));
      expect(message.text).not.toContain('<b>');
    });

    it('carries List-Unsubscribe (one-click URL and mailto), List-Unsubscribe-Post and the delivery header', () => {
      const message = received[0];
      const unsubscribeUrl = (message.html as string).match(
        new RegExp(`href="(${PUBLIC_URL}/api/campaigns/u/[^"]+)"`),
      )![1];
      expect(rawHeader(message, 'List-Unsubscribe')).toBe(
        `<${unsubscribeUrl}>, <mailto:unsubscribe@news.example.test?subject=unsubscribe>`,
      );
      expect(rawHeader(message, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(rawHeader(message, 'X-Campaigns-Delivery')).toBe(delivery.documentId);
    });

    it('stores on each log the Message-ID its message carried', () => {
      const byEmail = new Map(logs.filter((log) => log.status === 'sent').map((log) => [log.email, log]));
      for (const message of received) {
        const log = byEmail.get(message.envelopeTo[0]);
        expect(log).toMatchObject({ status: 'sent', messageId: message.messageId, attempts: 1 });
        expect(message.messageId).toMatch(
          new RegExp(`^<${delivery.id}\\.${log.id}\\.[0-9a-f]+@acme\\.example\\.test>$`),
        );
      }
      expect(new Set(received.map((m) => m.messageId)).size).toBe(received.length);
    });

    it('logs excluded recipients with their reason', () => {
      const excluded = logs.filter((log) => log.status === 'excluded').map((log) => [log.email, log.exclusionReason]);
      expect(excluded.sort()).toEqual(
        [
          ['gone1@example.test', 'unsubscribed'],
          ['gone2@example.test', 'unsubscribed'],
          ['bounced1@example.test', 'quarantined'],
          ['bounced2@example.test', 'quarantined'],
          ['broken@@example', 'invalid_address'],
          ...subscribed.slice(0, 5).map((c) => [c.email, 'duplicate']),
        ].sort(),
      );
    });

    it('answers counters equal to the counts of its logs', async () => {
      const res = await api(app, token).get(`/deliveries/${delivery.documentId}`);
      const count = (status: string) => logs.filter((log) => log.status === status).length;
      expect(res.body.data.counters).toEqual({
        targeted: logs.length,
        excluded: count('excluded'),
        pending: count('pending'),
        sent: count('sent'),
        failedHard: 0,
        failedSoft: 0,
        bounced: 0,
        unknown: 0,
      });
      expect(res.body.data.counters).toMatchObject({ targeted: 55, excluded: 10, sent: 45 });
      const list = await api(app, token).get('/deliveries?status=sent');
      expect(list.body.data.find((d: any) => d.documentId === delivery.documentId).counters).toEqual(
        res.body.data.counters,
      );
    });

    it('counts its logs under their recipient domains in the reports, the invalid address too', async () => {
      const res = await api(app, token).post('/reports/query', {
        dimensions: ['domain'],
        metrics: ['targeted', 'excluded', 'delivered'],
        filters: { deliveries: [delivery.documentId] },
      });
      expect(res.status).toBe(200);
      const expected: Record<string, Record<string, number>> = {};
      for (const log of logs) {
        // The domain is what follows the address's first "@": "broken@@example" is under "@example".
        const domain = log.email.slice(log.email.indexOf('@') + 1).toLowerCase();
        const counts = (expected[domain] ??= { targeted: 0, excluded: 0, delivered: 0 });
        counts.targeted += 1;
        if (log.status === 'excluded') counts.excluded += 1;
        if (log.status === 'sent') counts.delivered += 1;
      }
      const rows = Object.fromEntries(res.body.data.rows.map((row: any) => [row.dimensions[0].key, row.metrics]));
      expect(rows).toEqual(expected);
      expect(Object.keys(rows)).toContain('@example');
    });

    it('filters, searches, sorts and pages the logs', async () => {
      const duplicates = await api(app, token).get(
        `/deliveries/${delivery.documentId}/logs?status=excluded&exclusionReason=duplicate`,
      );
      expect(duplicates.body.meta.pagination.total).toBe(5);
      const search = await api(app, token).get(
        `/deliveries/${delivery.documentId}/logs?search=READER1&sort=email:desc&pageSize=3&page=2`,
      );
      expect(search.status).toBe(200);
      // reader1, reader10..19 minus the duplicate logs of reader1: 11 sent logs plus reader1's duplicate = 12
      expect(search.body.meta.pagination).toMatchObject({ page: 2, pageSize: 3, total: 12 });
      const emails = search.body.data.map((l: any) => l.email);
      expect(emails).toEqual([...emails].sort().reverse());
      const bad = await api(app, token).get(`/deliveries/${delivery.documentId}/logs?status=lost`);
      expect(bad.status).toBe(400);
    });

    it('streams the logs as CSV with one row per log', async () => {
      const res = await api(app, token).get(`/deliveries/${delivery.documentId}/logs?format=csv`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/csv/);
      const lines = res.text.trim().split('\r\n');
      expect(lines[0]).toBe(
        'id,email,status,failureType,failureReason,failureMessage,exclusionReason,attempts,messageId,sentAt,transport,opens,clicks,firstOpenedAt,firstClickedAt,unsubscribedAt',
      );
      expect(lines).toHaveLength(logs.length + 1);
      const excludedCsv = await api(app, token).get(
        `/deliveries/${delivery.documentId}/logs?format=csv&status=excluded`,
      );
      expect(excludedCsv.text.trim().split('\r\n')).toHaveLength(11);
    });

    it('refuses to edit or send it again once sent, saying why', async () => {
      const edit = await api(app, token).put(`/deliveries/${delivery.documentId}`, { subject: 'Changed' });
      expect(edit.status).toBe(400);
      expect(edit.body.error.message).toMatch(/it is sent, and only a draft can be changed/);
      const again = await api(app, token).post(`/deliveries/${delivery.documentId}/send`);
      expect(again.status).toBe(400);
    });
  });

  it('sends a test to given addresses, prefixed [Test], without logging or counting it', async () => {
    const delivery = await createDelivery(app, token, {
      subject: 'Proof for {{firstName}}',
      html: HTML,
      lists: [main],
      fromEmail: 'news@acme.example.test',
    });
    const before = smtp.messages.length;
    const res = await api(app, token).post(`/deliveries/${delivery.documentId}/test`, {
      emails: ['editor@acme.example.test', 'boss@acme.example.test'],
    });
    expect(res.status).toBe(200);
    expect(res.body.data.sent).toHaveLength(2);
    await smtp.waitFor(before + 2);
    const proofs = smtp.messages.slice(before);
    expect(proofs.map((m) => m.envelopeTo[0]).sort()).toEqual(['boss@acme.example.test', 'editor@acme.example.test']);
    // Personalised with the first contact of the audience.
    expect(proofs[0].subject).toBe('[Test] Proof for Reader0');
    expect(rawHeader(proofs[0], 'List-Unsubscribe')).toMatch(new RegExp(`^<${PUBLIC_URL}/api/campaigns/u/`));
    // Its links go through the tracking route, so an editor can try them, and redirect without being counted.
    const clickUrl = [...(proofs[0].html as string).matchAll(/href="([^"]+)"/g)]
      .map((m) => m[1].replace(/&amp;/g, '&'))
      .find((href) => href.startsWith(`${PUBLIC_URL}/api/campaigns/c/`))!;
    const click = await app.http().get(clickUrl.slice(PUBLIC_URL.length));
    expect(click.status).toBe(302);
    expect(click.headers.location).toBe('https://shop.example.test/offer?utm=spring&x=1');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const read = await api(app, token).get(`/deliveries/${delivery.documentId}`);
    expect(read.body.data).toMatchObject({ status: 'draft', counters: { targeted: 0, sent: 0 } });
    expect((await allLogs(app, token, delivery.documentId)).length).toBe(0);
    const tracking = await api(app, token).get(`/deliveries/${delivery.documentId}/tracking`);
    expect(tracking.body.data).toEqual([]);
  });

  it("sends a test to the signed-in admin's own address when none is given", async () => {
    const delivery = await createDelivery(app, token, {
      html: HTML,
      lists: [main],
      fromEmail: 'news@acme.example.test',
    });
    const me = (await app.http().get('/admin/users/me').set('Authorization', `Bearer ${token}`)).body.data.email;
    const before = smtp.messages.length;
    const res = await api(app, token).post(`/deliveries/${delivery.documentId}/test`, {});
    expect(res.status).toBe(200);
    expect(res.body.data.sent).toEqual([expect.objectContaining({ email: me })]);
    await smtp.waitFor(before + 1);
    expect(smtp.messages[before].envelopeTo).toEqual([me]);
  });

  it('pauses (messages stop), resumes (the rest is sent once) and reports the progress in counters', async () => {
    const delivery = await createDelivery(app, token, {
      html: HTML,
      lists: [main],
      fromEmail: 'news@acme.example.test',
      sendRate: 15,
    });
    await api(app, token).post(`/deliveries/${delivery.documentId}/send`);
    await waitForStatus(app, token, delivery.documentId, ['sending']);
    while (messagesOf(delivery.documentId).length < 5) await new Promise((r) => setTimeout(r, 20));
    const paused = await api(app, token).post(`/deliveries/${delivery.documentId}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.data.status).toBe('paused');
    const atPause = messagesOf(delivery.documentId).length;
    await new Promise((r) => setTimeout(r, 800));
    expect(messagesOf(delivery.documentId).length).toBe(atPause);
    const during = (await api(app, token).get(`/deliveries/${delivery.documentId}`)).body.data.counters;
    expect(during.sent).toBe(atPause);
    expect(during.pending).toBe(40 - atPause);

    const resumed = await api(app, token).post(`/deliveries/${delivery.documentId}/resume`);
    expect(resumed.body.data.status).toBe('sending');
    const done = await waitForStatus(app, token, delivery.documentId, ['sent']);
    expect(done.counters).toMatchObject({ sent: 40, pending: 0 });
    const recipients = messagesOf(delivery.documentId).map((m) => m.envelopeTo[0]);
    expect(new Set(recipients).size).toBe(40);
    expect(recipients).toHaveLength(40);
  });

  it('cancels: nothing more leaves and the recipients not reached stay pending', async () => {
    const delivery = await createDelivery(app, token, {
      html: HTML,
      lists: [main],
      fromEmail: 'news@acme.example.test',
      sendRate: 15,
    });
    await api(app, token).post(`/deliveries/${delivery.documentId}/send`);
    while (messagesOf(delivery.documentId).length < 3) await new Promise((r) => setTimeout(r, 20));
    const cancelled = await api(app, token).post(`/deliveries/${delivery.documentId}/cancel`);
    expect(cancelled.body.data.status).toBe('cancelled');
    const atCancel = messagesOf(delivery.documentId).length;
    await new Promise((r) => setTimeout(r, 800));
    expect(messagesOf(delivery.documentId).length).toBe(atCancel);
    const counters = (await api(app, token).get(`/deliveries/${delivery.documentId}`)).body.data.counters;
    expect(counters.sent).toBe(atCancel);
    expect(counters.pending).toBe(40 - atCancel);
    expect((await api(app, token).post(`/deliveries/${delivery.documentId}/resume`)).status).toBe(400);
  });

  it('retries only the failed recipients, once their server accepts them again', async () => {
    faults.set('reader7@example.test', () => ({ code: 452, message: '4.2.2 Mailbox temporarily over quota' }));
    faults.set('reader8@example.test', () => ({ code: 451, message: '4.3.0 Temporary local problem' }));
    const delivery = await createDelivery(app, token, {
      html: HTML,
      lists: [main],
      fromEmail: 'news@acme.example.test',
    });
    await api(app, token).post(`/deliveries/${delivery.documentId}/send`);
    const first = await waitForStatus(app, token, delivery.documentId, ['sent']);
    expect(first.counters).toMatchObject({ sent: 38, failedSoft: 2 });
    const failed = await allLogs(app, token, delivery.documentId, '&status=failed');
    expect(failed.map((l) => [l.email, l.failureType, l.attempts]).sort()).toEqual([
      ['reader7@example.test', 'soft', 2],
      ['reader8@example.test', 'soft', 2],
    ]);

    faults.clear();
    const before = messagesOf(delivery.documentId).length;
    const retry = await api(app, token).post(`/deliveries/${delivery.documentId}/retry-failed`);
    expect(retry.body.data).toEqual({ retried: 2 });
    const done = await waitForStatus(app, token, delivery.documentId, ['sent']);
    expect(done.counters).toMatchObject({ sent: 40, failedSoft: 0, pending: 0 });
    const again = messagesOf(delivery.documentId)
      .slice(before)
      .map((m) => m.envelopeTo[0]);
    expect(again.sort()).toEqual(['reader7@example.test', 'reader8@example.test']);
  });

  it('starts a scheduled delivery by itself when its time comes', async () => {
    const delivery = await createDelivery(app, token, {
      html: HTML,
      lists: [second],
      fromEmail: 'news@acme.example.test',
    });
    const at = new Date(Date.now() + 1500).toISOString();
    const res = await api(app, token).post(`/deliveries/${delivery.documentId}/send`, { scheduledAt: at });
    expect(res.body).toMatchObject({ data: { status: 'scheduled' }, meta: { scheduledAt: at } });
    expect(messagesOf(delivery.documentId)).toHaveLength(0);
    const done = await waitForStatus(app, token, delivery.documentId, ['sent'], 15_000);
    expect(new Date(done.startedAt).getTime()).toBeGreaterThanOrEqual(new Date(at).getTime());
    expect(messagesOf(delivery.documentId)).toHaveLength(10);
  });

  it('staggers a large delivery that starts while another large one is sending, and says until when', async () => {
    const first = await createDelivery(app, token, {
      html: HTML,
      lists: [main],
      fromEmail: 'news@acme.example.test',
      sendRate: 10,
    });
    const later = await createDelivery(app, token, { html: HTML, lists: [main], fromEmail: 'news@acme.example.test' });
    const started = await api(app, token).post(`/deliveries/${first.documentId}/send`);
    expect(started.body.meta).toEqual({});
    const before = Date.now();
    const staggered = await api(app, token).post(`/deliveries/${later.documentId}/send`);
    expect(staggered.status).toBe(200);
    const until = new Date(staggered.body.meta.staggeredUntil).getTime();
    expect(until).toBeGreaterThanOrEqual(before + 5 * 60_000 - 2000);
    expect(until).toBeLessThanOrEqual(Date.now() + 5 * 60_000 + 2000);
    expect(staggered.body.data.sendAfter).toBe(staggered.body.meta.staggeredUntil);

    while (messagesOf(first.documentId).length < 3) await new Promise((r) => setTimeout(r, 20));
    expect(messagesOf(later.documentId)).toHaveLength(0);
    await api(app, token).post(`/deliveries/${first.documentId}/cancel`);
    await api(app, token).post(`/deliveries/${later.documentId}/cancel`);
  });
});

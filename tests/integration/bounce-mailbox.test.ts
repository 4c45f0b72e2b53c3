// Bounces and complaints read from a real IMAP mailbox (Dovecot, tests/helpers/imap-server.ts): a delivery goes out
// through a real SMTP server, the reports MTAs would send back about those very messages (tests/fixtures/bounces)
// arrive in the mailbox, and one reading records them on the delivery logs as the webhooks do, moves them out of
// the folder, and keeps what it cannot match for review.
import { ACTIONS } from '../../shared/constants';
import {
  api,
  createContacts,
  createDelivery,
  createList,
  rawHeader,
  waitForStatus,
  allLogs,
} from '../helpers/campaigns';
import { bounceReport, type SentMessage } from '../helpers/bounce-reports';
import { contactOf, logOf } from '../helpers/fixtures';
import { startTestImapServer, type TestImapServer } from '../helpers/imap-server';
import { startTestSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { bootTestApp, type TestApp } from '../helpers/strapi';

const FROM = 'news@acme.example.test';
/** Which sample comes back for which recipient. */
const SAMPLES: Record<string, string> = {
  'ada@example.net': 'postfix-user-unknown.eml',
  'bob@example.org': 'exim-mailbox-full.eml',
  'cyd@contoso.example.test': 'exchange-recipient-not-found.eml',
  'dan@gmail.example.test': 'gmail-inline.eml',
  'eve@hotmail.example.test': 'hotmail-arf-complaint.eml',
};

describe('the bounce mailbox', () => {
  let smtp: TestSmtpServer;
  let imap: TestImapServer;
  let app: TestApp;
  let admin: string;
  let settingsAdmin: string;
  let deliveryId: string;
  const sent = new Map<string, SentMessage>();

  const mailbox = () => app.strapi.plugin('campaigns').service('bounce-mailbox');
  const logsByEmail = async () => new Map((await allLogs(app, admin, deliveryId)).map((log) => [log.email, log]));

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    imap = await startTestImapServer({ user: 'bounces', pass: 'mailbox-secret' });
    app = await bootTestApp({
      pluginConfig: {
        smtp: { host: smtp.host, port: smtp.port },
        bounceMailbox: {
          enabled: true,
          host: imap.host,
          port: imap.port,
          secure: false,
          user: imap.user,
          pass: imap.pass,
          folder: 'INBOX',
          processedFolder: 'Bounces/Done',
          reviewFolder: 'Bounces/Review',
        },
      },
    });
    admin = await app.superAdminToken();
    settingsAdmin = await app.adminTokenWith([ACTIONS.settings]);

    const list = await createList(app, admin, 'Readers');
    await createContacts(
      app,
      admin,
      Object.keys(SAMPLES).map((email) => ({ email })),
      [list],
    );
    const delivery = await createDelivery(app, admin, { fromEmail: FROM, html: '<p>December news</p>', lists: [list] });
    deliveryId = delivery.documentId;
    expect((await api(app, admin).post(`/deliveries/${deliveryId}/send`)).status).toBe(200);
    await waitForStatus(app, admin, deliveryId, ['sent']);
    for (const message of smtp.messages) {
      for (const to of message.envelopeTo) {
        sent.set(to, {
          MESSAGE_ID: rawHeader(message, 'Message-ID')!,
          DELIVERY: rawHeader(message, 'X-Campaigns-Delivery')!,
          FROM,
          RECIPIENT: to,
        });
      }
    }
    expect([...sent.keys()].sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  afterAll(async () => {
    await app?.destroy();
    await imap?.close();
    await smtp?.close();
  });

  it('records each MTA report on the log of the message it names, then moves it to the processed folder', async () => {
    for (const [email, sample] of Object.entries(SAMPLES))
      await imap.append('INBOX', bounceReport(sample, sent.get(email)!));
    // A report about a message we never sent, and a report cut off in the middle.
    await imap.append(
      'INBOX',
      bounceReport('postfix-user-unknown.eml', {
        ...sent.get('ada@example.net')!,
        MESSAGE_ID: '<1.2.deadbeef@elsewhere.example>',
        DELIVERY: 'q0q0q0q0q0q0q0q0q0q0q0q0',
      }),
    );
    await imap.append('INBOX', bounceReport('malformed-report.eml', sent.get('ada@example.net')!));

    const report = await mailbox().runNow();

    expect(report).toEqual({ read: 7, recorded: 5, nothingToRecord: 0, review: 2, failed: 0 });
    const logs = await logsByEmail();
    expect(logs.get('ada@example.net')).toMatchObject({
      status: 'bounced',
      failureType: 'hard',
      failureReason: 'user_unknown',
    });
    expect(logs.get('ada@example.net').failureMessage).toMatch(/550 5\.1\.1 .*User unknown in virtual mailbox table/);
    expect(logs.get('bob@example.org')).toMatchObject({
      status: 'bounced',
      failureType: 'soft',
      failureReason: 'mailbox_full',
    });
    expect(logs.get('cyd@contoso.example.test')).toMatchObject({
      status: 'bounced',
      failureType: 'hard',
      failureReason: 'user_unknown',
    });
    expect(logs.get('dan@gmail.example.test')).toMatchObject({
      status: 'bounced',
      failureType: 'hard',
      failureReason: 'user_unknown',
    });
    // A complaint is not a bounce: the message stays delivered, the complaint is stamped on it.
    const complained = logs.get('eve@hotmail.example.test');
    expect(complained).toMatchObject({ status: 'sent', failureType: null });
    expect((await logOf(app.strapi, complained.id)).complainedAt).not.toBeNull();

    const statusOf = async (email: string) => (await contactOf(app.strapi, logs.get(email).contactId)).status;
    expect(await statusOf('ada@example.net')).toBe('quarantined');
    expect(await statusOf('cyd@contoso.example.test')).toBe('quarantined');
    expect(await statusOf('bob@example.org')).toBe('subscribed');
    expect(await statusOf('eve@hotmail.example.test')).toBe('unsubscribed');
    const suppressed = await api(app, admin).get('/suppressions?pageSize=100');
    expect(
      suppressed.body.data.map((row: { email: string; reason: string }) => [row.email, row.reason]).sort(),
    ).toEqual([
      ['ada@example.net', 'hard_bounce'],
      ['cyd@contoso.example.test', 'hard_bounce'],
      ['dan@gmail.example.test', 'hard_bounce'],
      ['eve@hotmail.example.test', 'complaint'],
    ]);

    expect(await imap.count('INBOX')).toBe(0);
    expect(await imap.count('Bounces/Done')).toBe(5);
    expect(await imap.count('Bounces/Review')).toBe(2);
    expect((await imap.messages('Bounces/Review')).join('\n')).toContain('1.2.deadbeef@elsewhere.example');
  });

  it('lists what went to review for the admin, with why', async () => {
    const res = await api(app, settingsAdmin).get('/bounce-mailbox/review');

    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      {
        date: '2026-12-03T16:05:00.000Z',
        from: 'Mail Delivery System <MAILER-DAEMON@mx9.example.net>',
        subject: 'Undelivered Mail Returned to Sender',
        reason: 'the delivery status names no recipient',
        folder: 'Bounces/Review',
        movedAt: expect.any(String),
      },
      {
        date: '2026-12-03T08:12:41.000Z',
        from: 'Mail Delivery System <MAILER-DAEMON@mx1.acme.example.test>',
        subject: 'Undelivered Mail Returned to Sender',
        reason: 'no delivery log has the message it names (Message-ID <1.2.deadbeef@elsewhere.example>)',
        folder: 'Bounces/Review',
        movedAt: expect.any(String),
      },
    ]);
  });

  it('reads nothing twice: a second reading finds the folder empty and changes nothing', async () => {
    const before = await logsByEmail();

    expect(await mailbox().runNow()).toEqual({ read: 0, recorded: 0, nothingToRecord: 0, review: 0, failed: 0 });
    expect(await logsByEmail()).toEqual(before);
    expect(await imap.count('Bounces/Done')).toBe(5);
  });

  it('matches a report whose returned message lost its Message-ID by the delivery header and the address', async () => {
    const report = bounceReport('postfix-user-unknown.eml', sent.get('bob@example.org')!).replace(
      /^Message-ID: .*\r\n/m,
      '',
    );
    expect(report).not.toContain(sent.get('bob@example.org')!.MESSAGE_ID);
    await imap.append('INBOX', report);

    expect(await mailbox().runNow()).toMatchObject({ read: 1, recorded: 1, review: 0 });
    expect((await logsByEmail()).get('bob@example.org')).toMatchObject({
      status: 'bounced',
      failureType: 'hard',
      failureReason: 'user_unknown',
    });
    expect(await imap.count('Bounces/Done')).toBe(6);
  });

  it('never answers the mailbox password', async () => {
    const res = await api(app, settingsAdmin).get('/settings');

    expect(res.body.data.bounceMailbox).toMatchObject({ host: imap.host, user: imap.user, pass: '********' });
    expect(res.text).not.toContain(imap.pass);
  });

  it('verifies the connection: ok with the saved password, a clear error with a wrong one', async () => {
    const saved = await api(app, settingsAdmin).post('/settings/verify-bounce-mailbox');
    // The server did see a login: the check below, on another server, can tell none from some.
    expect(imap.loginAttempts().length).toBeGreaterThan(0);
    const wrong = await api(app, settingsAdmin).post('/settings/verify-bounce-mailbox', {
      bounceMailbox: { pass: 'not-the-password' },
    });

    expect(saved.body.data).toEqual({ ok: true });
    expect(wrong.body.data).toEqual({
      ok: false,
      error: `the IMAP server at ${imap.host}:${imap.port} refused the login of "bounces": Authentication failed.`,
    });
    expect(wrong.text).not.toContain('not-the-password');
  });

  it('a changed host needs the password again: the saved one never goes there', async () => {
    const elsewhere = await startTestImapServer({ user: 'bounces', pass: 'other' });
    try {
      const verify = await api(app, settingsAdmin).post('/settings/verify-bounce-mailbox', {
        bounceMailbox: { port: elsewhere.port },
      });
      const save = await api(app, settingsAdmin).put('/settings', {
        bounceMailbox: { port: elsewhere.port, pass: '********' },
      });

      expect(verify.status).toBe(400);
      expect(verify.body.error.message).toMatch(
        /^Invalid settings: bounceMailbox\.pass: enter the password again: bounceMailbox\.port changed/,
      );
      expect(save.status).toBe(400);
      expect(elsewhere.loginAttempts()).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it('reads on its own on a timer, and does nothing while switched off', async () => {
    await api(app, settingsAdmin).put('/settings', { bounceMailbox: { intervalSeconds: 10 } });
    await imap.append('INBOX', bounceReport('exim-mailbox-full.eml', sent.get('bob@example.org')!));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await imap.count('INBOX')) > 0) await new Promise((r) => setTimeout(r, 500));
    expect(await imap.count('INBOX')).toBe(0);
    expect(await imap.count('Bounces/Done')).toBe(7);

    await api(app, settingsAdmin).put('/settings', { bounceMailbox: { enabled: false } });
    await imap.append('INBOX', bounceReport('exim-mailbox-full.eml', sent.get('bob@example.org')!));
    await new Promise((r) => setTimeout(r, 12_000));
    expect(await imap.count('INBOX')).toBe(1);
    expect(await mailbox().runNow()).toMatchObject({ skipped: 'disabled' });
  });
});

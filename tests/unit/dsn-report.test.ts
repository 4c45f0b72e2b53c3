// Bounce and complaint reports as MTAs send them (tests/fixtures/bounces), read into the notices the bounce path
// records: which message, which address, hard or soft, and why.
import { readMailboxReport } from '../../server/src/tracking/dsn-report';
import { bounceReport } from '../helpers/bounce-reports';

const SENT = {
  MESSAGE_ID: '<12.345.a1b2c3d4e5f6@acme.example.test>',
  DELIVERY: 'k3v9q8w7e6r5t4y3u2i1o0pz',
  FROM: 'news@acme.example.test',
  RECIPIENT: 'ada.lovelace@example.net',
};
const fixture = (name: string) => bounceReport(name, SENT);

describe('reports read from the bounce mailbox', () => {
  it.each([
    [
      'postfix-user-unknown.eml',
      'hard',
      'user_unknown',
      /^smtp; 550 5\.1\.1 <ada\.lovelace@example\.net>: Recipient address rejected: User unknown in virtual mailbox table$/,
    ],
    [
      'exim-mailbox-full.eml',
      'soft',
      'mailbox_full',
      /452 4\.2\.2 The email account that you tried to reach is over quota/,
    ],
    ['exchange-recipient-not-found.eml', 'hard', 'user_unknown', /550 5\.1\.10 RESOLVER\.ADR\.RecipientNotFound/],
    [
      'gmail-inline.eml',
      'hard',
      'user_unknown',
      /^550 5\.1\.1 The email account that you tried to reach does not exist/,
    ],
  ])('%s: a %s bounce for %s, naming the sent message and its recipient', (name, type, reason, diagnostic) => {
    const report = readMailboxReport(fixture(name));

    expect(report).toEqual({
      kind: 'notices',
      notices: [
        {
          kind: 'bounce',
          messageIds: ['12.345.a1b2c3d4e5f6@acme.example.test'],
          deliveryDocumentId: SENT.DELIVERY,
          email: SENT.RECIPIENT,
          bounceType: type,
          failureReason: reason,
          message: expect.stringMatching(diagnostic),
          at: expect.any(Date),
        },
      ],
    });
  });

  it('an ARF report with Feedback-Type abuse (Outlook.com / Hotmail) is a complaint about the sent message', () => {
    const report = readMailboxReport(fixture('hotmail-arf-complaint.eml'));

    expect(report).toEqual({
      kind: 'notices',
      notices: [
        expect.objectContaining({
          kind: 'complaint',
          messageIds: ['12.345.a1b2c3d4e5f6@acme.example.test'],
          email: SENT.RECIPIENT,
          message: 'feedback report: abuse (Hotmail FBL)',
        }),
      ],
    });
  });

  it('a cut-off report is kept for review with the reason, never thrown', () => {
    expect(readMailboxReport(fixture('malformed-report.eml'))).toEqual({
      kind: 'unreadable',
      why: 'the delivery status names no recipient',
    });
  });

  it('a delay warning records nothing; a report of another feedback type neither', () => {
    const delayed = fixture('postfix-user-unknown.eml')
      .replace('Action: failed', 'Action: delayed')
      .replace('Status: 5.1.1', 'Status: 4.4.1');
    const fraud = fixture('hotmail-arf-complaint.eml').replace('Feedback-Type: abuse', 'Feedback-Type: fraud');

    expect(readMailboxReport(delayed)).toEqual({ kind: 'nothing-to-record', why: 'delivery status: delayed' });
    expect(readMailboxReport(fraud)).toEqual({ kind: 'nothing-to-record', why: 'feedback report: fraud' });
  });

  it('a report without the returned message can only be reviewed', () => {
    const headless = fixture('exim-mailbox-full.eml').replace(
      /Content-type: text\/rfc822-headers[\s\S]*?(?=--1764757867-eximdsn-1804289383--)/,
      '',
    );

    expect(readMailboxReport(headless)).toEqual({
      kind: 'unreadable',
      why: 'the report names no message (no Message-ID of the returned message)',
    });
  });

  it.each([
    ['an empty message', ''],
    ['plain text', 'Hello, are you there?'],
    ['binary noise', Buffer.from(Array.from({ length: 2000 }, (_v, i) => (i * 7919) % 256))],
    ['a multipart without its boundary', 'Content-Type: multipart/report; report-type=delivery-status\r\n\r\nbody'],
    [
      'parts nested past any reason',
      `Content-Type: multipart/mixed; boundary=x\r\n\r\n${'--x\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n'.repeat(50)}`,
    ],
  ])('%s is unreadable, not an exception', (_name, raw) => {
    expect(readMailboxReport(raw)).toMatchObject({ kind: 'unreadable' });
  });
});

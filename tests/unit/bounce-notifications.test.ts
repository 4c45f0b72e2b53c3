// Provider payloads read into one shape: which message, hard or soft, why.
import {
  NotificationFormatError,
  normalizeMessageId,
  parseBounceNotifications,
  reasonOf,
} from '../../server/src/tracking/bounce-notifications';

describe('message ids', () => {
  it.each([
    ['<abc@host>', 'abc@host'],
    ['abc@host', 'abc@host'],
    ['  <<abc@host>>  ', 'abc@host'],
    ['', null],
    ['<>', null],
    ['a\r\nb@host', null],
    [42, null],
    ['x'.repeat(501), null],
  ])('%j reads as %j', (input, expected) => {
    expect(normalizeMessageId(input)).toBe(expected);
  });
});

describe('failure reasons of provider diagnostics', () => {
  it.each([
    ['smtp; 550 5.1.1 <jane@example.com>... User unknown', null, 'user_unknown'],
    ['550 5.1.2 Host unknown (Name server: example.invalid: host not found)', null, 'invalid_domain'],
    ['452 4.2.2 The email account that you tried to reach is over quota', null, 'mailbox_full'],
    ['554 5.7.1 Message rejected as spam', null, 'refused'],
    [null, '5.1.1', 'user_unknown'],
    [null, null, null],
  ])('%j (status %j) is %j', (diagnostic, status, expected) => {
    expect(reasonOf(diagnostic, status)).toBe(expected);
  });
});

describe('generic notifications', () => {
  it('reads one notice, a list, or { notifications }', () => {
    const one = {
      type: 'bounce',
      bounceType: 'hard',
      messageId: '<m1@x>',
      diagnostic: '550 5.1.1 no such user',
      email: 'a@b.c',
    };
    expect(parseBounceNotifications('generic', one).notices).toEqual([
      {
        kind: 'bounce',
        messageIds: ['m1@x'],
        email: 'a@b.c',
        bounceType: 'hard',
        failureReason: 'user_unknown',
        message: '550 5.1.1 no such user',
        at: null,
      },
    ]);
    expect(parseBounceNotifications('generic', [one, one]).notices).toHaveLength(2);
    expect(parseBounceNotifications('generic', { notifications: [one] }).notices).toHaveLength(1);
  });

  it('defaults a bounce without a type to hard, and a complaint has none', () => {
    expect(parseBounceNotifications('generic', { type: 'bounce', messageId: 'm@x' }).notices[0].bounceType).toBe(
      'hard',
    );
    expect(parseBounceNotifications('generic', { type: 'complaint', messageId: 'm@x' }).notices[0]).toMatchObject({
      kind: 'complaint',
      bounceType: null,
    });
  });

  it.each([
    [{ type: 'delivered', messageId: 'm@x' }],
    [{ type: 'bounce' }],
    [{ type: 'bounce', messageId: 'm@x', bounceType: 'permanent' }],
    [['not an object']],
  ])('refuses %j', (body) => {
    expect(() => parseBounceNotifications('generic', body)).toThrow(NotificationFormatError);
  });
});

describe('Amazon SES through SNS', () => {
  const mail = { messageId: 'ses-own-id', commonHeaders: { messageId: '<ours@example.test>' } };
  const sns = (message: object) => JSON.stringify({ Type: 'Notification', Message: JSON.stringify(message) });

  it('tries the original Message-ID first, then SES own id', () => {
    const parsed = parseBounceNotifications(
      'ses',
      sns({
        notificationType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'a@b.c' }] },
        mail,
      }),
    );
    expect(parsed.notices[0].messageIds).toEqual(['ours@example.test', 'ses-own-id']);
  });

  it.each([
    ['Permanent', 'General', 'hard', 'other'],
    ['Permanent', 'NoEmail', 'hard', 'user_unknown'],
    ['Transient', 'MailboxFull', 'soft', 'mailbox_full'],
    ['Undetermined', 'Undetermined', 'soft', 'other'],
  ])('a %s/%s bounce is %s (%s)', (bounceType, bounceSubType, expectedType, expectedReason) => {
    const parsed = parseBounceNotifications(
      'ses',
      sns({ notificationType: 'Bounce', bounce: { bounceType, bounceSubType }, mail }),
    );
    expect(parsed.notices[0]).toMatchObject({ bounceType: expectedType, failureReason: expectedReason });
  });

  it('gives one notice per bounced recipient', () => {
    const parsed = parseBounceNotifications(
      'ses',
      sns({
        notificationType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'a@b.c' }, { emailAddress: 'd@e.f' }] },
        mail,
      }),
    );
    expect(parsed.notices.map((n) => n.email)).toEqual(['a@b.c', 'd@e.f']);
  });

  it('hands back the subscription URL of a confirmation, and ignores deliveries', () => {
    expect(
      parseBounceNotifications('ses', {
        Type: 'SubscriptionConfirmation',
        SubscribeURL: 'https://sns.example/confirm',
      }),
    ).toEqual({
      notices: [],
      ignored: 1,
      subscribeUrl: 'https://sns.example/confirm',
    });
    expect(parseBounceNotifications('ses', sns({ notificationType: 'Delivery', mail }))).toEqual({
      notices: [],
      ignored: 1,
    });
  });

  it('accepts raw message delivery (no SNS envelope)', () => {
    const parsed = parseBounceNotifications('ses', {
      notificationType: 'Complaint',
      complaint: { complainedRecipients: [{ emailAddress: 'a@b.c' }] },
      mail,
    });
    expect(parsed.notices[0]).toMatchObject({ kind: 'complaint', email: 'a@b.c' });
  });

  it.each([
    ['not json'],
    [JSON.stringify({ Type: 'Notification', Message: '{broken' })],
    [sns({ notificationType: 'Bounce', mail: {} })],
  ])('refuses %j', (body) => {
    expect(() => parseBounceNotifications('ses', body)).toThrow(NotificationFormatError);
  });
});

describe('SendGrid events', () => {
  const event = (fields: object) => ({ email: 'a@b.c', timestamp: 1700000000, 'smtp-id': '<m@x>', ...fields });

  it.each([
    [{ event: 'bounce', type: 'bounce' }, 'bounce', 'hard'],
    [{ event: 'bounce', type: 'blocked' }, 'bounce', 'soft'],
    [{ event: 'dropped', reason: 'Bounced Address' }, 'bounce', 'hard'],
    [{ event: 'spamreport' }, 'complaint', null],
  ])('%j is a %s (%s)', (fields, kind, bounceType) => {
    const { notices } = parseBounceNotifications('sendgrid', [event(fields)]);
    expect(notices[0]).toMatchObject({ kind, bounceType, messageIds: ['m@x'], at: new Date(1700000000 * 1000) });
  });

  it('ignores deliveries, opens, deferrals and drops for other reasons', () => {
    const parsed = parseBounceNotifications('sendgrid', [
      event({ event: 'delivered' }),
      event({ event: 'open' }),
      event({ event: 'deferred' }),
      event({ event: 'dropped', reason: 'Unsubscribed Address' }),
    ]);
    expect(parsed).toEqual({ notices: [], ignored: 4 });
  });
});

// Bounce and complaint webhooks of a real Strapi: authenticated by the shared secret, matched by Message-ID, and
// turned into delivery-log and contact changes (the ways to authenticate: webhook-auth.test.ts).
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { contactOf, logOf, seedDelivery } from '../helpers/fixtures';
import { createSnsSigner } from '../helpers/webhook-signing';

const SECRET = 'webhook-secret-for-tests-0123456789';
const snsSigner = createSnsSigner();
const bare = (messageId: string) => messageId.replace(/^<|>$/g, '');

const snsNotification = (message: object) =>
  JSON.stringify(
    snsSigner.sign({
      Type: 'Notification',
      MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ses-bounces',
      Message: JSON.stringify(message),
      Timestamp: '2026-01-27T14:59:38.237Z',
    }),
  );

const sesMail = (messageId: string) => ({
  timestamp: '2026-01-27T14:59:37.000Z',
  source: 'news@example.test',
  // SES's own id, and the original Message-ID header among the headers.
  messageId: '0102015fd91a5ca3-93c245fe-e333-46ae-8fed-96160d20cfab-000000',
  headers: [{ name: 'Message-ID', value: messageId }],
  commonHeaders: { messageId, subject: 'Hello' },
});

describe('bounce and complaint webhooks', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp({ pluginConfig: { webhooks: { secret: SECRET } } });
    app.strapi
      .plugin('campaigns')
      .service('sns-certificates')
      .useFetcher(async () => snsSigner.certificate);
  });
  afterAll(async () => {
    await app?.destroy();
  });

  const post = (provider: string, body: unknown, secret: string | null = SECRET, type = 'application/json') => {
    const req = app.http().post(`/api/campaigns/webhooks/${provider}`).set('Content-Type', type);
    if (secret !== null) req.set('X-Campaigns-Secret', secret);
    return req.send(typeof body === 'string' ? body : JSON.stringify(body));
  };

  describe('authentication', () => {
    it('refuses a request without the secret or with a wrong one, and changes nothing', async () => {
      const { logs } = await seedDelivery(app.strapi);
      const body = { type: 'bounce', bounceType: 'hard', messageId: logs[0].messageId };
      expect((await post('generic', body, null)).status).toBe(401);
      expect((await post('generic', body, 'wrong-secret')).status).toBe(401);
      expect((await post('generic', body, `${SECRET}x`)).status).toBe(401);
      expect((await logOf(app.strapi, logs[0].id)).status).toBe('sent');
    });

    it('answers 404 for a provider it does not know', async () => {
      expect((await post('mailchimp', {})).status).toBe(404);
    });

    it('answers 400 for a body that is not of the provider format', async () => {
      expect((await post('generic', { type: 'delivered', messageId: 'x@y' })).status).toBe(400);
      expect((await post('ses', 'not json', SECRET, 'text/plain')).status).toBe(400);
      expect((await post('sendgrid', [{ nothing: true }])).status).toBe(400);
    });
  });

  describe('generic format', () => {
    it('marks a hard-bounced message bounced and quarantines its contact', async () => {
      const { logs } = await seedDelivery(app.strapi);
      const res = await post('generic', {
        type: 'bounce',
        bounceType: 'hard',
        messageId: logs[0].messageId,
        diagnostic: '550 5.1.1 <x@y>: Recipient address rejected: User unknown',
      });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ received: 1, matched: 1, unmatched: 0, ignored: 0 });

      const log = await logOf(app.strapi, logs[0].id);
      expect(log).toMatchObject({ status: 'bounced', failureType: 'hard', failureReason: 'user_unknown' });
      expect(log.bouncedAt).not.toBeNull();
      expect(log.failureMessage).toContain('User unknown');
      const contact = await contactOf(app.strapi, logs[0].contactId);
      expect(contact.status).toBe('quarantined');
      expect(contact.statusReason).toContain('user_unknown');
    });

    it('records a soft bounce without quarantining, and never downgrades a hard one', async () => {
      const { logs } = await seedDelivery(app.strapi);
      await post('generic', {
        type: 'bounce',
        bounceType: 'soft',
        messageId: bare(logs[0].messageId),
        diagnostic: '452 4.2.2 Mailbox full',
      });
      expect(await logOf(app.strapi, logs[0].id)).toMatchObject({
        status: 'bounced',
        failureType: 'soft',
        failureReason: 'mailbox_full',
      });
      expect((await contactOf(app.strapi, logs[0].contactId)).status).toBe('subscribed');

      await post('generic', { type: 'bounce', bounceType: 'hard', messageId: logs[1].messageId });
      await post('generic', { type: 'bounce', bounceType: 'soft', messageId: logs[1].messageId });
      expect((await logOf(app.strapi, logs[1].id)).failureType).toBe('hard');
    });

    it('unsubscribes the contact of a complaint and stamps the message', async () => {
      const { logs } = await seedDelivery(app.strapi);
      const res = await post('generic', [{ type: 'complaint', messageId: logs[2].messageId }]);
      expect(res.body.data.matched).toBe(1);
      expect((await logOf(app.strapi, logs[2].id)).complainedAt).not.toBeNull();
      const contact = await contactOf(app.strapi, logs[2].contactId);
      expect(contact.status).toBe('unsubscribed');
      expect(contact.statusReason).toContain('complaint');
    });

    it('acknowledges notices for unknown messages and counts them as unmatched', async () => {
      const { logs } = await seedDelivery(app.strapi);
      const res = await post('generic', {
        notifications: [
          { type: 'bounce', messageId: '<not-ours@elsewhere.example>' },
          { type: 'bounce', bounceType: 'hard', messageId: logs[0].messageId },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ received: 2, matched: 1, unmatched: 1 });
    });
  });

  describe('Amazon SES through SNS', () => {
    it('logs a signed subscription confirmation without visiting its URL', async () => {
      const res = await post(
        'ses',
        JSON.stringify(
          snsSigner.sign({
            Type: 'SubscriptionConfirmation',
            MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
            Token: 'abc',
            TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ses-bounces',
            Message: 'You have chosen to subscribe to the topic.',
            SubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=abc',
            Timestamp: '2026-01-27T14:59:38.237Z',
          }),
        ),
        SECRET,
        'text/plain; charset=UTF-8', // what SNS sends
      );
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ received: 0, ignored: 1 });
    });

    it('quarantines on a Permanent bounce, matched through the original Message-ID header', async () => {
      const { logs } = await seedDelivery(app.strapi);
      const res = await post(
        'ses',
        snsNotification({
          notificationType: 'Bounce',
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: [
              {
                emailAddress: logs[0].email,
                action: 'failed',
                status: '5.1.1',
                diagnosticCode: 'smtp; 550 5.1.1 user unknown',
              },
            ],
            timestamp: '2026-01-27T14:59:38.237Z',
          },
          mail: sesMail(logs[0].messageId),
        }),
        SECRET,
        'text/plain; charset=UTF-8',
      );
      expect(res.status).toBe(200);
      expect(res.body.data.matched).toBe(1);
      expect(await logOf(app.strapi, logs[0].id)).toMatchObject({
        status: 'bounced',
        failureType: 'hard',
        failureReason: 'user_unknown',
      });
      expect((await contactOf(app.strapi, logs[0].contactId)).status).toBe('quarantined');
    });

    it('records a Transient bounce as soft, and a Complaint as an unsubscription', async () => {
      const { logs } = await seedDelivery(app.strapi);
      await post(
        'ses',
        snsNotification({
          notificationType: 'Bounce',
          bounce: {
            bounceType: 'Transient',
            bounceSubType: 'MailboxFull',
            bouncedRecipients: [{ emailAddress: logs[0].email }],
          },
          mail: sesMail(logs[0].messageId),
        }),
      );
      expect(await logOf(app.strapi, logs[0].id)).toMatchObject({
        status: 'bounced',
        failureType: 'soft',
        failureReason: 'mailbox_full',
      });
      expect((await contactOf(app.strapi, logs[0].contactId)).status).toBe('subscribed');

      await post(
        'ses',
        snsNotification({
          notificationType: 'Complaint',
          complaint: { complainedRecipients: [{ emailAddress: logs[1].email }], complaintFeedbackType: 'abuse' },
          mail: sesMail(logs[1].messageId),
        }),
      );
      expect((await contactOf(app.strapi, logs[1].contactId)).status).toBe('unsubscribed');
      expect((await logOf(app.strapi, logs[1].id)).complainedAt).not.toBeNull();
    });

    it('ignores delivery notifications', async () => {
      const { logs } = await seedDelivery(app.strapi);
      const res = await post(
        'ses',
        snsNotification({ notificationType: 'Delivery', mail: sesMail(logs[0].messageId), delivery: {} }),
      );
      expect(res.body.data).toMatchObject({ received: 0, ignored: 1 });
      expect((await logOf(app.strapi, logs[0].id)).status).toBe('sent');
    });
  });

  describe('SendGrid event webhook', () => {
    it('reads bounces, blocks, drops and spam reports from one batch of events', async () => {
      const { logs } = await seedDelivery(app.strapi, { recipients: 5 });
      const event = (i: number, fields: object) => ({
        email: logs[i].email,
        timestamp: 1769525978,
        'smtp-id': logs[i].messageId,
        sg_event_id: `evt${i}`,
        sg_message_id: `sg${i}.filter0001`,
        ...fields,
      });
      const res = await post('sendgrid', [
        event(0, {
          event: 'bounce',
          type: 'bounce',
          status: '5.1.1',
          reason: '550 5.1.1 The email account that you tried to reach does not exist',
        }),
        event(1, { event: 'bounce', type: 'blocked', status: '4.7.0', reason: '421 4.7.0 Try again later' }),
        event(2, { event: 'dropped', reason: 'Bounced Address' }),
        event(3, { event: 'spamreport' }),
        event(4, { event: 'delivered', response: '250 OK' }),
      ]);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ received: 4, matched: 4, unmatched: 0, ignored: 1 });

      expect(await logOf(app.strapi, logs[0].id)).toMatchObject({
        status: 'bounced',
        failureType: 'hard',
        failureReason: 'user_unknown',
      });
      expect(await logOf(app.strapi, logs[1].id)).toMatchObject({ status: 'bounced', failureType: 'soft' });
      expect(await logOf(app.strapi, logs[2].id)).toMatchObject({ status: 'bounced', failureType: 'hard' });
      expect((await logOf(app.strapi, logs[3].id)).complainedAt).not.toBeNull();
      expect((await logOf(app.strapi, logs[4].id)).status).toBe('sent');
      const statuses = await Promise.all(
        logs.map((log) => contactOf(app.strapi, log.contactId).then((c: any) => c.status)),
      );
      expect(statuses).toEqual(['quarantined', 'subscribed', 'quarantined', 'unsubscribed', 'subscribed']);
    });
  });
});

describe('bounce webhooks without a configured secret', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp();
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('answer 503 with a message saying what to configure', async () => {
    const res = await app
      .http()
      .post('/api/campaigns/webhooks/generic')
      .set('X-Campaigns-Secret', 'anything')
      .send({ type: 'bounce', messageId: 'x@y' });
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain('webhooks.secret');
  });
});

// Who may call the bounce webhooks of a real Strapi: the shared secret in a form that never reaches the request log,
// and the providers' own signatures (Amazon SNS, SendGrid) checked before anything is recorded.
import { Writable } from 'stream';
import winston from 'winston';
import { bootTestApp, type TestApp } from '../helpers/strapi';
import { logOf, seedDelivery } from '../helpers/fixtures';
import { createSendgridSigner, createSnsSigner, SNS_CERT_URL } from '../helpers/webhook-signing';

const SECRET = 'webhook-secret-for-tests-0123456789';
const snsSigner = createSnsSigner();
const sendgridSigner = createSendgridSigner();

const basic = (secret: string) => `Basic ${Buffer.from(`campaigns:${secret}`).toString('base64')}`;

const snsBounce = (messageId: string, email: string) => ({
  Type: 'Notification',
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ses-bounces',
  Message: JSON.stringify({
    notificationType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: email, status: '5.1.1' }],
    },
    mail: { messageId: 'ses-own-id', commonHeaders: { messageId } },
  }),
  Timestamp: '2026-01-27T14:59:38.237Z',
});

const sendgridBody = (messageId: string, email: string) =>
  // SendGrid's own formatting (line breaks included): the signature covers these exact bytes.
  `[{"email":"${email}","timestamp":1769525978,"smtp-id":"${messageId}","event":"bounce","type":"bounce","status":"5.1.1"}]\r\n`;

describe('webhook authentication', () => {
  let app: TestApp;
  const logLines: string[] = [];
  const certificateRequests: string[] = [];

  beforeAll(async () => {
    app = await bootTestApp({
      pluginConfig: { webhooks: { secret: SECRET, sendgridVerificationKey: sendgridSigner.verificationKey } },
    });
    // Everything Strapi logs, the request logger's "POST /api/... (3 ms) 200" lines (level http) included.
    app.strapi.log.add(
      new winston.transports.Stream({
        level: 'silly',
        stream: new Writable({
          write(chunk, _encoding, done) {
            logLines.push(String(chunk));
            done();
          },
        }),
      }),
    );
    // The console keeps its quiet test level; only the capture above gets everything.
    for (const transport of app.strapi.log.transports) transport.level ??= app.strapi.log.level;
    app.strapi.log.level = 'silly';
    app.strapi
      .plugin('campaigns')
      .service('sns-certificates')
      .useFetcher(async (url: string) => {
        certificateRequests.push(url);
        return snsSigner.certificate;
      });
  });
  afterAll(async () => {
    await app?.destroy();
  });
  beforeEach(() => {
    logLines.length = 0;
  });

  const generic = (messageId: string) => ({ type: 'bounce', bounceType: 'hard', messageId });
  const webhook = (provider: string, query = '') => app.http().post(`/api/campaigns/webhooks/${provider}${query}`);

  describe('the shared secret', () => {
    it('is accepted as HTTP basic auth (https://campaigns:SECRET@host/...) and as a header, and never logged', async () => {
      const { logs } = await seedDelivery(app.strapi);
      const byBasic = await webhook('generic').set('Authorization', basic(SECRET)).send(generic(logs[0].messageId));
      expect(byBasic.status).toBe(200);
      const byHeader = await webhook('generic').set('X-Campaigns-Secret', SECRET).send(generic(logs[1].messageId));
      expect(byHeader.status).toBe(200);
      expect((await logOf(app.strapi, logs[0].id)).status).toBe('bounced');
      expect((await logOf(app.strapi, logs[1].id)).status).toBe('bounced');

      const requestLines = logLines.filter((line) => line.includes('POST /api/campaigns/webhooks/generic'));
      expect(requestLines).toHaveLength(2);
      expect(logLines.join('\n')).not.toContain(SECRET);
    });

    it('is refused in the query string, with the form to use instead, and kept out of the log', async () => {
      const { logs } = await seedDelivery(app.strapi);
      const res = await webhook('generic', `?secret=${encodeURIComponent(SECRET)}&x=1`).send(
        generic(logs[0].messageId),
      );
      expect(res.status).toBe(401);
      expect(res.body.error.message).toContain('https://campaigns:<secret>@');
      expect((await logOf(app.strapi, logs[0].id)).status).toBe('sent');

      // Even a body Strapi cannot parse (answered before the plugin's controller) leaves no secret in the log.
      const unparsable = await webhook('generic', `?secret=${SECRET}`)
        .set('Content-Type', 'application/json')
        .send('{not json');
      expect(unparsable.status).toBe(400);
      // Strapi's router ignores the case of paths: so does the redaction.
      const otherCase = await app
        .http()
        .post(`/API/Campaigns/WebHooks/generic?Secret=${SECRET}`)
        .send(generic(logs[0].messageId));
      expect(otherCase.status).toBe(401);

      const all = logLines.join('\n');
      expect(all).toContain('POST /api/campaigns/webhooks/generic?x=1');
      expect(all).not.toContain(SECRET);
      expect(all).not.toContain(encodeURIComponent(SECRET));
    });

    it('refuses a missing or wrong secret with 401 and records nothing', async () => {
      const { logs } = await seedDelivery(app.strapi);
      const body = generic(logs[0].messageId);
      const answers = await Promise.all([
        webhook('generic').send(body),
        webhook('generic').set('Authorization', basic('wrong-secret')).send(body),
        webhook('generic')
          .set('Authorization', basic(`${SECRET}x`))
          .send(body),
        webhook('generic').set('Authorization', 'Basic !!!not-base64').send(body),
        webhook('generic').set('Authorization', `Bearer ${SECRET}`).send(body),
        webhook('generic').set('X-Campaigns-Secret', 'wrong').send(body),
      ]);
      expect(answers.map((res) => res.status)).toEqual([401, 401, 401, 401, 401, 401]);
      expect((await logOf(app.strapi, logs[0].id)).status).toBe('sent');
      expect(logLines.join('\n')).not.toContain(SECRET);
    });
  });

  describe('Amazon SNS signatures', () => {
    const postSns = (message: object) =>
      webhook('ses')
        .set('Authorization', basic(SECRET))
        .set('Content-Type', 'text/plain; charset=UTF-8')
        .send(JSON.stringify(message));

    it('records a message signed with version 1 (SHA1) or 2 (SHA256), fetching each certificate once', async () => {
      const { logs } = await seedDelivery(app.strapi);
      const v1 = await postSns(snsSigner.sign(snsBounce(logs[0].messageId, logs[0].email), '1'));
      expect(v1.status).toBe(200);
      const v2 = await postSns(snsSigner.sign(snsBounce(logs[1].messageId, logs[1].email), '2'));
      expect(v2.status).toBe(200);
      expect(await logOf(app.strapi, logs[0].id)).toMatchObject({ status: 'bounced', failureType: 'hard' });
      expect(await logOf(app.strapi, logs[1].id)).toMatchObject({ status: 'bounced', failureType: 'hard' });
      expect(certificateRequests.filter((url) => url === SNS_CERT_URL)).toHaveLength(1);
    });

    it('refuses a tampered, unsigned or foreign-certificate message with 403 and records nothing', async () => {
      const { logs } = await seedDelivery(app.strapi);
      const signed = snsSigner.sign(snsBounce(logs[0].messageId, logs[0].email));
      const requestsBefore = certificateRequests.length;
      const answers = [
        // Signed for another message.
        await postSns({ ...snsSigner.sign(snsBounce('<other@host>', logs[0].email)), Message: signed.Message }),
        // No signature at all.
        await postSns(snsBounce(logs[0].messageId, logs[0].email)),
        // Signed by the attacker's key, served from a host that only looks like Amazon's.
        await postSns(
          snsSigner.sign(
            snsBounce(logs[0].messageId, logs[0].email),
            '1',
            'https://sns.us-east-1.amazonaws.com.evil.com/x.pem',
          ),
        ),
        await postSns({ ...signed, SignatureVersion: '3' }),
      ];
      expect(answers.map((res) => res.status)).toEqual([403, 403, 403, 403]);
      expect(answers[0].body.error.message).toMatch(/signature/i);
      expect(answers[2].body.error.message).toContain('SigningCertURL');
      expect(certificateRequests.slice(requestsBefore).every((url) => url === SNS_CERT_URL)).toBe(true);
      expect((await logOf(app.strapi, logs[0].id)).status).toBe('sent');
    });

    it('verifies a subscription confirmation before logging its URL', async () => {
      const confirmation = {
        Type: 'SubscriptionConfirmation',
        MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
        Token: '2336412f37',
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ses-bounces',
        Message: 'You have chosen to subscribe to the topic arn:aws:sns:eu-west-1:123456789012:ses-bounces.',
        SubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=2336412f37',
        Timestamp: '2026-01-27T14:59:38.237Z',
      };
      const signed = snsSigner.sign(confirmation);
      expect((await postSns(signed)).status).toBe(200);
      expect(logLines.join('\n')).toContain(confirmation.SubscribeURL);
      expect((await postSns({ ...signed, SubscribeURL: 'https://evil.example/confirm' })).status).toBe(403);
      expect(logLines.join('\n')).not.toContain('evil.example');
    });
  });

  describe('SendGrid signed event webhook', () => {
    const postSendgrid = (body: string, headers: Record<string, string>) => {
      const req = webhook('sendgrid').set('Authorization', basic(SECRET)).set('Content-Type', 'application/json');
      for (const [name, value] of Object.entries(headers)) req.set(name, value);
      return req.send(body);
    };
    const signed = (body: string, timestamp = String(Math.floor(Date.now() / 1000))) => ({
      'X-Twilio-Email-Event-Webhook-Signature': sendgridSigner.sign(body, timestamp),
      'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
    });

    it('records events whose signature covers the exact body received', async () => {
      const { logs } = await seedDelivery(app.strapi);
      const body = sendgridBody(logs[0].messageId, logs[0].email);
      const res = await postSendgrid(body, signed(body));
      expect(res.status).toBe(200);
      expect(await logOf(app.strapi, logs[0].id)).toMatchObject({ status: 'bounced', failureType: 'hard' });
    });

    it('refuses a missing or wrong signature with 403 and records nothing', async () => {
      const { logs } = await seedDelivery(app.strapi);
      const body = sendgridBody(logs[0].messageId, logs[0].email);
      const other = sendgridBody(logs[1].messageId, logs[1].email);
      const headers = signed(body);
      const answers = [
        await postSendgrid(body, {}),
        await postSendgrid(other, headers),
        await postSendgrid(body, { ...headers, 'X-Twilio-Email-Event-Webhook-Timestamp': '1588788368' }),
        await postSendgrid(body, { ...headers, 'X-Twilio-Email-Event-Webhook-Signature': 'bm90IGEgc2lnbmF0dXJl' }),
        // The same events, re-serialized: not the bytes SendGrid signed.
        await postSendgrid(JSON.stringify(JSON.parse(body)), headers),
      ];
      expect(answers.map((res) => res.status)).toEqual([403, 403, 403, 403, 403]);
      expect((await logOf(app.strapi, logs[0].id)).status).toBe('sent');
      expect((await logOf(app.strapi, logs[1].id)).status).toBe('sent');
    });
  });
});

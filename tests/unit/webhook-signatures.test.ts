// The webhook secret's accepted forms, and the providers' signatures: SendGrid's published test vector, Amazon SNS
// messages signed with a certificate made here (no real one is published with its signed messages), and the strict
// check of the certificate URL a message names.
import { generateKeyPairSync } from 'crypto';
import config from '../../server/src/config';
import type { PluginConfig } from '../../shared/config-schema';
import { parseSendgridVerificationKey, verifySendgridSignature } from '../../server/src/tracking/sendgrid-signature';
import {
  isSnsCertificateUrl,
  SnsSignatureError,
  snsStringToSign,
  verifySnsSignature,
} from '../../server/src/tracking/sns-signature';
import { basicAuthPassword, givenSecret, sameSecret } from '../../server/src/tracking/webhook-secret';
import { checkProviderSignature, type SignedRequest } from '../../server/src/tracking/webhook-signatures';
import { createSendgridSigner, createSnsSigner, SNS_CERT_URL } from '../helpers/webhook-signing';

describe('the webhook secret', () => {
  const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

  it.each([
    [basic('campaigns:s3cret'), 's3cret'],
    [basic('anyone:pass:with:colons'), 'pass:with:colons'],
    [`basic ${Buffer.from('u:p').toString('base64')}`, 'p'],
    [basic('no-colon'), ''],
    ['Bearer s3cret', ''],
    ['Basic !!!', ''],
    ['', ''],
    [undefined, ''],
  ])('the basic-auth password of %j is %j', (header, password) => {
    expect(basicAuthPassword(header)).toBe(password);
  });

  it('takes the header first, then basic auth', () => {
    expect(givenSecret({ secretHeader: 'a', authorization: basic('u:b') })).toBe('a');
    expect(givenSecret({ secretHeader: '', authorization: basic('u:b') })).toBe('b');
    expect(givenSecret({})).toBe('');
  });

  it('matches only the exact secret, never an empty one', () => {
    expect(sameSecret('s3cret', 's3cret')).toBe(true);
    expect(sameSecret('s3cret ', 's3cret')).toBe(false);
    expect(sameSecret('s3cre', 's3cret')).toBe(false);
    expect(sameSecret('', '')).toBe(false);
  });
});

describe('Amazon SNS certificate URLs', () => {
  it.each([
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem',
    'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-01d088a6f77103d0fe307c0069e40ed6.pem',
    'https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem',
    'https://sns.ap-southeast-2.amazonaws.com/SimpleNotificationService-abc.pem',
  ])('accepts %s', (url) => {
    expect(isSnsCertificateUrl(url)).toBe(true);
  });

  it.each([
    'https://sns.us-east-1.amazonaws.com.evil.com/x.pem',
    'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-abc.pem',
    'https://user:pass@sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://evil.com/sns.us-east-1.amazonaws.com/x.pem',
    'https://evil.com#https://sns.us-east-1.amazonaws.com/x.pem',
    'https://sns.us-east-1.amazonaws.com@evil.com/x.pem',
    'https://sns.us-east-1.amazonaws.com\\@evil.com/x.pem',
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem?x=1',
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem#x',
    'https://sns.us-east-1.amazonaws.com/a/../../evil.pem',
    'https://sns.us-east-1.amazonaws.com/%2e%2e/x.pem',
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.txt',
    'https://SNS.US-EAST-1.AMAZONAWS.COM/SimpleNotificationService-abc.pem',
    'https://s3.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://sns.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://evil.sns.us-east-1.amazonaws.com/x.pem',
    'https://sns.us-east-1.amazonaws.co/x.pem',
    'https://sns.us-east-1.amazonaws.com./x.pem',
    ' https://sns.us-east-1.amazonaws.com/x.pem',
    'https://sns.us-east-1.amazonaws.com/x.pem\n',
    'file:///etc/passwd',
    '',
    42,
    null,
  ])('refuses %j', (url) => {
    expect(isSnsCertificateUrl(url)).toBe(false);
  });
});

describe('Amazon SNS message signatures', () => {
  const signer = createSnsSigner();
  const notification = {
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: 'arn:aws:sns:us-west-2:123456789012:MyTopic',
    Subject: 'My First Message',
    Message: 'Hello world!',
    Timestamp: '2012-05-02T00:54:06.655Z',
  };

  it('builds the string SNS signs: the documented fields in order, absent ones skipped', () => {
    expect(snsStringToSign(notification)).toBe(
      'Message\nHello world!\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubject\nMy First Message\n' +
        'Timestamp\n2012-05-02T00:54:06.655Z\nTopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\nType\nNotification\n',
    );
    const { Subject, ...withoutSubject } = notification;
    expect(snsStringToSign(withoutSubject)).not.toContain('Subject');
  });

  it.each(['1', '2'] as const)('verifies SignatureVersion %s', (version) => {
    expect(() => verifySnsSignature(signer.sign(notification, version), signer.certificate)).not.toThrow();
  });

  it('verifies a message with non-ASCII text', () => {
    expect(() =>
      verifySnsSignature(signer.sign({ ...notification, Message: 'Ａ Ｍｅｓｓａｇｅ Zoë' }), signer.certificate),
    ).not.toThrow();
  });

  it.each([
    ['a changed message', { Message: 'Hello attacker!' }],
    ['a changed topic', { TopicArn: 'arn:aws:sns:us-west-2:999999999999:Other' }],
    ['a subject added', { Subject: 'Other' }],
    ['the other hash', { SignatureVersion: '2' }],
    ['a signature of something else', { Signature: Buffer.from('not a signature').toString('base64') }],
  ])('refuses %s', (_, change) => {
    expect(() => verifySnsSignature({ ...signer.sign(notification), ...change }, signer.certificate)).toThrow(
      SnsSignatureError,
    );
  });

  it('refuses a message signed by another key', () => {
    const other = createSnsSigner();
    expect(() => verifySnsSignature(other.sign(notification), signer.certificate)).toThrow('signature is not valid');
  });

  it.each([
    ['no signature', { Signature: undefined }, 'not signed'],
    ['an unknown version', { SignatureVersion: '3' }, 'SignatureVersion "3" is not supported'],
    [
      'a foreign certificate URL',
      { SigningCertURL: 'https://sns.us-east-1.amazonaws.com.evil.com/x.pem' },
      'SigningCertURL',
    ],
  ])('refuses %s before reading the certificate', (_, change, message) => {
    expect(() => verifySnsSignature({ ...signer.sign(notification), ...change }, 'not even a certificate')).toThrow(
      message,
    );
  });

  it('refuses what is not a certificate', () => {
    expect(() => verifySnsSignature(signer.sign(notification), 'garbage')).toThrow('could not be read');
  });
});

describe('SendGrid signed event webhook', () => {
  // The published test vector of sendgrid-nodejs (packages/eventwebhook/src/eventwebhook.spec.js).
  const PUBLIC_KEY =
    'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==';
  const SIGNATURE = 'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=';
  const TIMESTAMP = '1588788367';
  const PAYLOAD = JSON.stringify({ category: 'example_payload', event: 'test_event', message_id: 'message_id' });
  const verify = (key: string, payload: string, signature: string, timestamp: string) =>
    verifySendgridSignature(parseSendgridVerificationKey(key), signature, timestamp, Buffer.from(payload, 'utf8'));

  it('verifies the published vector', () => {
    expect(verify(PUBLIC_KEY, PAYLOAD, SIGNATURE, TIMESTAMP)).toBe(true);
  });

  it.each([
    [
      'another key',
      'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==',
      PAYLOAD,
      SIGNATURE,
      TIMESTAMP,
    ],
    ['another payload', PUBLIC_KEY, 'payload', SIGNATURE, TIMESTAMP],
    [
      'another signature',
      PUBLIC_KEY,
      PAYLOAD,
      'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH3j/0=',
      TIMESTAMP,
    ],
    ['another timestamp', PUBLIC_KEY, PAYLOAD, SIGNATURE, 'timestamp'],
    ['no signature', PUBLIC_KEY, PAYLOAD, '', TIMESTAMP],
    ['no timestamp', PUBLIC_KEY, PAYLOAD, SIGNATURE, ''],
    ['a signature that is not base64 DER', PUBLIC_KEY, PAYLOAD, '%%%', TIMESTAMP],
  ])('refuses %s', (_, key, payload, signature, timestamp) => {
    expect(verify(key, payload, signature, timestamp)).toBe(false);
  });

  it('verifies what a key made here signs (the integration tests sign this way)', () => {
    const signer = createSendgridSigner();
    expect(verify(signer.verificationKey, PAYLOAD, signer.sign(PAYLOAD, TIMESTAMP), TIMESTAMP)).toBe(true);
  });

  it.each([
    ['not base64 DER', 'hello', /not a public key/],
    [
      'an RSA key',
      generateKeyPairSync('rsa', { modulusLength: 1024 })
        .publicKey.export({ type: 'spki', format: 'der' })
        .toString('base64'),
      /not an ECDSA P-256/,
    ],
    [
      'a P-384 key',
      generateKeyPairSync('ec', { namedCurve: 'secp384r1' })
        .publicKey.export({ type: 'spki', format: 'der' })
        .toString('base64'),
      /not an ECDSA P-256/,
    ],
  ])('refuses a verification key that is %s', (_, key, message) => {
    expect(() => parseSendgridVerificationKey(key)).toThrow(message);
  });
});

describe('which calls must be signed', () => {
  const webhooks = (change: Partial<PluginConfig['webhooks']> = {}) => ({
    ...config.default().webhooks,
    secret: 's',
    ...change,
  });
  const request = (provider: SignedRequest['provider'], body: unknown): SignedRequest => ({
    provider,
    body,
    rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    header: () => '',
  });
  const rawSes = { notificationType: 'Bounce', mail: { messageId: 'x' } };
  const noCertificate = jest.fn(async () => {
    throw new Error('no certificate should be fetched');
  });

  it('SES: a raw notification (no SNS envelope) on the secret alone, unless signatures are required', async () => {
    expect(await checkProviderSignature(request('ses', rawSes), webhooks(), noCertificate)).toBeNull();
    expect(
      await checkProviderSignature(request('ses', rawSes), webhooks({ requireSignatures: true }), noCertificate),
    ).toMatchObject({
      status: 403,
      message: expect.stringContaining('raw message delivery'),
    });
  });

  it('SES: an SNS envelope must be signed, whatever requireSignatures says, and a foreign URL is never fetched', async () => {
    const envelope = { Type: 'Notification', MessageId: '1', TopicArn: 'arn', Message: '{}', Timestamp: 't' };
    expect(
      await checkProviderSignature(request('ses', JSON.stringify(envelope)), webhooks(), noCertificate),
    ).toMatchObject({ status: 403 });
    const foreign = {
      ...envelope,
      Signature: 'c2ln',
      SignatureVersion: '1',
      SigningCertURL: 'https://evil.example/x.pem',
    };
    expect(await checkProviderSignature(request('ses', foreign), webhooks(), noCertificate)).toMatchObject({
      status: 403,
    });
    expect(noCertificate).not.toHaveBeenCalled();
  });

  it('SES: a certificate that cannot be fetched answers 503, so that SNS retries', async () => {
    const signed = createSnsSigner().sign({
      Type: 'Notification',
      MessageId: '1',
      TopicArn: 'arn',
      Message: '{}',
      Timestamp: 't',
    });
    const refusal = await checkProviderSignature(request('ses', signed), webhooks(), noCertificate);
    expect(refusal).toMatchObject({
      status: 503,
      message: expect.stringContaining('no certificate should be fetched'),
    });
    expect(noCertificate).toHaveBeenCalledWith(SNS_CERT_URL);
  });

  it('SendGrid: signed when a verification key is set; required without one only by requireSignatures', async () => {
    const events = [{ event: 'bounce' }];
    const key = createSendgridSigner().verificationKey;
    expect(await checkProviderSignature(request('sendgrid', events), webhooks(), noCertificate)).toBeNull();
    expect(
      await checkProviderSignature(
        request('sendgrid', events),
        webhooks({ sendgridVerificationKey: key }),
        noCertificate,
      ),
    ).toMatchObject({ status: 403 });
    expect(
      await checkProviderSignature(request('sendgrid', events), webhooks({ requireSignatures: true }), noCertificate),
    ).toMatchObject({
      status: 403,
      message: expect.stringContaining('webhooks.sendgridVerificationKey'),
    });
  });

  it('generic: the secret is all there is', async () => {
    expect(
      await checkProviderSignature(request('generic', {}), webhooks({ requireSignatures: true }), noCertificate),
    ).toBeNull();
  });
});

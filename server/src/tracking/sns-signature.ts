// Amazon SNS message signatures (docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html): SNS signs
// some fields of each message with the key of a certificate it publishes at SigningCertURL. SignatureVersion 1 is
// RSA with SHA1, 2 is RSA with SHA256. The certificate URL comes from the message itself, so it is checked strictly
// before anything is fetched: https, a host sns.<region>.amazonaws.com (.cn for China), a .pem path, nothing else.
import { createVerify, X509Certificate } from 'crypto';

/** Why a message is refused; the text is the answer's error message. */
export class SnsSignatureError extends Error {}

/** The fields SNS signs, in this order, for each message type (a field absent from the message is skipped). */
const SIGNED_FIELDS: Record<string, readonly string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};
const ALGORITHMS: Record<string, string> = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' };

// The whole URL, character by character: no user info, port, query, fragment, encoded or backslashed characters.
const CERT_URL = /^https:\/\/sns\.[a-z]{2}(?:-[a-z]+)+-\d{1,2}\.amazonaws\.com(?:\.cn)?\/[A-Za-z0-9_-]{1,200}\.pem$/;
const CERT_HOST = /^sns\.[a-z]{2}(?:-[a-z]+)+-\d{1,2}\.amazonaws\.com(?:\.cn)?$/;

/** True only for an Amazon SNS signing certificate URL, e.g. https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem. */
export const isSnsCertificateUrl = (url: unknown): url is string => {
  if (typeof url !== 'string' || !CERT_URL.test(url)) return false;
  // Read back by the URL parser too, so that the host fetched is the host checked.
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === '' &&
    CERT_HOST.test(parsed.hostname) &&
    parsed.href === url
  );
};

/** Is this body an SNS envelope (as opposed to an SES notification posted raw)? */
export const isSnsMessage = (message: unknown): message is Record<string, unknown> =>
  message !== null &&
  typeof message === 'object' &&
  'Type' in message &&
  typeof message.Type === 'string' &&
  message.Type in SIGNED_FIELDS;

/** "Key\nvalue\n" for every signed field present, as SNS built it. */
export const snsStringToSign = (message: Record<string, unknown>): string => {
  const fields = SIGNED_FIELDS[String(message.Type)];
  if (!fields) throw new SnsSignatureError(`SNS message type ${JSON.stringify(message.Type)} is not one SNS signs`);
  return fields
    .filter((field) => message[field] !== undefined && message[field] !== null)
    .map((field) => `${field}\n${String(message[field])}\n`)
    .join('');
};

/** The certificate URL of a message, after checking the message carries what a signed one must. */
export const snsCertificateUrl = (message: Record<string, unknown>): string => {
  if (typeof message.Signature !== 'string' || message.Signature === '') {
    throw new SnsSignatureError('the SNS message is not signed (no Signature)');
  }
  if (!(String(message.SignatureVersion) in ALGORITHMS)) {
    throw new SnsSignatureError(
      `SNS SignatureVersion ${JSON.stringify(message.SignatureVersion)} is not supported (1 or 2)`,
    );
  }
  if (!isSnsCertificateUrl(message.SigningCertURL)) {
    throw new SnsSignatureError(
      'SigningCertURL is not an Amazon SNS certificate URL (https://sns.<region>.amazonaws.com/...pem)',
    );
  }
  return message.SigningCertURL;
};

/** Throws SnsSignatureError unless the message was signed with the key of this PEM certificate. */
export const verifySnsSignature = (message: Record<string, unknown>, certificatePem: string): void => {
  snsCertificateUrl(message);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch {
    throw new SnsSignatureError('the SNS signing certificate could not be read');
  }
  const verifier = createVerify(ALGORITHMS[String(message.SignatureVersion)]);
  verifier.update(snsStringToSign(message), 'utf8');
  let valid = false;
  try {
    valid = verifier.verify(certificate.publicKey, String(message.Signature), 'base64');
  } catch {
    valid = false;
  }
  if (!valid) throw new SnsSignatureError('the SNS message signature is not valid');
};

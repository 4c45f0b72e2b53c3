// SendGrid's signed Event Webhook: an ECDSA P-256 / SHA-256 signature over the timestamp header followed by the raw
// request body, in the headers below. The verification key is the one SendGrid shows (Mail Settings > Signed Event
// Webhook): base64 of the DER public key.
import { createPublicKey, verify, type KeyObject } from 'crypto';

export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/** The key of a SendGrid verification key; throws with the reason when it is not a base64 DER P-256 public key. */
export const parseSendgridVerificationKey = (base64: string): KeyObject => {
  const der = Buffer.from(base64.replace(/\s+/g, ''), 'base64');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    throw new Error('not a public key: paste the Verification Key SendGrid shows (base64, starts with MFkw)');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('not an ECDSA P-256 public key, which is what SendGrid signs with');
  }
  return key;
};

/** Did SendGrid sign exactly these bytes at this timestamp? */
export const verifySendgridSignature = (
  key: KeyObject,
  signature: string,
  timestamp: string,
  rawBody: Buffer,
): boolean => {
  if (!signature || !timestamp) return false;
  try {
    return verify(
      'sha256',
      Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]),
      { key, dsaEncoding: 'der' },
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
};

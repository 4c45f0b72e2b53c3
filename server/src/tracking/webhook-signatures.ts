// The providers' own signatures on bounce webhook calls, checked after the shared secret and before anything is read
// into the database. Amazon SNS signs every message it posts (an SES notification posted raw, without the SNS
// envelope, carries no signature); SendGrid signs its events when the Signed Event Webhook is on.
import type { PluginConfig } from '../../../shared/config-schema';
import type { BounceProvider } from './bounce-notifications';
import {
  parseSendgridVerificationKey,
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  verifySendgridSignature,
} from './sendgrid-signature';
import { isSnsMessage, snsCertificateUrl, SnsSignatureError, verifySnsSignature } from './sns-signature';
import { reasonOf } from '../platform/error-reason';

export interface SignedRequest {
  provider: BounceProvider;
  /** The parsed body (SNS posts JSON as text/plain: then a string). */
  body: unknown;
  rawBody: Buffer;
  header: (name: string) => string;
}

/** Why a call is refused: 403 for a missing or bad signature, 503 when it cannot be checked now (the provider retries). */
export interface SignatureRefusal {
  status: 403 | 503;
  message: string;
}

const parsedJson = (body: unknown): unknown => {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    // Not JSON: not a signed message, and the format check answers 400.
    return null;
  }
};

const checkSns = async (
  body: unknown,
  config: PluginConfig['webhooks'],
  certificate: (url: string) => Promise<string>,
): Promise<SignatureRefusal | null> => {
  const message = parsedJson(body);
  if (!isSnsMessage(message)) {
    return config.requireSignatures
      ? {
          status: 403,
          message:
            'Only signed Amazon SNS messages are accepted (webhooks.requireSignatures): turn off raw message delivery on the subscription',
        }
      : null;
  }
  try {
    const url = snsCertificateUrl(message);
    let pem: string;
    try {
      pem = await certificate(url);
    } catch (error) {
      return {
        status: 503,
        message: `The SNS signing certificate could not be fetched (${reasonOf(error)}); SNS will try again`,
      };
    }
    verifySnsSignature(message, pem);
    return null;
  } catch (error) {
    if (error instanceof SnsSignatureError) return { status: 403, message: `Refused: ${error.message}` };
    throw error;
  }
};

const checkSendgrid = (request: SignedRequest, config: PluginConfig['webhooks']): SignatureRefusal | null => {
  if (!config.sendgridVerificationKey) {
    return config.requireSignatures
      ? {
          status: 403,
          message: 'SendGrid calls must be signed (webhooks.requireSignatures): set webhooks.sendgridVerificationKey',
        }
      : null;
  }
  const key = parseSendgridVerificationKey(config.sendgridVerificationKey);
  const signed = verifySendgridSignature(
    key,
    request.header(SENDGRID_SIGNATURE_HEADER),
    request.header(SENDGRID_TIMESTAMP_HEADER),
    request.rawBody,
  );
  return signed
    ? null
    : {
        status: 403,
        message:
          'Refused: missing or wrong SendGrid signature (X-Twilio-Email-Event-Webhook-Signature) for webhooks.sendgridVerificationKey',
      };
};

/** null when the call may be read; the refusal otherwise. The generic format has no provider signature: its secret is all. */
export const checkProviderSignature = async (
  request: SignedRequest,
  config: PluginConfig['webhooks'],
  certificate: (url: string) => Promise<string>,
): Promise<SignatureRefusal | null> => {
  switch (request.provider) {
    case 'ses':
      return checkSns(request.body, config, certificate);
    case 'sendgrid':
      return checkSendgrid(request, config);
    case 'generic':
      return null;
  }
};

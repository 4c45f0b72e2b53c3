// Signs webhook payloads the way Amazon SNS and SendGrid do, with keys made here: tests never reach the providers.
import { execFileSync } from 'child_process';
import { createSign, generateKeyPairSync, sign as ecdsaSign } from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';

/** The keys SNS signs, in its order (docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html). */
const SNS_KEYS: Record<string, string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

export const SNS_CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem';

/** An RSA key and a self-signed X.509 certificate for it (made by the openssl command, as Node cannot issue one). */
export const createSnsSigner = () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-sns-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const certificate = execFileSync(
      'openssl',
      ['req', '-x509', '-new', '-key', keyFile, '-subj', '/CN=sns.amazonaws.com', '-days', '2', '-sha256'],
      { encoding: 'utf8' },
    );
    /** The message with SigningCertURL, SignatureVersion and its Signature set. */
    const sign = (
      message: Record<string, string>,
      version: '1' | '2' = '1',
      certUrl = SNS_CERT_URL,
    ): Record<string, string> => {
      const signer = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256');
      for (const key of SNS_KEYS[message.Type]) {
        if (message[key] !== undefined) signer.update(`${key}\n${message[key]}\n`, 'utf8');
      }
      return {
        ...message,
        SignatureVersion: version,
        SigningCertURL: certUrl,
        Signature: signer.sign(privateKey, 'base64'),
      };
    };
    return { certificate, sign };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

/** A P-256 key pair; the verification key as SendGrid shows it (base64 of the DER public key). */
export const createSendgridSigner = () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const verificationKey = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const sign = (payload: string, timestamp: string) =>
    ecdsaSign('sha256', Buffer.from(timestamp + payload, 'utf8'), privateKey).toString('base64');
  return { verificationKey, sign };
};

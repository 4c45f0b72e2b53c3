// Signed tokens of the sign-up confirmation links (/api/campaigns/confirm/<token>): the subscribe consent record they
// confirm and when they were issued, so a link expires without any stored state. Same HMAC scheme and keys as the
// tracking tokens (platform/tokens.ts, platform/token-keys.ts) but a key context of its own: a tracking token can
// never pass for a confirmation token, and the tracking token format (on every link of every message) is left alone.
//
// Layout, then base64url without padding: [version byte][LEB128 consentId][LEB128 issuedAt, seconds][MAC, 16 bytes].
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

export interface ConfirmTokenPayload {
  consentId: number;
  /** When the link was issued, in whole seconds since the epoch. */
  issuedAt: number;
}

export interface ConfirmTokenSigner {
  sign(payload: ConfirmTokenPayload): string;
  /** The payload, or null for anything not signed by one of the keys. Never throws. */
  verify(token: string): ConfirmTokenPayload | null;
}

const VERSION = 1;
const MAC_BYTES = 16;
const MAX_TOKEN_LENGTH = 96;
const KEY_CONTEXT = 'strapi-plugin-campaigns/confirm-token/v1';

const isId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

const writeVarint = (bytes: number[], value: number): void => {
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
};

/** One canonical varint at `offset`: its value and where it ends, or null. */
const readVarint = (bytes: Buffer, offset: number, end: number): { value: number; next: number } | null => {
  let value = 0;
  let scale = 1;
  for (let i = offset; i < end && i < offset + 8; i += 1) {
    const byte = bytes[i];
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) {
      if ((byte === 0 && i > offset) || value > Number.MAX_SAFE_INTEGER) return null;
      return { value, next: i + 1 };
    }
    scale *= 0x80;
  }
  return null;
};

const deriveKey = (key: string): KeyObject => {
  if (typeof key !== 'string' || key.length === 0) throw new TypeError('A token key must be a non-empty string');
  return createSecretKey(createHmac('sha256', key).update(KEY_CONTEXT).digest());
};

/** keys[0] signs, every key verifies (rotation), as for the tracking tokens. */
export const createConfirmTokenSigner = (keys: string[]): ConfirmTokenSigner => {
  if (!Array.isArray(keys) || keys.length === 0) throw new TypeError('At least one token key is required');
  const macKeys = keys.map(deriveKey);
  const mac = (key: KeyObject, data: Uint8Array) =>
    createHmac('sha256', key).update(data).digest().subarray(0, MAC_BYTES);

  return {
    sign({ consentId, issuedAt }) {
      if (!isId(consentId) || !isId(issuedAt))
        throw new RangeError('consentId and issuedAt must be non-negative integers');
      const bytes: number[] = [VERSION];
      writeVarint(bytes, consentId);
      writeVarint(bytes, issuedAt);
      const body = Buffer.from(bytes);
      return Buffer.concat([body, mac(macKeys[0], body)]).toString('base64url');
    },

    verify(token) {
      if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
      if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
      const bytes = Buffer.from(token, 'base64url');
      // Refuse texts that decode to the same bytes as another (non-zero unused bits): one token per payload.
      if (bytes.toString('base64url') !== token) return null;
      const bodyEnd = bytes.length - MAC_BYTES;
      if (bodyEnd < 3 || bytes[0] !== VERSION) return null;
      const consent = readVarint(bytes, 1, bodyEnd);
      if (!consent) return null;
      const issued = readVarint(bytes, consent.next, bodyEnd);
      if (!issued || issued.next !== bodyEnd) return null;
      const body = bytes.subarray(0, bodyEnd);
      const signature = bytes.subarray(bodyEnd);
      let signed = false;
      // Every key is tried, so the time taken does not tell which one matched.
      for (const key of macKeys) if (timingSafeEqual(mac(key, body), signature)) signed = true;
      return signed ? { consentId: consent.value, issuedAt: issued.value } : null;
    },
  };
};

// Signed, compact, URL-safe tokens carried by the public tracking URLs /api/campaigns/{o,c,u,m,p}/<token>.
//
// Layout, then base64url without padding:
//   [version byte][kind byte][LEB128 deliveryId][LEB128 deliveryLogId][LEB128 trackedLinkId, clicks only][MAC]
// MAC = the first 12 bytes (96 bits) of HMAC-SHA256 over everything before it, keyed by a subkey derived from the
// configured key. Tokens are 22 characters at the shortest, 26 to 31 for ids in the millions, 51 at the longest.

import * as nodeCrypto from 'node:crypto';
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenKind = 'open' | 'click' | 'unsubscribe' | 'mirror' | 'preferences';

export interface TokenPayload {
  kind: TokenKind;
  deliveryId: number;
  /** 0 for a test send or a preview: the route answers, but records nothing. */
  deliveryLogId: number;
  /** Present exactly when kind is 'click'. */
  trackedLinkId?: number;
}

export interface TokenSigner {
  sign(payload: TokenPayload): string;
  /** The payload, or null for anything not signed by one of the keys (or not of `expectedKind` when given). */
  verify(token: string, expectedKind?: TokenKind): TokenPayload | null;
}

const VERSION = 1;
const MAC_BYTES = 12;
/** Longest well-formed token is 51 characters (three 8-byte varints); the margin costs nothing. */
export const MAX_TOKEN_LENGTH = 128;
/** Domain separation: the configured key may be reused elsewhere (e.g. an app key), its HMACs here never collide. */
const KEY_CONTEXT = 'strapi-plugin-campaigns/tracking-token/v1';

// Kind codes are part of the wire format: never renumber them, only add.
const KIND_CODES: Record<TokenKind, number> = { open: 1, click: 2, unsubscribe: 3, mirror: 4, preferences: 5 };
const KINDS_BY_CODE: (TokenKind | undefined)[] = [undefined, 'open', 'click', 'unsubscribe', 'mirror', 'preferences'];

// base64url alphabet -> 6-bit value, -1 for any other character (so '=', '+', '/' and whitespace are refused).
const BASE64URL_VALUES = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  .split('')
  .forEach((char, value) => (BASE64URL_VALUES[char.charCodeAt(0)] = value));

const isId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Writes `value` as LEB128 at `offset`; returns the offset after it. */
const writeVarint = (bytes: Buffer, offset: number, value: number): number => {
  // Arithmetic instead of bit operators: ids go up to 2^53 - 1, bit operators stop at 32 bits.
  let rest = value;
  let at = offset;
  while (rest >= 0x80) {
    bytes[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  bytes[at++] = rest;
  return at;
};

// The subkey stays a Buffer, not a KeyObject: Node's createHmac() takes about twice as long with a KeyObject (6.5 µs
// against 3.4 µs measured, on every tracking hit and a dozen times per message sent).
const deriveKey = (key: string): Buffer => {
  if (typeof key !== 'string' || key.length === 0) {
    throw new TypeError('A tracking token key must be a non-empty string');
  }
  return createHmac('sha256', key).update(KEY_CONTEXT).digest();
};

const SHA256_BLOCK = 64;
// crypto.hash() (Node >= 20.12): a one-shot digest, no Hash object built and freed per call.
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer }).hash;

/**
 * HMAC-SHA256 under one key (RFC 2104), as two one-shot digests over buffers padded with the key once: about half
 * the CPU time of createHmac().update().digest() per token (measured 5.7 µs against 12.5 µs on a loaded machine),
 * which tracking hits pay on every open and click. Falls back to createHmac() without crypto.hash().
 */
export const createMac = (key: Buffer, maxData: number): ((data: Uint8Array) => Buffer) => {
  if (!oneShotHash || key.length > SHA256_BLOCK) return (data) => createHmac('sha256', key).update(data).digest();
  const hash = oneShotHash;
  const inner = Buffer.alloc(SHA256_BLOCK + maxData);
  const outer = Buffer.alloc(SHA256_BLOCK + 32);
  for (let i = 0; i < SHA256_BLOCK; i++) {
    inner[i] = (key[i] ?? 0) ^ 0x36;
    outer[i] = (key[i] ?? 0) ^ 0x5c;
  }
  return (data) => {
    if (data.length > maxData) return createHmac('sha256', key).update(data).digest();
    inner.set(data, SHA256_BLOCK);
    hash('sha256', inner.subarray(0, SHA256_BLOCK + data.length), 'buffer').copy(outer, SHA256_BLOCK);
    return hash('sha256', outer, 'buffer');
  };
};

const assertPayload = (payload: TokenPayload): void => {
  if (payload === null || typeof payload !== 'object' || !Object.hasOwn(KIND_CODES, payload.kind)) {
    throw new TypeError(`Unknown tracking token kind: ${String(payload?.kind)}`);
  }
  if (!isId(payload.deliveryId) || !isId(payload.deliveryLogId)) {
    throw new RangeError('deliveryId and deliveryLogId must be non-negative safe integers');
  }
  if (payload.kind === 'click' ? !isId(payload.trackedLinkId) : payload.trackedLinkId !== undefined) {
    throw new TypeError('trackedLinkId is required for a click token and forbidden for any other kind');
  }
};

/**
 * A signer for one key set: keys[0] signs, every key verifies (so keys[1..] are the previous keys still honoured
 * while a rotation settles). Throws at once when there is no usable key: a misconfiguration should fail at boot.
 */
export const createTokenSigner = (keys: string[]): TokenSigner => {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new TypeError('At least one tracking token key is required');
  }
  // One MAC per key, each with its padded buffers (synchronous, reused like the scratch buffers below).
  const macKeys = keys.map((key) => createMac(deriveKey(key), MAX_TOKEN_LENGTH));
  // verify runs on every tracking hit: decode into one reused buffer instead of allocating per request.
  // Safe because verify is synchronous and nothing else touches the buffer.
  const scratch = Buffer.alloc(Math.ceil((MAX_TOKEN_LENGTH * 3) / 4));

  const mac = (key: (data: Uint8Array) => Buffer, data: Uint8Array): Buffer => key(data);

  // sign runs a dozen times per message sent: the token is laid out in one reused buffer (synchronous, like verify's
  // scratch) rather than in an array, a copy and a concatenation each time (bench/README.md, "What grows with the audience").
  const signing = Buffer.alloc(MAX_TOKEN_LENGTH);

  const sign = (payload: TokenPayload): string => {
    assertPayload(payload);
    signing[0] = VERSION;
    signing[1] = KIND_CODES[payload.kind];
    let end = writeVarint(signing, 2, payload.deliveryId);
    end = writeVarint(signing, end, payload.deliveryLogId);
    if (payload.kind === 'click') end = writeVarint(signing, end, payload.trackedLinkId as number);
    mac(macKeys[0], signing.subarray(0, end)).copy(signing, end, 0, MAC_BYTES);
    return signing.toString('base64url', 0, end + MAC_BYTES);
  };

  /** Strict base64url decode into `scratch`; returns the byte length, or -1 for a bad or non-canonical text. */
  const decode = (token: string): number => {
    const length = token.length;
    // One leftover character cannot hold a byte: no encoder produces it.
    if (length % 4 === 1) return -1;
    let accumulator = 0;
    let bits = 0;
    let size = 0;
    for (let i = 0; i < length; i += 1) {
      const code = token.charCodeAt(i);
      const value = code < 128 ? BASE64URL_VALUES[code] : -1;
      if (value < 0) return -1;
      accumulator = ((accumulator << 6) | value) & 0xfff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        scratch[size] = (accumulator >> bits) & 0xff;
        size += 1;
      }
    }
    // The unused low bits of the last character must be zero, or two texts would carry the same bytes and a
    // changed character could still verify.
    if ((accumulator & ((1 << bits) - 1)) !== 0) return -1;
    return size;
  };

  // Where the last readVarint stopped; a closure variable rather than a returned tuple, to allocate nothing.
  let varintEnd = 0;
  /** Reads one canonical LEB128 varint of at most 8 bytes at `offset`, before `end`; -1 when there is none. */
  const readVarint = (end: number, offset: number): number => {
    let value = 0;
    let scale = 1;
    for (let i = offset; i < end && i < offset + 8; i += 1) {
      const byte = scratch[i];
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        // A zero last byte after the first is a padded (non-minimal) encoding of a shorter number.
        if (byte === 0 && i > offset) return -1;
        if (value > Number.MAX_SAFE_INTEGER) return -1;
        varintEnd = i + 1;
        return value;
      }
      scale *= 0x80;
    }
    return -1;
  };

  const verify = (token: string, expectedKind?: TokenKind): TokenPayload | null => {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
    const size = decode(token);
    const bodyEnd = size - MAC_BYTES;
    if (bodyEnd < 4 || scratch[0] !== VERSION) return null;

    const kind = KINDS_BY_CODE[scratch[1]];
    if (kind === undefined || (expectedKind !== undefined && kind !== expectedKind)) return null;
    const deliveryId = readVarint(bodyEnd, 2);
    if (deliveryId < 0) return null;
    const deliveryLogId = readVarint(bodyEnd, varintEnd);
    if (deliveryLogId < 0) return null;
    let trackedLinkId = -1;
    if (kind === 'click') {
      trackedLinkId = readVarint(bodyEnd, varintEnd);
      if (trackedLinkId < 0) return null;
    }
    if (varintEnd !== bodyEnd) return null;

    const body = scratch.subarray(0, bodyEnd);
    const signature = scratch.subarray(bodyEnd, size);
    let signed = false;
    // Every key is tried even after a match, so the time taken does not tell which key (or whether any) matched.
    for (const key of macKeys) {
      if (timingSafeEqual(mac(key, body).subarray(0, MAC_BYTES), signature)) signed = true;
    }
    if (!signed) return null;

    return kind === 'click' ? { kind, deliveryId, deliveryLogId, trackedLinkId } : { kind, deliveryId, deliveryLogId };
  };

  return {
    sign,
    verify: (token, expectedKind) => {
      try {
        return verify(token, expectedKind);
      } catch {
        return null;
      }
    },
  };
};

/** Signs one payload with `key`. Throws on an invalid payload (a programming error, not user input). */
export const signToken = (payload: TokenPayload, key: string): string => createTokenSigner([key]).sign(payload);

/**
 * The payload of a token signed by any of `keys` (keys[0] current, the rest previous keys still accepted), or null.
 * Never throws, whatever the input: tracking routes answer a plain 404 for anything that is not a good token.
 * On a hot path, build one signer with createTokenSigner instead: this derives the keys on every call.
 */
export const verifyToken = (token: string, keys: string[], expectedKind?: TokenKind): TokenPayload | null => {
  try {
    return createTokenSigner(keys).verify(token, expectedKind);
  } catch {
    return null;
  }
};

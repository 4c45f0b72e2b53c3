// Signed tracking tokens: round trips, key rotation, and a thousand-plus ways to present a bad token.
import { createHmac } from 'node:crypto';
import {
  MAX_TOKEN_LENGTH,
  createMac,
  createTokenSigner,
  signToken,
  verifyToken,
  type TokenKind,
  type TokenPayload,
} from '../../server/src/platform/tokens';

const KEY = 'current-tracking-key-0123456789';
const OLD_KEY = 'previous-tracking-key-9876543210';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const MAX = Number.MAX_SAFE_INTEGER;

/** Seeded PRNG (mulberry32), so a failing generated case is the same on every run. */
const random = (() => {
  let seed = 0x5eed1234;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();
const randomInt = (below: number) => Math.floor(random() * below);
const randomString = (length: number, chars: string) =>
  Array.from({ length }, () => chars[randomInt(chars.length)]).join('');

/**
 * Signs raw bytes the way the module does (the wire format is a contract: tokens in sent mail must keep working),
 * so bodies the signer would never produce can be given a valid signature.
 */
const signRaw = (body: number[], key = KEY): string => {
  const macKey = createHmac('sha256', key).update('strapi-plugin-campaigns/tracking-token/v1').digest();
  const mac = createHmac('sha256', macKey).update(Buffer.from(body)).digest().subarray(0, 12);
  return Buffer.concat([Buffer.from(body), mac]).toString('base64url');
};

const payloads: TokenPayload[] = [
  { kind: 'open', deliveryId: 1, deliveryLogId: 1 },
  { kind: 'open', deliveryId: 0, deliveryLogId: 0 },
  { kind: 'open', deliveryId: MAX, deliveryLogId: MAX },
  { kind: 'click', deliveryId: 12, deliveryLogId: 345_678, trackedLinkId: 9 },
  { kind: 'click', deliveryId: 0, deliveryLogId: 0, trackedLinkId: 0 },
  { kind: 'click', deliveryId: MAX, deliveryLogId: MAX, trackedLinkId: MAX },
  { kind: 'unsubscribe', deliveryId: 127, deliveryLogId: 128 },
  { kind: 'unsubscribe', deliveryId: MAX - 1, deliveryLogId: 2 ** 32 },
  { kind: 'mirror', deliveryId: 16_383, deliveryLogId: 16_384 },
  { kind: 'mirror', deliveryId: MAX, deliveryLogId: 0 },
];

describe('signing and verifying', () => {
  it.each(payloads.map((payload) => [JSON.stringify(payload), payload] as const))(
    'a token for %s verifies back to exactly its payload',
    (_, payload) => {
      const token = signToken(payload, KEY);

      expect(verifyToken(token, [KEY])).toEqual(payload);
      expect(createTokenSigner([KEY]).verify(token)).toEqual(payload);
    },
  );

  it.each(payloads.map((payload) => [JSON.stringify(payload), payload] as const))(
    'the token for %s fits in a URL path segment as is',
    (_, payload) => {
      const token = signToken(payload, KEY);

      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(token.length).toBeLessThanOrEqual(51);
    },
  );

  it('a typical click token (ids in the millions) is well under 40 characters', () => {
    const token = signToken({ kind: 'click', deliveryId: 1_234, deliveryLogId: 4_567_890, trackedLinkId: 56_789 }, KEY);

    expect(token.length).toBeLessThan(40);
  });

  it('a click token carries its tracked link and other kinds carry none', () => {
    const click = verifyToken(signToken({ kind: 'click', deliveryId: 1, deliveryLogId: 2, trackedLinkId: 3 }, KEY), [
      KEY,
    ]);
    const open = verifyToken(signToken({ kind: 'open', deliveryId: 1, deliveryLogId: 2 }, KEY), [KEY]);

    expect(click).toEqual({ kind: 'click', deliveryId: 1, deliveryLogId: 2, trackedLinkId: 3 });
    expect(open).not.toHaveProperty('trackedLinkId');
  });

  it.each<[TokenKind, TokenKind]>([
    ['open', 'click'],
    ['click', 'open'],
    ['unsubscribe', 'mirror'],
    ['mirror', 'unsubscribe'],
  ])('a valid %s token presented on the %s route is rejected', (kind, route) => {
    const token = signToken(
      { kind, deliveryId: 1, deliveryLogId: 2, ...(kind === 'click' ? { trackedLinkId: 3 } : {}) },
      KEY,
    );

    expect(verifyToken(token, [KEY], route)).toBeNull();
    expect(createTokenSigner([KEY]).verify(token, route)).toBeNull();
    expect(verifyToken(token, [KEY], kind)).not.toBeNull();
  });

  it('a token signed with another key is rejected', () => {
    const token = signToken({ kind: 'open', deliveryId: 1, deliveryLogId: 2 }, 'somebody-elses-key');

    expect(verifyToken(token, [KEY])).toBeNull();
  });

  it.each<[string, unknown]>([
    ['an unknown kind', { kind: 'bounce', deliveryId: 1, deliveryLogId: 1 }],
    ['an inherited property name as kind', { kind: 'toString', deliveryId: 1, deliveryLogId: 1 }],
    ['a negative id', { kind: 'open', deliveryId: -1, deliveryLogId: 1 }],
    ['a fractional id', { kind: 'open', deliveryId: 1.5, deliveryLogId: 1 }],
    ['an id past MAX_SAFE_INTEGER', { kind: 'open', deliveryId: MAX + 1, deliveryLogId: 1 }],
    ['a string id', { kind: 'open', deliveryId: '1', deliveryLogId: 1 }],
    ['NaN', { kind: 'open', deliveryId: 1, deliveryLogId: NaN }],
    ['a click without trackedLinkId', { kind: 'click', deliveryId: 1, deliveryLogId: 1 }],
    ['an open with a trackedLinkId', { kind: 'open', deliveryId: 1, deliveryLogId: 1, trackedLinkId: 4 }],
    ['a null payload', null],
  ])('signing %s throws: it is a programming error, not user input', (_, payload) => {
    expect(() => signToken(payload as TokenPayload, KEY)).toThrow();
  });

  it('a signer without keys, or with an empty key, refuses to start', () => {
    expect(() => createTokenSigner([])).toThrow(/key/);
    expect(() => createTokenSigner([''])).toThrow(/key/);
    expect(() => signToken({ kind: 'open', deliveryId: 1, deliveryLogId: 1 }, '')).toThrow(/key/);
  });

  it('verifying with no usable key returns null instead of throwing', () => {
    const token = signToken({ kind: 'open', deliveryId: 1, deliveryLogId: 2 }, KEY);

    expect(verifyToken(token, [])).toBeNull();
    expect(verifyToken(token, [''])).toBeNull();
    expect(verifyToken(token, null as unknown as string[])).toBeNull();
  });
});

describe('key rotation', () => {
  const payload: TokenPayload = { kind: 'click', deliveryId: 7, deliveryLogId: 70_000, trackedLinkId: 3 };
  const oldToken = signToken(payload, OLD_KEY);

  it('a token signed with the previous key still verifies while that key is listed after the current one', () => {
    expect(verifyToken(oldToken, [KEY, OLD_KEY])).toEqual(payload);
    expect(createTokenSigner([KEY, OLD_KEY]).verify(oldToken)).toEqual(payload);
  });

  it('a token signed with the previous key is rejected once that key is removed', () => {
    expect(verifyToken(oldToken, [KEY])).toBeNull();
  });

  it('new tokens are signed with the first key only', () => {
    const newToken = createTokenSigner([KEY, OLD_KEY]).sign(payload);

    expect(verifyToken(newToken, [KEY])).toEqual(payload);
    expect(verifyToken(newToken, [OLD_KEY])).toBeNull();
  });
});

describe('bad tokens', () => {
  const signer = createTokenSigner([KEY, OLD_KEY]);
  const click = signer.sign({ kind: 'click', deliveryId: 42, deliveryLogId: 1_000_001, trackedLinkId: 17 });
  const open = signer.sign({ kind: 'open', deliveryId: MAX, deliveryLogId: 5 });
  const other = signer.sign({ kind: 'click', deliveryId: 43, deliveryLogId: 1_000_002, trackedLinkId: 18 });

  const generated = (): [string, unknown][] => {
    const cases: [string, unknown][] = [];
    for (const token of [click, open]) {
      // Every single-character change, to every other alphabet character.
      for (let i = 0; i < token.length; i += 1) {
        for (const char of ALPHABET) {
          if (char !== token[i]) cases.push([`mutation ${i}`, token.slice(0, i) + char + token.slice(i + 1)]);
        }
        for (const char of ['=', '+', '/', '.', ' ', '%', 'é', '\u0000']) {
          cases.push([`foreign char at ${i}`, token.slice(0, i) + char + token.slice(i + 1)]);
        }
      }
      for (let length = 0; length < token.length; length += 1)
        cases.push([`truncated to ${length}`, token.slice(0, length)]);
      for (const char of ALPHABET) cases.push([`extended by ${char}`, token + char]);
      for (const suffix of ['=', '==', 'AA', 'AAAA', token, '/', '?x=1', '%00', '\n']) {
        cases.push([`extended by ${JSON.stringify(suffix)}`, token + suffix]);
      }
    }
    // A body with another token's signature: both halves genuine, the pair is not.
    const [clickBytes, otherBytes] = [click, other].map((token) => Buffer.from(token, 'base64url'));
    const swapped = Buffer.concat([clickBytes.subarray(0, -12), otherBytes.subarray(-12)]).toString('base64url');
    cases.push(['signature swapped between two tokens', swapped]);
    for (let i = 0; i < 300; i += 1) {
      cases.push(['random base64url', randomString(1 + randomInt(60), ALPHABET)]);
      cases.push(['random printable', randomString(1 + randomInt(60), ALPHABET + '!"#$%&\'()*+,./:;<=>?@[\\]^`{|}~ ')]);
    }
    return cases;
  };

  const hostile: [string, unknown][] = [
    ['empty string', ''],
    ['path traversal', '../../../etc/passwd'],
    ['encoded path traversal', '..%2F..%2Fetc%2Fpasswd'],
    ['SQL', "' OR 1=1 --"],
    ['SQL in the alphabet', 'SELECT-FROM-users-WHERE-1-1'],
    ['unicode', 'ÀÉÎõü漢字🙂'],
    ['unicode lookalike of a valid token', click.replace(/[a]/, 'а')],
    ['base64 padding', `${click}==`],
    ['standard base64 alphabet', Buffer.from(click, 'base64url').toString('base64')],
    ['leading whitespace', ` ${click}`],
    ['trailing newline', `${click}\n`],
    ['oversized valid characters', 'A'.repeat(MAX_TOKEN_LENGTH + 1)],
    ['very large input', 'A'.repeat(1_000_000)],
    ['the token twice', click + click],
    ['null', null],
    ['undefined', undefined],
    ['a number', 12345],
    ['an object', { toString: () => click }],
    ['an array', [click]],
    ['a buffer', Buffer.from(click)],
    ['a string object', new String(click)],
  ];

  const malformedButSigned: [string, number[]][] = [
    ['unknown kind byte 0', [1, 0, 1, 1]],
    ['unknown kind byte 6', [1, 6, 1, 1]],
    ['unknown kind byte 255', [1, 255, 1, 1]],
    ['unknown version', [2, 1, 1, 1]],
    ['version 0', [0, 1, 1, 1]],
    ['a click without a tracked link id', [1, 2, 1, 1]],
    ['an open with a tracked link id', [1, 1, 1, 1, 1]],
    ['trailing bytes', [1, 3, 1, 1, 0, 0]],
    ['a varint cut off', [1, 1, 1, 0x81]],
    ['a padded (non-minimal) varint', [1, 1, 0x81, 0x00, 1]],
    ['a nine-byte varint', [1, 1, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 1]],
    ['an id of 2^53', [1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10, 1]],
    ['an id of 2^56 - 1', [1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1]],
    ['no ids at all', [1, 1]],
  ];

  it('the raw signing helper of these tests matches the module, so the malformed cases below are meaningful', () => {
    expect(signRaw([1, 1, 42, 5])).toBe(signToken({ kind: 'open', deliveryId: 42, deliveryLogId: 5 }, KEY));
    expect(signer.verify(signRaw([1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0]))).toEqual({
      kind: 'open',
      deliveryId: MAX,
      deliveryLogId: 0,
    });
  });

  it.each(malformedButSigned)('a correctly signed token with %s is rejected', (_, body) => {
    expect(signer.verify(signRaw(body))).toBeNull();
    expect(verifyToken(signRaw(body), [KEY])).toBeNull();
  });

  it.each(hostile)('%s is rejected without throwing', (_, token) => {
    expect(() => signer.verify(token as string)).not.toThrow();
    expect(signer.verify(token as string)).toBeNull();
    expect(verifyToken(token as string, [KEY, OLD_KEY])).toBeNull();
  });

  it('thousands of generated bad tokens (mutations, truncations, extensions, swaps, random) all return null', () => {
    const cases = generated();
    expect(cases.length).toBeGreaterThan(1_000);

    const accepted = cases.filter(([, token]) => {
      try {
        return signer.verify(token as string) !== null || verifyToken(token as string, [KEY, OLD_KEY]) !== null;
      } catch (error) {
        return true; // a throw fails the test just like an acceptance
      }
    });

    expect(accepted).toEqual([]);
  });

  it('every single-character change of a valid token is rejected (no two texts decode to the same bytes)', () => {
    // The last character of a base64url text has unused low bits; a lenient decoder would accept it changed.
    const lastChanged = ALPHABET.split('')
      .filter((char) => char !== click[click.length - 1])
      .map((char) => click.slice(0, -1) + char);

    expect(lastChanged.map((token) => signer.verify(token))).toEqual(lastChanged.map(() => null));
    expect(signer.verify(click)).not.toBeNull();
  });
});

describe('createMac', () => {
  it('is HMAC-SHA256 for keys up to a block and past it, data up to its bound and past it', () => {
    for (const keyLength of [1, 32, 64, 65, 100]) {
      const key = Buffer.from(Array.from({ length: keyLength }, (_, i) => (i * 37 + keyLength) & 0xff));
      const mac = createMac(key, 40);
      for (const dataLength of [0, 1, 20, 40, 41, 200]) {
        const data = Buffer.from(Array.from({ length: dataLength }, (_, i) => (i * 11 + dataLength) & 0xff));
        // Twice: the padded buffers are reused, a longer call must not leave bytes that a shorter one reads.
        for (let round = 0; round < 2; round++) {
          expect(mac(data).equals(createHmac('sha256', key).update(data).digest())).toBe(true);
        }
      }
    }
  });
});

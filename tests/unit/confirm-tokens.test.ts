// Sign-up confirmation tokens: round trips, key rotation, and bad tokens (tampered, truncated, another key, a
// tracking token) refused without throwing.
import { createConfirmTokenSigner } from '../../server/src/platform/confirm-tokens';
import { createTokenSigner } from '../../server/src/platform/tokens';

const KEY = 'current-tracking-key-0123456789';
const OLD_KEY = 'previous-tracking-key-9876543210';

describe('confirmation tokens', () => {
  const signer = createConfirmTokenSigner([KEY]);

  it('carries the consent record and the issue time', () => {
    for (const payload of [
      { consentId: 1, issuedAt: 1_700_000_000 },
      { consentId: 0, issuedAt: 0 },
      { consentId: Number.MAX_SAFE_INTEGER, issuedAt: 4_102_444_800 },
    ]) {
      const token = signer.sign(payload);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(signer.verify(token)).toEqual(payload);
    }
  });

  it('is verified by a signer that keeps the old key while a rotation settles', () => {
    const token = createConfirmTokenSigner([OLD_KEY]).sign({ consentId: 42, issuedAt: 1_700_000_000 });
    expect(createConfirmTokenSigner([KEY, OLD_KEY]).verify(token)).toEqual({ consentId: 42, issuedAt: 1_700_000_000 });
    expect(signer.verify(token)).toBeNull();
  });

  it('refuses every changed character, a truncation, an extension and padding', () => {
    const token = signer.sign({ consentId: 7, issuedAt: 1_700_000_000 });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i += 1) {
      for (const char of alphabet) {
        if (char === token[i]) continue;
        const changed = token.slice(0, i) + char + token.slice(i + 1);
        expect(signer.verify(changed)).toBeNull();
      }
    }
    expect(signer.verify(token.slice(0, -1))).toBeNull();
    expect(signer.verify(`${token}A`)).toBeNull();
    expect(signer.verify(`${token}=`)).toBeNull();
    expect(signer.verify('')).toBeNull();
    expect(signer.verify('x'.repeat(10_000))).toBeNull();
    expect(signer.verify(undefined as unknown as string)).toBeNull();
  });

  it('never takes a tracking token signed with the same key', () => {
    const tracking = createTokenSigner([KEY]).sign({ kind: 'unsubscribe', deliveryId: 1, deliveryLogId: 7 });
    expect(signer.verify(tracking)).toBeNull();
  });

  it('refuses bad payloads and keys at signing time', () => {
    expect(() => signer.sign({ consentId: -1, issuedAt: 0 })).toThrow(RangeError);
    expect(() => signer.sign({ consentId: 1.5, issuedAt: 0 })).toThrow(RangeError);
    expect(() => createConfirmTokenSigner([])).toThrow(TypeError);
    expect(() => createConfirmTokenSigner([''])).toThrow(TypeError);
  });
});

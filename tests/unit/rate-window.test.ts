// The sliding-window limiter of the public sign-up route.
import { createRateLimiter } from '../../server/src/platform/rate-window';

describe('sliding-window rate limiter', () => {
  const window = { max: 3, windowSeconds: 60 };

  it('allows max requests per window, then says when the oldest one leaves it', () => {
    const limiter = createRateLimiter();
    expect(limiter.hit('a', window, 0)).toEqual({ allowed: true });
    expect(limiter.hit('a', window, 10_000)).toEqual({ allowed: true });
    expect(limiter.hit('a', window, 20_000)).toEqual({ allowed: true });
    expect(limiter.hit('a', window, 30_000)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    // Other keys have their own window.
    expect(limiter.hit('b', window, 30_000)).toEqual({ allowed: true });
    // The first request left the window: one more is allowed, and only one.
    expect(limiter.hit('a', window, 60_001)).toEqual({ allowed: true });
    expect(limiter.hit('a', window, 60_002)).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('does not count refused requests', () => {
    const limiter = createRateLimiter();
    for (let i = 0; i < 3; i += 1) limiter.hit('a', window, i);
    for (let i = 0; i < 100; i += 1) expect(limiter.hit('a', window, 1000 + i).allowed).toBe(false);
    expect(limiter.hit('a', window, 60_001).allowed).toBe(true);
  });

  it('keeps at most maxKeys keys, dropping expired ones first, then the oldest', () => {
    const limiter = createRateLimiter(100);
    for (let i = 0; i < 1000; i += 1) limiter.hit(`key-${i}`, window, i);
    expect(limiter.size()).toBeLessThanOrEqual(100);
    // The most recent key is still counted.
    limiter.hit('key-999', window, 1000);
    limiter.hit('key-999', window, 1001);
    expect(limiter.hit('key-999', window, 1002).allowed).toBe(false);
  });
});

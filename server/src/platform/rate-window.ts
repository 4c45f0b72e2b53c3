// A sliding-window rate limiter kept in this process's memory: for each key, the times of its recent requests. Used
// by the public sign-up route (per client IP and per address). Several Strapi processes each keep their own windows,
// so the effective limit is the configured one times the number of processes: enough to stop a script, not an army.

export interface RateWindow {
  max: number;
  windowSeconds: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one request of `key` at `now` if it is allowed; a refused request is not counted. */
  hit(key: string, window: RateWindow, now?: number): RateDecision;
  /** Keys currently held (for tests and the memory bound). */
  size(): number;
}

/** Past this many keys, expired ones are dropped, then the oldest: an attacker's random keys cannot grow memory. */
const DEFAULT_MAX_KEYS = 50_000;

export const createRateLimiter = (maxKeys = DEFAULT_MAX_KEYS): RateLimiter => {
  // A Map keeps insertion order, so its first keys are the ones seen longest ago.
  const hits = new Map<string, number[]>();

  const prune = (now: number, windowMs: number) => {
    for (const [key, times] of hits) {
      if (times[times.length - 1] <= now - windowMs) hits.delete(key);
    }
    for (const key of hits.keys()) {
      if (hits.size < maxKeys) break;
      hits.delete(key);
    }
  };

  return {
    hit(key, { max, windowSeconds }, now = Date.now()) {
      const windowMs = windowSeconds * 1000;
      const times = (hits.get(key) ?? []).filter((time) => time > now - windowMs);
      if (times.length >= max) {
        hits.set(key, times);
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((times[0] + windowMs - now) / 1000)) };
      }
      times.push(now);
      hits.delete(key);
      if (hits.size >= maxKeys) prune(now, windowMs);
      hits.set(key, times);
      return { allowed: true };
    },
    size: () => hits.size,
  };
};

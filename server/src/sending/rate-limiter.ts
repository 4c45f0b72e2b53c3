// A delivery's sendRate: messages leave at most `perSecond` per second from this process, evenly spaced.
import type { RateLimiter } from './types';

export const createRateLimiter = (perSecond: number, now: () => number = Date.now): RateLimiter => {
  const interval = 1000 / perSecond;
  let next = 0;
  return {
    take() {
      const current = now();
      // Idle time does not pile up credit: a paused delivery does not burst when it resumes.
      const slot = Math.max(current, next);
      next = slot + interval;
      const wait = slot - current;
      return wait <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wait));
    },
  };
};

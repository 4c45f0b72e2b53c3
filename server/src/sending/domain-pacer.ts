// Per-domain pacing, shared by every delivery of the process: the configured domain groups (gmail.com and
// googlemail.com together, ...) leave at most `perMinute` messages a minute, evenly spaced, on top of a delivery's own
// rate; and a domain (or its group) that answers that we are sending too fast (smtp-failures.ts, `throttled`) rests
// for `throttleBackoffSeconds` while every other domain goes on. The send engine asks it which queued recipient may
// leave now (engine.ts).

export interface DomainLimit {
  domains: string[];
  perMinute: number;
}

interface Pace {
  /** ms between two messages; 0 for a domain with no limit (it only ever rests after a throttle). */
  intervalMs: number;
  next: number;
  restUntil: number;
}

export interface DomainPacer {
  /** ms before a message to this address may leave (0: now). */
  waitFor(email: string): number;
  /** Books the slot of a message leaving now. */
  take(email: string): void;
  /** The domain said we send too fast: it rests (its whole group with it). */
  rest(email: string, ms: number): void;
  /** Domains outside the configured groups it keeps a pace for: those resting at the last rest(). */
  restingOthers(): number;
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export const createDomainPacer = (limits: DomainLimit[], now: () => number = Date.now): DomainPacer => {
  const groups = new Map<string, Pace>();
  for (const limit of limits) {
    const pace: Pace = { intervalMs: 60_000 / limit.perMinute, next: 0, restUntil: 0 };
    for (const domain of limit.domains) groups.set(domain.toLowerCase(), pace);
  }
  // Domains outside the groups are kept only while they rest: the pacer lives as long as the process, and an
  // audience of a million addresses can throttle from many domains over a day.
  const others = new Map<string, Pace>();
  const paceOf = (email: string, create: boolean): Pace | undefined => {
    const domain = domainOf(email);
    const pace = groups.get(domain) ?? others.get(domain);
    if (pace || !create) return pace;
    const fresh: Pace = { intervalMs: 0, next: 0, restUntil: 0 };
    others.set(domain, fresh);
    return fresh;
  };

  return {
    waitFor(email) {
      const pace = paceOf(email, false);
      if (!pace) return 0;
      return Math.max(0, pace.restUntil - now(), pace.next - now());
    },
    take(email) {
      const pace = paceOf(email, false);
      if (!pace || pace.intervalMs === 0) return;
      pace.next = Math.max(now(), pace.next) + pace.intervalMs;
    },
    rest(email, ms) {
      // A throttle is rare: a look over the resting domains then costs nothing that matters.
      for (const [domain, resting] of others) if (resting.restUntil <= now()) others.delete(domain);
      const pace = paceOf(email, true)!;
      pace.restUntil = Math.max(pace.restUntil, now() + ms);
    },
    restingOthers() {
      return others.size;
    },
  };
};

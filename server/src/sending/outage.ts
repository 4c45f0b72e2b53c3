// When the relay fails rather than the recipients: the delivery pauses instead of failing its audience, and a probe
// tries the relay with backoff until it answers, then the delivery resumes by itself (or waits for a person, when
// the settings say so or when our sender was refused: a probe cannot tell that it is fixed). Paused past
// failAfterHours, it ends failed with its recipients still pending, so "resume" and "retry failed" both work.
//
// The send engine (sending/engine.ts) decides when the relay keeps failing; smtp-failures.ts tells a relay's failure
// from a recipient's. The pause, its reason and the next probe are columns of the delivery, so they survive a restart.
import type { Core } from '@strapi/strapi';
import type { PluginConfig } from '../../../shared/config-schema';
import { deliveryQueries, type PausedByRelay } from '../db/deliveries';
import { getService } from '../platform/get-service';
import { transition, type DeliveryChanges } from './lifecycle';
import type { RelayFailure, SendFailure } from './smtp-failures';

type OutageSettings = PluginConfig['sending']['outage'];

const HOUR_MS = 3600_000;

/** What a resume (by a person or a probe) clears. */
export const NO_RELAY_PAUSE: DeliveryChanges = {
  pauseReason: null,
  outageSince: null,
  nextProbeAt: null,
  outageProbes: 0,
};

/** The wait before probe number `probes + 1`: the first wait, doubling, up to the longest. */
export const probeDelayMs = (probes: number, settings: Pick<OutageSettings, 'probeFirstSeconds' | 'probeMaxSeconds'>) =>
  Math.min(settings.probeMaxSeconds, settings.probeFirstSeconds * 2 ** Math.min(probes, 30)) * 1000;

const WHY: Record<RelayFailure, string> = {
  outage: 'The relay is not answering',
  login: 'The relay refused our login',
  sender: 'The relay refused our sender address',
};

export const createOutageHandling = (strapi: Core.Strapi) => {
  const queries = deliveryQueries(strapi);
  const settings = async () => (await getService(strapi, 'settings').get()).sending.outage;
  const log = (message: string) => strapi.log.warn(`[campaigns] ${message}`);

  const resume = (id: number) =>
    transition(strapi, id, 'paused', 'sending', { changes: { ...NO_RELAY_PAUSE, lastError: null } });

  /** True when the delivery resumed. */
  const probe = async (paused: PausedByRelay, outage: OutageSettings, now: Date): Promise<boolean> => {
    const answer = await getService(strapi, 'messenger').verify();
    if (answer.ok) {
      if (outage.autoResume) {
        if (await resume(paused.id)) log(`delivery ${paused.id}: the relay answers again, sending resumes`);
        return true;
      }
      await queries.probed(paused.id, {
        nextProbeAt: null,
        outageProbes: paused.outageProbes + 1,
        lastError: 'The relay answers again: resume the delivery when ready.',
      });
      return false;
    }
    const since = paused.outageSince ?? now;
    if (now.getTime() - since.getTime() >= outage.failAfterHours * HOUR_MS) {
      const message = `${WHY[paused.pauseReason]} for ${outage.failAfterHours} h (${answer.error}): the recipients not sent are still pending; resume or retry once it is fixed.`;
      await transition(strapi, paused.id, 'paused', 'failed', {
        changes: { nextProbeAt: null, finishedAt: now, lastError: message },
        details: { error: message, stage: 'sending' },
      });
      return false;
    }
    await queries.probed(paused.id, {
      nextProbeAt: new Date(now.getTime() + probeDelayMs(paused.outageProbes + 1, outage)),
      outageProbes: paused.outageProbes + 1,
      lastError: `${WHY[paused.pauseReason]}: ${answer.error}`,
    });
    return false;
  };

  return {
    /** The run stopped because the relay keeps failing: pause the delivery with the reason, and plan the first probe. */
    async pause(id: number, failure: SendFailure): Promise<void> {
      const reason = failure.relay ?? 'outage';
      const outage = await settings();
      const now = new Date();
      const message = `${WHY[reason]}: ${failure.message}`;
      const moved = await transition(strapi, id, 'sending', 'paused', {
        changes: {
          pauseReason: reason,
          outageSince: now,
          // A refused sender is a setting to change: no probe can tell when that is done.
          nextProbeAt: reason === 'sender' ? null : new Date(now.getTime() + probeDelayMs(0, outage)),
          outageProbes: 0,
          lastError: message,
        },
        details: { error: message, stage: 'sending' },
      });
      if (moved) log(`delivery ${id} paused: ${message}`);
    },

    /** Probes the relay for every delivery whose next probe is due; answers those that resumed. */
    async probeDue(): Promise<number[]> {
      const now = new Date();
      const due = await queries.dueProbes(now);
      if (!due.length) return [];
      const outage = await settings();
      const resumed: number[] = [];
      for (const paused of due) if (await probe(paused, outage, now)) resumed.push(paused.id);
      return resumed;
    },
  };
};

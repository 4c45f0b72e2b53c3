import type { Core } from '@strapi/strapi';
import { getService } from './platform/get-service';
import { fillHumanOpens } from './tracking/human-opens-fill';
import { subscribeEventCountHooks } from './tracking/event-count-hooks';
import { fillEventCounts } from './db/event-count-fill';
import { fillMessageCounts } from './db/message-count-fill';
import { fillPlaceCounts } from './db/place-counts';
import { subscribePlaceCountHooks } from './db/place-count-hooks';
import { fillRecipientDomains, subscribeRecipientDomainHooks } from './db/recipient-domains';
import { fillDayCounts, fillMessageDays } from './db/message-day-fill';

export const SCHEDULED_DELIVERIES_TASK = 'campaigns::scheduled-deliveries';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // The app registered its messengers in register(): a config naming another one is a startup error, like any bad key.
  const messengerProblem = getService(strapi, 'messengers').problem(getService(strapi, 'settings').fileConfig());
  if (messengerProblem) {
    throw new Error(
      `Invalid configuration for the campaigns plugin (config/plugins.ts):\n  - campaigns.config.messenger: ${messengerProblem}`,
    );
  }
  // Sending: every process runs the loop (work is shared through row claims); the cron task starts scheduled
  // deliveries even if a loop is busy, and the loop also checks them so nothing waits a whole minute.
  // Logs from before the humanOpens column get it counted from their events, before any hit is recorded.
  const filled = await fillHumanOpens(strapi);
  if (filled > 0) strapi.log.info(`[campaigns] counted the human opens of ${filled} earlier delivery logs`);
  // Every log's recipient domain, which reports by domain group on (db/recipient-domains.ts).
  subscribeRecipientDomainHooks(strapi);
  const domains = await fillRecipientDomains(strapi);
  if (domains > 0) strapi.log.info(`[campaigns] set the recipient domain of ${domains} earlier delivery logs`);
  // The event-count rollup (db/event-counts.ts): kept by every tracking-log write from now on, filled once from the
  // events stored before it existed.
  subscribeEventCountHooks(strapi);
  const counted = await fillEventCounts(strapi);
  if (counted) strapi.log.info(`[campaigns] counted ${counted} earlier tracking events into the event-count rollup`);
  const messages = await fillMessageCounts(strapi);
  if (messages) strapi.log.info(`[campaigns] counted ${messages} earlier messages into the message-count rollup`);
  subscribePlaceCountHooks(strapi);
  const places = await fillPlaceCounts(strapi);
  if (places) strapi.log.info(`[campaigns] counted the earlier messages' places into ${places} place-count rows`);
  const days = await fillMessageDays(strapi);
  if (days) strapi.log.info(`[campaigns] counted ${days} earlier messages into the message-day rollup`);
  const dayRows = await fillDayCounts(strapi);
  if (dayRows) strapi.log.info(`[campaigns] summed ${dayRows} message-day rows into the day-count rollup`);
  getService(strapi, 'sender').start();
  strapi.cron.add({
    [SCHEDULED_DELIVERIES_TASK]: {
      task: async () => {
        await getService(strapi, 'sender').startDueScheduled();
      },
      options: { rule: '* * * * *' },
    },
  });
  // A/B tests: a cron task every minute sends the winners that are due (sending/ab-tests.ts).
  getService(strapi, 'ab-tests').start();
  // Monitoring: alert checks (a delivery lifecycle hook + a cron task every minute) and the daily retention purge.
  getService(strapi, 'alerts').start();
  // Events: every one offered to Strapi's webhooks (Settings > Webhooks).
  getService(strapi, 'events').start();
  getService(strapi, 'retention').start();
  // Bounces read from a mailbox: a timer that reads nothing while the mailbox is off (tracking/bounce-mailbox.ts).
  getService(strapi, 'bounce-mailbox').start();
  // Opt-outs recorded before the suppression list existed are copied into it once (audience/suppressions.ts).
  await getService(strapi, 'suppressions').fillFromContacts();
  // Reports: the built-in ones are created once, found again by key at every boot.
  await getService(strapi, 'saved-reports').ensureBuiltIns();
  // Scheduled report emails: a cron task every five minutes sends the due ones (reporting/report-schedules.ts).
  getService(strapi, 'report-schedules').start();
  // Authoring: deliveries from before the block editor are raw HTML ones; the starter layouts are created once.
  await getService(strapi, 'authoring').fillContentMode();
  await getService(strapi, 'layouts').ensureStarters();
  strapi.log.debug('[campaigns] ready');
};

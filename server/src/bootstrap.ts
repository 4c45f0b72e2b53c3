import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

export const SCHEDULED_DELIVERIES_TASK = 'campaigns::scheduled-deliveries';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // Sending: every process runs the loop (work is shared through row claims); the cron task starts scheduled
  // deliveries even if a loop is busy, and the loop also checks them so nothing waits a whole minute.
  getService(strapi, 'sender').start();
  strapi.cron.add({
    [SCHEDULED_DELIVERIES_TASK]: {
      task: async () => {
        await getService(strapi, 'sender').startDueScheduled();
      },
      options: { rule: '* * * * *' },
    },
  });
  // Monitoring: alert checks (a delivery lifecycle hook + a cron task every minute) and the daily retention purge.
  getService(strapi, 'alerts').start();
  getService(strapi, 'retention').start();
  strapi.log.debug('[campaigns] ready');
};

import type { Core } from '@strapi/strapi';
import { getService } from './platform/get-service';
import { SCHEDULED_DELIVERIES_TASK } from './bootstrap';
import { REPORT_SCHEDULES_TASK } from './reporting/report-schedules';

/** A shutdown loses nothing: jobs in progress finish their batch first. */
export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await getService(strapi, 'contact-import').drain();
  // Sending stops claiming; messages in flight finish and are recorded, claimed ones not started are handed back.
  strapi.cron.remove(SCHEDULED_DELIVERIES_TASK);
  strapi.cron.remove(REPORT_SCHEDULES_TASK);
  await getService(strapi, 'sender').stop();
  // Alert checks in progress finish (their emails need the messenger), the retention purge stops between statements.
  await getService(strapi, 'alerts').stop();
  await getService(strapi, 'retention').stop();
  await getService(strapi, 'bounce-mailbox').stop();
  await getService(strapi, 'messenger').close();
  // Every queued tracking hit is written before the database closes: an answered hit is a stored hit.
  await getService(strapi, 'tracker').close();
  // Events of what was just written (the last tracking batch, the last sends) are emitted before the database closes.
  await getService(strapi, 'events').stop();
};

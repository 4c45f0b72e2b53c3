// Live monitoring, the alerts raised, and the retention purge on demand.
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { alertListQuery, emptyBody } from '../validation/monitoring';

const createMonitoringController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async overview(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'monitoring').overview(), meta: { at: new Date().toISOString() } };
  },

  async alerts(ctx: Context) {
    ctx.body = await getService(strapi, 'alerts').find(parseOrThrow(alertListQuery, ctx.query, 'query'));
  },

  /** Runs the retention purge now and answers its report (the same run the daily cron task does). */
  async runRetention(ctx: Context) {
    parseOrThrow(emptyBody, ctx.request.body ?? {}, 'body');
    ctx.body = { data: await getService(strapi, 'retention').runNow() };
  },
});

export default createMonitoringController;

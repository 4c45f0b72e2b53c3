// Report queries, the builder's palette and saved reports.
import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import {
  REPORT_DIMENSIONS,
  REPORT_FILTERS,
  REPORT_METRICS,
  REPORT_VISUALISATIONS,
  type ReportSchemaResponse,
  type SavedReportInput,
} from '../../../shared/contracts/reports';
import { metricKind, isTimeDimension } from '../reporting/report-metrics';
import { BuiltInReportError } from '../reporting/saved-reports';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { reportScheduleInput } from '../../../shared/report-schedule';
import { duplicateBody, reportQuerySchema, savedReportBody, savedReportUpdateBody } from '../validation/reports';

/** Runs a change of a saved report; a built-in one answers 409 with the reason (Strapi's error shape). */
const guardBuiltIn = async (ctx: Context, change: () => Promise<unknown>) => {
  try {
    ctx.body = { data: await change() };
  } catch (error) {
    if (!(error instanceof BuiltInReportError)) throw error;
    ctx.status = 409;
    ctx.body = { data: null, error: { status: 409, name: 'ConflictError', message: error.message, details: {} } };
  }
};

const createReportsController = ({ strapi }: { strapi: Core.Strapi }) => {
  const saved = () => getService(strapi, 'saved-reports');

  return {
    async query(ctx: Context) {
      ctx.body = await getService(strapi, 'reports').query(
        parseOrThrow(reportQuerySchema, ctx.request.body, 'report query'),
      );
    },

    async schema(ctx: Context) {
      const body: ReportSchemaResponse = {
        data: {
          dimensions: REPORT_DIMENSIONS.map((id) => ({ id, kind: isTimeDimension(id) ? 'time' : 'category' })),
          metrics: REPORT_METRICS.map((id) => ({ id, kind: metricKind(id) })),
          filters: [...REPORT_FILTERS],
          visualisations: [...REPORT_VISUALISATIONS],
        },
      };
      ctx.body = body;
    },

    async schedule(ctx: Context) {
      ctx.body = { data: await getService(strapi, 'report-schedules').get(ctx.params.id) };
    },

    async setSchedule(ctx: Context) {
      const input = parseOrThrow(reportScheduleInput, ctx.request.body, 'schedule');
      ctx.body = { data: await getService(strapi, 'report-schedules').set(ctx.params.id, input) };
    },

    async removeSchedule(ctx: Context) {
      await getService(strapi, 'report-schedules').remove(ctx.params.id);
      ctx.body = { data: null };
    },

    async sendScheduled(ctx: Context) {
      ctx.body = { data: await getService(strapi, 'report-schedules').sendNow(ctx.params.id) };
    },

    async find(ctx: Context) {
      ctx.body = { data: await saved().find() };
    },

    async findOne(ctx: Context) {
      ctx.body = { data: await saved().findOne(ctx.params.id) };
    },

    async create(ctx: Context) {
      const body = parseOrThrow(savedReportBody, ctx.request.body, 'report');
      ctx.status = 201;
      // The definition's query was checked by reportQuerySchema inside a refinement, which zod cannot type.
      ctx.body = { data: await saved().create(body as SavedReportInput) };
    },

    async update(ctx: Context) {
      const body = parseOrThrow(savedReportUpdateBody, ctx.request.body, 'report');
      await guardBuiltIn(ctx, () => saved().update(ctx.params.id, body as Partial<SavedReportInput>));
    },

    async delete(ctx: Context) {
      await guardBuiltIn(ctx, () => saved().delete(ctx.params.id));
    },

    async duplicate(ctx: Context) {
      const body = parseOrThrow(duplicateBody, ctx.request.body, 'duplicate options');
      ctx.status = 201;
      ctx.body = { data: await saved().duplicate(ctx.params.id, body.name) };
    },
  };
};

export default createReportsController;

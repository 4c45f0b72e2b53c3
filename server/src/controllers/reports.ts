// Report queries, the builder's palette and saved reports.
import type { Core } from '@strapi/strapi';
import {
  REPORT_DIMENSIONS,
  REPORT_FILTERS,
  REPORT_METRICS,
  REPORT_VISUALISATIONS,
  type ReportSchemaResponse,
} from '../../../shared/contracts/reports';
import { metricKind, isTimeDimension } from '../reporting/report-metrics';
import { BuiltInReportError } from '../reporting/saved-reports';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { duplicateBody, reportQuerySchema, savedReportBody, savedReportUpdateBody } from '../validation/reports';

/** Runs a change of a saved report; a built-in one answers 409 with the reason (Strapi's error shape). */
const guardBuiltIn = async (ctx: any, change: () => Promise<unknown>) => {
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
    async query(ctx: any) {
      ctx.body = await getService(strapi, 'reports').query(
        parseOrThrow(reportQuerySchema, ctx.request.body, 'report query'),
      );
    },

    async schema(ctx: any) {
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

    async find(ctx: any) {
      ctx.body = { data: await saved().find() };
    },

    async findOne(ctx: any) {
      ctx.body = { data: await saved().findOne(ctx.params.id) };
    },

    async create(ctx: any) {
      const body = parseOrThrow(savedReportBody, ctx.request.body, 'report');
      ctx.status = 201;
      ctx.body = { data: await saved().create(body as any) };
    },

    async update(ctx: any) {
      const body = parseOrThrow(savedReportUpdateBody, ctx.request.body, 'report');
      await guardBuiltIn(ctx, () => saved().update(ctx.params.id, body as any));
    },

    async delete(ctx: any) {
      await guardBuiltIn(ctx, () => saved().delete(ctx.params.id));
    },

    async duplicate(ctx: any) {
      const body = parseOrThrow(duplicateBody, ctx.request.body, 'duplicate options');
      ctx.status = 201;
      ctx.body = { data: await saved().duplicate(ctx.params.id, body.name) };
    },
  };
};

export default createReportsController;

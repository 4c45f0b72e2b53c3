// Saved reports emailed on a schedule (daily, weekly or monthly, shared/report-schedule.ts): a cron task every five
// minutes sends the due ones through the plugin's transport, one message per recipient with the report's figures
// and its CSV (report-email.ts), and keeps the history of each send on the schedule. The next send time is written
// before sending, so a crash during a send skips that send rather than repeating it.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../../../shared/constants';
import { nextSendTime, type ReportScheduleInput } from '../../../shared/report-schedule';
import type { ReportSchedule, ReportSend } from '../../../shared/contracts/reports';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { reportQuerySchema } from '../validation/reports';
import { adminBaseUrl } from '../monitoring/alert-message';
import { pluginSender } from '../sending/sender-address';
import { toIso } from '../platform/dates';
import { reportEmail } from './report-email';

export const REPORT_SCHEDULES_TASK = 'campaigns::report-schedules';
const HISTORY_KEPT = 50;
const MAX_ERROR = 300;

type Row = Record<string, unknown> & { id: number; report: string };

const toSchedule = (row: Row): ReportSchedule => ({
  frequency: row.frequency as ReportSchedule['frequency'],
  hour: Number(row.hour),
  ...(row.weekday == null ? {} : { weekday: Number(row.weekday) }),
  ...(row.dayOfMonth == null ? {} : { dayOfMonth: Number(row.dayOfMonth) }),
  recipients: (row.recipients as string[]) ?? [],
  nextSendAt: toIso(row.nextSendAt),
  history: (row.history as ReportSend[]) ?? [],
});

const createReportSchedulesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const rows = () => strapi.db.query(UID.reportSchedule);
  const find = (report: string) => rows().findOne({ where: { report } }) as Promise<Row | null>;

  /** Runs the report now and sends it to each recipient; the send as the history records it. */
  const send = async (row: Row, now: Date): Promise<ReportSend> => {
    const recipients = (row.recipients as string[]) ?? [];
    try {
      const report = await getService(strapi, 'saved-reports').findOne(row.report);
      const query = parseOrThrow(reportQuerySchema, report.definition.query, 'report query');
      const answer = await getService(strapi, 'reports').query(query);
      const { publicUrl } = await getService(strapi, 'settings').get();
      const email = reportEmail({
        name: report.name,
        query: report.definition.query,
        result: answer.data,
        period: answer.meta.period,
        truncated: answer.meta.truncated,
        link: `${adminBaseUrl(strapi, publicUrl)}/plugins/campaigns/reports/${report.documentId}`,
      });
      const messenger = await getService(strapi, 'messenger').get();
      const from = await pluginSender(strapi);
      const failed: string[] = [];
      for (const [index, to] of recipients.entries()) {
        try {
          await messenger.send({
            from: from.from,
            to,
            subject: email.subject,
            html: email.html,
            text: email.text,
            headers: { 'X-Campaigns-Report': report.documentId },
            messageId: `<report.${report.documentId}.${now.getTime()}.${index}@${from.domain}>`,
            attachments: [{ filename: email.csv.filename, content: email.csv.content, contentType: 'text/csv' }],
          });
        } catch (error) {
          failed.push(`${to}: ${(error as Error)?.message ?? error}`);
        }
      }
      const sent = recipients.length - failed.length;
      return {
        at: now.toISOString(),
        sent,
        failed: failed.length,
        rows: answer.data.rows.length,
        error: failed.length ? failed.join('; ').slice(0, MAX_ERROR) : null,
      };
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      strapi.log.warn(`[campaigns] the scheduled report ${row.report} was not sent: ${message}`);
      return { at: now.toISOString(), sent: 0, failed: recipients.length, rows: 0, error: message.slice(0, MAX_ERROR) };
    }
  };

  const recordSend = async (row: Row, result: ReportSend) => {
    const history = [result, ...((row.history as ReportSend[]) ?? [])].slice(0, HISTORY_KEPT);
    await rows().update({ where: { id: row.id }, data: { history } });
    return history;
  };

  return {
    async get(report: string): Promise<ReportSchedule | null> {
      await getService(strapi, 'saved-reports').findOne(report); // 404 for an unknown report
      const row = await find(report);
      return row ? toSchedule(row) : null;
    },

    /** Sets (or replaces) a report's schedule; the next send is the first slot after now. */
    async set(report: string, input: ReportScheduleInput, now = new Date()): Promise<ReportSchedule> {
      await getService(strapi, 'saved-reports').findOne(report);
      const data = {
        frequency: input.frequency,
        hour: input.hour,
        weekday: input.frequency === 'weekly' ? input.weekday : null,
        dayOfMonth: input.frequency === 'monthly' ? input.dayOfMonth : null,
        recipients: [...new Set(input.recipients.map((email) => email.toLowerCase()))],
        nextSendAt: nextSendTime(input, now),
      };
      const existing = await find(report);
      const row = existing
        ? await rows().update({ where: { id: existing.id }, data })
        : await rows().create({ data: { ...data, report, history: [] } });
      return toSchedule(row as Row);
    },

    async remove(report: string): Promise<void> {
      const existing = await find(report);
      if (!existing) throw new errors.NotFoundError('This report has no schedule.');
      await rows().delete({ where: { id: existing.id } });
    },

    /** Sends a scheduled report now, outside its schedule (its next send stays as it was). */
    async sendNow(report: string, now = new Date()): Promise<ReportSchedule> {
      const row = await find(report);
      if (!row) throw new errors.NotFoundError('This report has no schedule: set its recipients first.');
      const history = await recordSend(row, await send(row, now));
      return toSchedule({ ...row, history });
    },

    /** Every schedule whose time has come: its next time written first, then the report sent. */
    async sendDue(now = new Date()): Promise<number> {
      const due = (await rows().findMany({ where: { nextSendAt: { $lte: now } } })) as Row[];
      for (const row of due) {
        const next = nextSendTime(toSchedule(row), now);
        // Claimed by moving its time: another process that read it too finds nothing to update.
        const claimed = await rows().updateMany({
          where: { id: row.id, nextSendAt: row.nextSendAt as Date },
          data: { nextSendAt: next },
        });
        if (!claimed.count) continue;
        await recordSend(row, await send(row, now));
      }
      return due.length;
    },

    start() {
      strapi.cron.add({
        [REPORT_SCHEDULES_TASK]: {
          task: async () => {
            await this.sendDue().catch((error) =>
              strapi.log.error(`[campaigns] scheduled reports: ${(error as Error)?.message ?? error}`),
            );
          },
          options: { rule: '*/5 * * * *' },
        },
      });
    },
  };
};

export type ReportSchedulesService = ReturnType<typeof createReportSchedulesService>;
export default createReportSchedulesService;

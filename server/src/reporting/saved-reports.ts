// Saved reports: the user's own definitions and the built-in ones (run and duplicated, never changed).
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { ReportDefinition, SavedReport, SavedReportInput } from '../../../shared/contracts/reports';
import { UID } from '../../../shared/constants';
import { pluginDocuments } from '../platform/plugin-documents';
import { BUILT_IN_REPORTS } from './report-builtins';

/** A change to a built-in report: answered 409 Conflict by the controller, with this message. */
export class BuiltInReportError extends Error {
  readonly status = 409;
}

const FIELDS = ['name', 'description', 'definition', 'builtIn', 'key', 'updatedAt'] as const;

/** A report document with FIELDS. */
interface ReportRow {
  id: number | string;
  documentId: string;
  name: string;
  description?: string | null;
  definition: ReportDefinition;
  builtIn?: boolean | null;
  key?: string | null;
  updatedAt: Date | string;
}

const toSavedReport = (row: ReportRow): SavedReport => ({
  id: Number(row.id),
  documentId: row.documentId,
  name: row.name,
  description: row.description ?? null,
  definition: row.definition,
  builtIn: Boolean(row.builtIn),
  key: row.key ?? null,
  updatedAt: row.updatedAt instanceof Date ? row.updatedAt.toISOString() : String(row.updatedAt),
});

const createSavedReportsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = () => pluginDocuments(strapi, UID.report);

  const get = async (documentId: string) => {
    const row = await documents().findOne({ documentId, fields: [...FIELDS] });
    if (!row) throw new errors.NotFoundError(`No report with id "${documentId}".`);
    return row as ReportRow;
  };

  const assertEditable = (row: ReportRow, what: string) => {
    if (row.builtIn) {
      throw new BuiltInReportError(
        `"${row.name}" is a built-in report: it cannot be ${what}. Duplicate it to make a report of your own.`,
      );
    }
  };

  return {
    /** Built-in reports first, then the others by name. */
    async find(): Promise<SavedReport[]> {
      const rows = await documents().findMany({
        fields: [...FIELDS],
        sort: [{ builtIn: 'desc' }, { name: 'asc' }],
        limit: -1,
      });
      return (rows as ReportRow[]).map(toSavedReport);
    },

    async findOne(documentId: string): Promise<SavedReport> {
      return toSavedReport(await get(documentId));
    },

    async create(input: SavedReportInput): Promise<SavedReport> {
      const row = await documents().create({
        data: {
          name: input.name,
          description: input.description ?? null,
          definition: input.definition,
          builtIn: false,
          key: null,
        },
        fields: [...FIELDS],
      });
      return toSavedReport(row as ReportRow);
    },

    async update(documentId: string, input: Partial<SavedReportInput>): Promise<SavedReport> {
      assertEditable(await get(documentId), 'edited or renamed');
      const data: Record<string, unknown> = {};
      if (input.name !== undefined) data.name = input.name;
      if (input.description !== undefined) data.description = input.description;
      if (input.definition !== undefined) data.definition = input.definition;
      const row = await documents().update({ documentId, data, fields: [...FIELDS] });
      return toSavedReport(row as ReportRow);
    },

    async delete(documentId: string): Promise<SavedReport> {
      const row = await get(documentId);
      assertEditable(row, 'deleted');
      await documents().delete({ documentId });
      // Its email schedule goes with it (reporting/report-schedules.ts).
      await strapi.db.query(UID.reportSchedule).deleteMany({ where: { report: documentId } });
      return toSavedReport(row);
    },

    /** A copy the user owns (never built-in), named "<name> (copy)" unless a name is given. */
    async duplicate(documentId: string, name?: string): Promise<SavedReport> {
      const source = await get(documentId);
      return this.create({
        name: name ?? `${source.name} (copy)`.slice(0, 255),
        description: source.description ?? null,
        definition: source.definition,
      });
    },

    /**
     * Creates the built-in reports that are missing, found by key: safe to run at every boot and from several
     * processes at once (the key is unique, so a second process's insert fails and is ignored).
     */
    async ensureBuiltIns(): Promise<void> {
      const existing = await strapi.db
        .query(UID.report)
        .findMany({ where: { key: { $in: BUILT_IN_REPORTS.map((r) => r.key) } }, select: ['key'] });
      const present = new Set(existing.map((row: { key: string }) => row.key));
      for (const report of BUILT_IN_REPORTS) {
        if (present.has(report.key)) continue;
        try {
          await documents().create({
            data: {
              name: report.name,
              description: report.description,
              definition: report.definition,
              builtIn: true,
              key: report.key,
            },
          });
        } catch (error) {
          const again = await strapi.db.query(UID.report).findOne({ where: { key: report.key }, select: ['id'] });
          if (!again) throw error;
        }
      }
    },
  };
};

export type SavedReportsService = ReturnType<typeof createSavedReportsService>;
export default createSavedReportsService;

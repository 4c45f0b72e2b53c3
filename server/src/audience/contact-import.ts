// CSV import of contacts into a list: streamed from disk in batches, upserting by normalised email, reporting bad rows.
import fs from 'fs';
import { randomUUID } from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../../../shared/constants';
import {
  CONTACT_LIMITS,
  ImportFileError,
  mapHeader,
  readContactRow,
  type ColumnMapping,
  type ContactRow,
} from './csv-contacts';
import { csvLines } from './csv-lines';
import { chooseEncoding, decodedChunks, firstNonUtf8Line, type TextEncodingName } from './text-encoding';
import { pluginDocuments } from '../platform/plugin-documents';
import type { ContactImportJob } from '../../../shared/contracts/contacts';
import { upsertContacts } from './contact-upsert';

const BATCH_SIZE = 500;
const MAX_KEPT_ERRORS = 1000;
const MAX_KEPT_JOBS = 50;

interface ImportOptions {
  filePath: string;
  fileName: string | null;
  /** Removed when the import ends (an upload's temporary file). */
  deleteFileAfter: boolean;
  list: { id: number; documentId: string; name: string } | null;
  updateExisting: boolean;
  encoding: TextEncodingName | undefined;
  /** The admin's column mapping; the header's names decide without it. */
  columns: string[] | undefined;
}

type PendingRow = ContactRow & { line: number };

const createContactImportService = ({ strapi }: { strapi: Core.Strapi }) => {
  const jobs = new Map<string, ContactImportJob>();
  const running = new Set<Promise<void>>();

  const remember = (job: ContactImportJob) => {
    jobs.set(job.id, job);
    if (jobs.size > MAX_KEPT_JOBS) {
      const oldestDone = [...jobs.values()].find((j) => j.status !== 'running');
      if (oldestDone) jobs.delete(oldestDone.id);
    }
  };

  const addError = (job: ContactImportJob, line: number, email: string | null, reason: string) => {
    job.failed += 1;
    if (job.errors.length < MAX_KEPT_ERRORS) job.errors.push({ line, email, reason });
  };

  /** Upserts one batch in one transaction (audience/contact-upsert.ts); the job's counts change once it committed. */
  const writeBatch = async (job: ContactImportJob, batch: PendingRow[], options: ImportOptions) => {
    const byEmail = new Map<string, PendingRow>();
    const counts = { created: 0, updated: 0, unchanged: 0, duplicatesInFile: 0 };
    for (const row of batch) {
      const previous = byEmail.get(row.email);
      if (previous) {
        counts.duplicatesInFile += 1;
        byEmail.set(row.email, { ...previous, ...row, attributes: { ...previous.attributes, ...row.attributes } });
      } else {
        byEmail.set(row.email, row);
      }
    }
    await strapi.db.transaction(async ({ trx }) => {
      const outcomes = await upsertContacts(strapi, trx, [...byEmail.values()], {
        updateExisting: options.updateExisting,
        listsOf: () => (options.list ? [options.list.id] : []),
      });
      for (const outcome of outcomes.values()) counts[outcome] += 1;
    });
    for (const key of Object.keys(counts) as Array<keyof typeof counts>) job[key] += counts[key];
  };

  /**
   * A batch the database refuses is written again in halves, down to the refused rows, so that one refused row costs
   * only itself. The database's message goes to the server log: it can hold SQL and other people's data.
   */
  const writeBatchOrRows = async (
    job: ContactImportJob,
    batch: PendingRow[],
    options: ImportOptions,
  ): Promise<void> => {
    try {
      await writeBatch(job, batch, options);
      return;
    } catch (error) {
      if (batch.length === 1) {
        strapi.log.warn(
          `[campaigns] contact import ${job.id}: line ${batch[0].line} refused by the database: ${error instanceof Error ? error.message : error}`,
        );
        addError(
          job,
          batch[0].line,
          batch[0].email,
          'the database refused to store this row (details in the server log)',
        );
        return;
      }
    }
    const half = Math.ceil(batch.length / 2);
    await writeBatchOrRows(job, batch.slice(0, half), options);
    await writeBatchOrRows(job, batch.slice(half), options);
  };

  const run = async (job: ContactImportJob, options: ImportOptions) => {
    let file: fs.ReadStream | null = null;
    let mapping: ColumnMapping | null = null;
    let batch: PendingRow[] = [];
    try {
      const encoding = await chooseEncoding(options.filePath, options.encoding);
      job.encoding = encoding;
      if (encoding === 'utf-8') {
        const line = await firstNonUtf8Line(options.filePath);
        if (line !== null) {
          throw new ImportFileError(
            `The file is not UTF-8: line ${line} holds bytes that are not. Give its encoding in the "encoding" field (latin1, iso-8859-1 or windows-1252), or save it as UTF-8.`,
          );
        }
      }
      file = fs.createReadStream(options.filePath);
      file.on('data', (chunk) => {
        job.bytesRead += chunk.length;
      });
      for await (const entry of csvLines(decodedChunks(file, encoding), CONTACT_LIMITS.lineChars)) {
        if (!mapping) {
          if ('problem' in entry)
            throw new ImportFileError(`The header (line ${entry.line}) cannot be read: ${entry.problem}.`);
          mapping = mapHeader(entry.fields, options.columns);
          continue;
        }
        job.rowsRead += 1;
        const read =
          'problem' in entry ? { problem: entry.problem, email: null } : readContactRow(mapping, entry.fields);
        if ('problem' in read) {
          addError(job, entry.line, read.email, read.problem);
          continue;
        }
        batch.push({ ...read.row, line: entry.line });
        if (batch.length >= BATCH_SIZE) {
          await writeBatchOrRows(job, batch, options);
          batch = [];
        }
      }
      if (!mapping) throw new ImportFileError('The CSV file is empty: it needs a header row with an "email" column.');
      if (batch.length) await writeBatchOrRows(job, batch, options);
      job.status = 'done';
    } catch (error) {
      job.status = 'failed';
      const saved =
        job.created + job.updated
          ? `${job.created} contacts created and ${job.updated} updated before it stopped`
          : 'Nothing was saved';
      job.error =
        error instanceof ImportFileError
          ? `${error.message} ${saved}.`
          : `The import stopped on an unexpected error (details in the server log). ${saved}.`;
      strapi.log.error(
        `[campaigns] contact import ${job.id} failed: ${error instanceof ImportFileError ? error.message : error instanceof Error ? (error.stack ?? error) : error}`,
      );
    } finally {
      file?.destroy();
      job.finishedAt = new Date().toISOString();
      job.bytesRead = job.status === 'done' ? job.bytesTotal : job.bytesRead;
      if (options.deleteFileAfter) await fs.promises.rm(options.filePath, { force: true });
    }
  };

  return {
    /** Starts an import and answers at once; the job's progress is read with getJob. */
    async start(input: {
      filePath: string;
      fileName?: string | null;
      deleteFileAfter?: boolean;
      list?: string;
      newList?: string;
      updateExisting?: boolean;
      encoding?: TextEncodingName;
      columns?: string[];
    }) {
      const cleanup = () =>
        input.deleteFileAfter ? fs.promises.rm(input.filePath, { force: true }) : Promise.resolve();
      let list: ImportOptions['list'] = null;
      try {
        if (input.list && input.newList)
          throw new errors.ValidationError('Give either list (an existing list) or newList (a name), not both.');
        if (input.list) {
          const found = await strapi.documents(UID.list).findOne({ documentId: input.list, fields: ['name'] });
          if (!found) throw new errors.NotFoundError(`No list with id "${input.list}".`);
          list = { id: found.id as number, documentId: found.documentId, name: found.name as string };
        } else if (input.newList) {
          const existing = await strapi
            .documents(UID.list)
            .findFirst({ filters: { name: input.newList }, fields: ['name'] });
          const found = existing ?? (await pluginDocuments(strapi, UID.list).create({ data: { name: input.newList } }));
          list = { id: found.id as number, documentId: found.documentId, name: found.name as string };
        }
      } catch (error) {
        await cleanup();
        throw error;
      }
      const { size } = await fs.promises.stat(input.filePath);
      const job: ContactImportJob = {
        id: randomUUID(),
        status: 'running',
        fileName: input.fileName ?? null,
        encoding: null,
        list: list && { documentId: list.documentId, name: list.name },
        startedAt: new Date().toISOString(),
        finishedAt: null,
        bytesRead: 0,
        bytesTotal: size,
        rowsRead: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        duplicatesInFile: 0,
        failed: 0,
        errors: [],
        error: null,
      };
      remember(job);
      const task = run(job, {
        filePath: input.filePath,
        fileName: input.fileName ?? null,
        deleteFileAfter: input.deleteFileAfter ?? false,
        list,
        updateExisting: input.updateExisting ?? true,
        encoding: input.encoding,
        columns: input.columns,
      }).finally(() => running.delete(task));
      running.add(task);
      return job;
    },

    getJob(id: string) {
      const job = jobs.get(id);
      if (!job)
        throw new errors.NotFoundError(
          `No import job with id "${id}" (jobs are kept in memory until the server restarts).`,
        );
      return job;
    },

    listJobs() {
      return [...jobs.values()].reverse();
    },

    /** Lets shutdown wait for imports in progress rather than cut them mid-batch. */
    async drain() {
      await Promise.allSettled([...running]);
    },
  };
};

export type ContactImportService = ReturnType<typeof createContactImportService>;
export default createContactImportService;

// CSV import of contacts into a list: streamed from disk in batches, upserting by normalised email, reporting bad rows.
import fs from 'fs';
import { randomUUID } from 'crypto';
import { parse } from 'csv-parse';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../../../shared/constants';
import { emailProblem, normalizeEmail } from '../lib/email-address';
import { mapHeader, toContactRow, type ColumnMapping, type ContactRow } from '../lib/csv-contacts';
import type { ContactImportJob } from '../../../shared/contracts/contacts';
import { createDocumentId } from '../utils/document-id';
import { contactListsJoin } from '../utils/join-tables';

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

  /** Upserts one batch in one transaction: one read of existing emails, one bulk insert, updates where something changed. */
  const writeBatch = async (job: ContactImportJob, batch: PendingRow[], options: ImportOptions) => {
    const byEmail = new Map<string, PendingRow>();
    for (const row of batch) {
      const previous = byEmail.get(row.email);
      if (previous) {
        job.duplicatesInFile += 1;
        byEmail.set(row.email, { ...previous, ...row, attributes: { ...previous.attributes, ...row.attributes } });
      } else {
        byEmail.set(row.email, row);
      }
    }
    const emails = [...byEmail.keys()];
    const contacts = strapi.db.query(UID.contact);

    await strapi.db.transaction(async ({ trx }) => {
      const existing = await contacts.findMany({
        where: { email: { $in: emails } },
        select: ['id', 'email', 'firstName', 'lastName', 'locale', 'attributes'],
      });
      const existingByEmail = new Map(existing.map((c: any) => [c.email as string, c]));

      const now = new Date();
      const toCreate = emails
        .filter((email) => !existingByEmail.has(email))
        .map((email) => {
          const row = byEmail.get(email)!;
          return {
            documentId: createDocumentId(),
            email,
            firstName: row.firstName ?? null,
            lastName: row.lastName ?? null,
            locale: row.locale ?? null,
            attributes: Object.keys(row.attributes).length ? row.attributes : null,
            status: 'subscribed',
            statusChangedAt: now,
            publishedAt: now,
          };
        });
      if (toCreate.length) await contacts.createMany({ data: toCreate });
      job.created += toCreate.length;

      for (const [email, current] of existingByEmail) {
        const row = byEmail.get(email)!;
        const changes: Record<string, unknown> = {};
        if (options.updateExisting) {
          if (row.firstName !== undefined && row.firstName !== current.firstName) changes.firstName = row.firstName;
          if (row.lastName !== undefined && row.lastName !== current.lastName) changes.lastName = row.lastName;
          if (row.locale !== undefined && row.locale !== current.locale) changes.locale = row.locale;
          const merged = { ...(current.attributes ?? {}), ...row.attributes };
          if (JSON.stringify(merged) !== JSON.stringify(current.attributes ?? {})) changes.attributes = merged;
        }
        // An import never changes a contact's status: someone who unsubscribed stays unsubscribed.
        if (Object.keys(changes).length) {
          await contacts.update({ where: { id: current.id }, data: changes });
          job.updated += 1;
        } else {
          job.unchanged += 1;
        }
      }

      if (options.list) await linkToList(trx, emails, options.list.id);
    });
  };

  /** Raw knex inside the batch's transaction: SQLite has one connection, so a query outside it would wait forever. */
  const linkToList = async (knex: any, emails: string[], listId: number) => {
    const join = contactListsJoin(strapi);
    const contactTable = strapi.db.metadata.get(UID.contact).tableName;
    const ids: number[] = (await knex(contactTable).whereIn('email', emails).select('id')).map((r: any) => Number(r.id));
    const linked = new Set<number>(
      (await knex(join.table).where(join.listColumn, listId).whereIn(join.contactColumn, ids).select(join.contactColumn)).map((r: any) =>
        Number(r[join.contactColumn])
      )
    );
    const missing = ids.filter((id) => !linked.has(id));
    if (!missing.length) return;
    const rows = missing.map((contactId, index) => ({
      [join.contactColumn]: contactId,
      [join.listColumn]: listId,
      ...(join.listOrderColumn ? { [join.listOrderColumn]: index + 1 } : {}),
      ...(join.contactOrderColumn ? { [join.contactOrderColumn]: 1 } : {}),
    }));
    await knex.batchInsert(join.table, rows, 200).transacting(knex);
  };

  const run = async (job: ContactImportJob, options: ImportOptions) => {
    const file = fs.createReadStream(options.filePath);
    file.on('data', (chunk) => {
      job.bytesRead += chunk.length;
    });
    const parser = file.pipe(
      parse({ bom: true, info: true, skip_empty_lines: true, relax_quotes: false, skip_records_with_error: true })
    );
    parser.on('skip', (err: any) => {
      addError(job, Number(err?.lines ?? 0), null, `unreadable CSV row: ${String(err?.message ?? err).replace(/^Invalid Record Length: /, '')}`);
    });

    let mapping: ColumnMapping | null = null;
    let batch: PendingRow[] = [];
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (!mapping) {
          mapping = mapHeader(record);
          continue;
        }
        job.rowsRead += 1;
        const row = toContactRow(mapping, record);
        const email = normalizeEmail(row.email);
        const problem = emailProblem(email);
        if (problem) {
          addError(job, info.lines, row.email || null, problem);
          continue;
        }
        batch.push({ ...row, email, line: info.lines });
        if (batch.length >= BATCH_SIZE) {
          await writeBatch(job, batch, options);
          batch = [];
        }
      }
      if (!mapping) throw new Error('The CSV file is empty: it needs a header row with an "email" column.');
      if (batch.length) await writeBatch(job, batch, options);
      job.status = 'done';
    } catch (error: any) {
      job.status = 'failed';
      job.error = error?.message ?? String(error);
      strapi.log.error(`[campaigns] contact import ${job.id} failed: ${job.error}`);
    } finally {
      file.destroy();
      job.finishedAt = new Date().toISOString();
      job.bytesRead = job.status === 'done' ? job.bytesTotal : job.bytesRead;
      if (options.deleteFileAfter) await fs.promises.rm(options.filePath, { force: true });
    }
  };

  return {
    /** Starts an import and answers at once; the job's progress is read with getJob. */
    async start(input: { filePath: string; fileName?: string | null; deleteFileAfter?: boolean; list?: string; newList?: string; updateExisting?: boolean }) {
      const cleanup = () => (input.deleteFileAfter ? fs.promises.rm(input.filePath, { force: true }) : Promise.resolve());
      let list: ImportOptions['list'] = null;
      try {
        if (input.list && input.newList) throw new errors.ValidationError('Give either list (an existing list) or newList (a name), not both.');
        if (input.list) {
          const found = await strapi.documents(UID.list).findOne({ documentId: input.list, fields: ['name'] });
          if (!found) throw new errors.NotFoundError(`No list with id "${input.list}".`);
          list = { id: found.id as number, documentId: found.documentId, name: found.name as string };
        } else if (input.newList) {
          const existing = await strapi.documents(UID.list).findFirst({ filters: { name: input.newList }, fields: ['name'] });
          const found = existing ?? (await strapi.documents(UID.list).create({ data: { name: input.newList } as any }));
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
      }).finally(() => running.delete(task));
      running.add(task);
      return job;
    },

    getJob(id: string) {
      const job = jobs.get(id);
      if (!job) throw new errors.NotFoundError(`No import job with id "${id}" (jobs are kept in memory until the server restarts).`);
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

import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { getService } from '../platform/get-service';
import { contactsCsv } from '../audience/contacts-export';
import { parseOrThrow } from '../validation/common';
import {
  contactBulkDeleteBody,
  contactCreateBody,
  contactExportQuery,
  contactImportFields,
  contactListQuery,
  contactUpdateBody,
} from '../validation/contacts';

const createContactsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    const query = parseOrThrow(contactListQuery, ctx.query, 'query');
    ctx.body = await getService(strapi, 'contacts').find(query);
  },

  /** The contacts of a search, status or list as CSV, streamed. */
  async export(ctx: Context) {
    const query = parseOrThrow(contactExportQuery, ctx.query, 'query');
    const { filename, stream } = await contactsCsv(strapi, query);
    ctx.set('Content-Type', 'text/csv; charset=utf-8');
    ctx.set('Content-Disposition', `attachment; filename="${filename}"`);
    ctx.body = stream;
  },

  async findOne(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'contacts').findOne(ctx.params.id) };
  },

  async create(ctx: Context) {
    const body = parseOrThrow(contactCreateBody, ctx.request.body, 'contact');
    ctx.status = 201;
    ctx.body = { data: await getService(strapi, 'contacts').create(body) };
  },

  async update(ctx: Context) {
    const body = parseOrThrow(contactUpdateBody, ctx.request.body, 'contact');
    ctx.body = { data: await getService(strapi, 'contacts').update(ctx.params.id, body) };
  },

  async delete(ctx: Context) {
    ctx.body = { data: await getService(strapi, 'contacts').delete(ctx.params.id) };
  },

  /** The contacts chosen in the admin's table, deleted at once; ids that no longer exist are skipped. */
  async deleteMany(ctx: Context) {
    const body = parseOrThrow(contactBulkDeleteBody, ctx.request.body, 'contacts');
    ctx.body = { data: await getService(strapi, 'contacts').deleteMany(body.documentIds) };
  },

  /** multipart/form-data: `file` (CSV with a header row), optional `list` or `newList`, `updateExisting`, `encoding`, `columns`. Answers 202 with the job. */
  async import(ctx: Context) {
    const file = ctx.request.files?.file;
    const upload = Array.isArray(file) ? file[0] : file;
    if (!upload?.filepath) {
      throw new errors.ValidationError('Send the CSV as multipart/form-data in a field named "file".');
    }
    try {
      const fields = parseOrThrow(contactImportFields, ctx.request.body, 'import options');
      const job = await getService(strapi, 'contact-import').start({
        filePath: upload.filepath,
        fileName: upload.originalFilename ?? null,
        deleteFileAfter: true,
        list: fields.list,
        newList: fields.newList,
        updateExisting: fields.updateExisting === 'true',
        encoding: fields.encoding,
        columns: fields.columns,
      });
      ctx.status = 202;
      ctx.body = { data: job };
    } catch (error) {
      await import('fs').then((fs) => fs.promises.rm(upload.filepath, { force: true }));
      throw error;
    }
  },

  async importJob(ctx: Context) {
    ctx.body = { data: getService(strapi, 'contact-import').getJob(ctx.params.jobId) };
  },

  async importJobs(ctx: Context) {
    ctx.body = { data: getService(strapi, 'contact-import').listJobs() };
  },
});

export default createContactsController;

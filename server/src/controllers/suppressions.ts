import fs from 'fs';
import { Readable } from 'stream';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { csvFilename } from '../../../shared/csv';
import { suppressionAddInput } from '../../../shared/suppression-input';
import { getService } from '../platform/get-service';
import { documentIdSchema, parseOrThrow } from '../validation/common';
import { suppressionImportFields, suppressionListQuery } from '../validation/suppressions';

const createSuppressionsController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** JSON pages, or `?format=csv`: every suppression matching the filters, streamed. */
  async find(ctx: Context) {
    const query = parseOrThrow(suppressionListQuery, ctx.query, 'query');
    if (query.format === 'csv') {
      ctx.set('Content-Type', 'text/csv; charset=utf-8');
      ctx.set('Content-Disposition', `attachment; filename="${csvFilename('suppressions', 'list')}"`);
      ctx.body = Readable.from(getService(strapi, 'suppressions').csvLines(query));
      return;
    }
    ctx.body = await getService(strapi, 'suppressions').list(query);
  },

  async create(ctx: Context) {
    const body = parseOrThrow(suppressionAddInput, ctx.request.body, 'suppression');
    ctx.body = { data: await getService(strapi, 'suppressions').suppress(body.emails, body.note ?? null) };
  },

  /** multipart/form-data: `file` (one address per line, or a CSV with an `email` column), optional `note`. */
  async importFile(ctx: Context) {
    const file = ctx.request.files?.file;
    const upload = Array.isArray(file) ? file[0] : file;
    if (!upload?.filepath)
      throw new errors.ValidationError('Send the file as multipart/form-data in a field named "file".');
    try {
      const fields = parseOrThrow(suppressionImportFields, ctx.request.body, 'import options');
      ctx.body = { data: await getService(strapi, 'suppressions').importFile(upload.filepath, fields.note ?? null) };
    } finally {
      await fs.promises.rm(upload.filepath, { force: true });
    }
  },

  async delete(ctx: Context) {
    const documentId = parseOrThrow(documentIdSchema, ctx.params.id, 'suppression id');
    ctx.body = { data: await getService(strapi, 'suppressions').lift(documentId) };
  },
});

export default createSuppressionsController;

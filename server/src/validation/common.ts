// Request validation helpers: unknown keys are rejected, and every error names the field.
import { z } from 'zod';
import { documentIdSchema } from '../../../shared/document-id';
import { errors } from '@strapi/utils';

export const parseOrThrow = <T extends z.ZodTypeAny>(schema: T, input: unknown, what: string): z.infer<T> => {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path,
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  const summary = details.map((d) => (d.path.length ? `${d.path.join('.')}: ${d.message}` : d.message)).join('; ');
  throw new errors.ValidationError(`Invalid ${what}: ${summary}`, { errors: details });
};

/** page, pageSize, search and sort (field:asc|desc) with the sortable fields named by the caller. */
export const listQuerySchema = <F extends string>(sortable: readonly [F, ...F[]], defaultSort: string) =>
  z
    .object({
      page: z.coerce.number().int().min(1).default(1),
      pageSize: z.coerce.number().int().min(1).max(500).default(25),
      search: z.string().trim().max(200).optional(),
      sort: z
        .string()
        .regex(
          new RegExp(`^(${sortable.join('|')}):(asc|desc)$`),
          `sort must be one of ${sortable.join(', ')} followed by :asc or :desc`,
        )
        .default(defaultSort),
    })
    .strict();

export { documentIdSchema };

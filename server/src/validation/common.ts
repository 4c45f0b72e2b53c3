// Request validation helpers: unknown keys are rejected, and every error names the field.
import { z } from 'zod';
import { documentIdSchema } from '../../../shared/document-id';
import { errors } from '@strapi/utils';

/** A zod issue as the API words it: an unknown key names the fields. */
export const issueMessage = (issue: z.ZodIssue): string =>
  issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message;

/** Problems as one line, each after its path: "recipients.0: must be an email address; hour: ...". */
export const issuesSummary = (issues: z.ZodIssue[]): string =>
  issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issueMessage(issue)}` : issueMessage(issue)))
    .join('; ');

export const parseOrThrow = <T extends z.ZodTypeAny>(schema: T, input: unknown, what: string): z.infer<T> => {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({ path: issue.path, message: issueMessage(issue) }));
  const summary = issuesSummary(result.error.issues);
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

// What the admin API said when it refused: the message, and the problems by field (subject, html, text, name...).
import { isFetchError } from '@strapi/strapi/admin';

export interface ApiProblem {
  message: string;
  /** First problem of each field (by top-level name and by dotted path), ready to show under it. */
  fields: Record<string, string>;
  status?: number;
}

/** One problem of a refusal's details: of a personalisation (part, line, column) or of a request field (path). */
interface ApiErrorDetail {
  part?: string;
  path?: unknown;
  line?: number;
  column?: number;
  message?: unknown;
}

/** The error of a refused request, as the plugin's routes answer it. */
interface RefusalError {
  message?: string;
  status?: number;
  /** `field`: a service's refusal that names the one field at fault (an email already taken, server/src/audience). */
  details?: { errors?: ApiErrorDetail[]; field?: unknown };
}

export const apiProblemOf = (error: unknown): ApiProblem => {
  if (!isFetchError(error)) return { message: error instanceof Error ? error.message : String(error), fields: {} };
  const apiError = error.response?.data?.error as RefusalError | undefined;
  const fields: Record<string, string> = {};
  for (const detail of apiError?.details?.errors ?? []) {
    // Personalisation problems name their part and place; request validation names the path of the field.
    const path: string[] = detail.part ? [detail.part] : Array.isArray(detail.path) ? detail.path.map(String) : [];
    if (!path.length) continue;
    const where = detail.line ? ` (line ${detail.line}, column ${detail.column})` : '';
    const message = `${detail.message}${where && !String(detail.message).includes('line') ? where : ''}`;
    // Under the full path (smtp.port) and under the top-level field (smtp), first problem first.
    for (const key of new Set([path.join('.'), path[0]])) fields[key] ??= message;
  }
  if (typeof apiError?.details?.field === 'string' && apiError.message)
    fields[apiError.details.field] ??= apiError.message;
  return { message: apiError?.message ?? error.message, fields, status: apiError?.status ?? error.status };
};

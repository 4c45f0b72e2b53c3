// Public types of the template-variable registry: extra `{{ name }}` variables an app computes for each recipient.
import type { RenderContact } from './template';

/** What a variable is computed from: one recipient of one delivery. */
export interface TemplateVariableContext {
  /** The recipient as the message is personalised; `id` is the plugin contact's id (null for a test send to a sample). */
  contact: RenderContact & { id: number | null };
  delivery: { id: number; documentId: string };
  /** True for a test send (a proof): the value may be a placeholder. */
  test: boolean;
}

interface TemplateVariableBase {
  /** Written `{{ name }}` in subjects, HTML and text: letters, digits, "_" and "." (not a built-in name). */
  name: string;
  /** One line for the editor's personalisation help. */
  description?: string;
}

/**
 * Give `value` (one recipient at a time, sync or async) or `values` (a whole claimed batch at once, in the same
 * order: one query for 200 recipients instead of 200). Each is called at most once per recipient and message.
 * A value prints as the built-in ones do (strings, numbers, booleans, dates, arrays joined by ", "; nothing for
 * null or objects) and is HTML-escaped in the HTML part. A variable that throws (or rejects) fails only the
 * recipients concerned, as a soft failure retried like a temporary SMTP error, with the error in the delivery log.
 */
export type TemplateVariable = TemplateVariableBase &
  (
    | { value: (context: TemplateVariableContext) => unknown; values?: never }
    | { values: (contexts: TemplateVariableContext[]) => unknown[] | Promise<unknown[]>; value?: never }
  );

export type { TemplateVariableInfo } from '../../../shared/contracts/extensions';

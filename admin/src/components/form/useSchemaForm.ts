// The form kit's state: values edited by dotted path, checked as the admin types with the same zod schema the server
// checks them with (from shared/), every problem at once under its field; the server's own answer (a field it
// refused) shows under that field until the admin changes it.
import { useMemo, useState } from 'react';
import type { ZodTypeAny } from 'zod';
import type { FieldBinding } from './binding';
import { getAt, setAt } from './paths';

/** The first problem of each field, by dotted path, in the schema's words. */
export const problemsByPath = (schema: ZodTypeAny, values: unknown): Record<string, string> => {
  const parsed = schema.safeParse(values);
  const found: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) found[issue.path.join('.')] ??= issue.message;
  return found;
};

/** The problem of a field: its own, or the first of what it holds (a list's items are `path.0`, `path.1`...). */
export const errorAt = (errors: Record<string, string>, path: string): string | undefined =>
  errors[path] ?? Object.entries(errors).find(([key]) => key.startsWith(`${path}.`))?.[1];

/** The problems under `prefix.`, by the rest of their path (for fields bound to a part of the form). */
export const errorsUnder = (errors: Record<string, string>, prefix: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(errors).flatMap(([path, message]) =>
      path.startsWith(`${prefix}.`) ? [[path.slice(prefix.length + 1), message]] : [],
    ),
  );

export interface SchemaForm<T> extends FieldBinding {
  values: T;
  /** The schema finds nothing wrong. */
  valid: boolean;
  dirty: boolean;
  /** Problems the server answered with, by dotted path. */
  setServerErrors: (errors: Record<string, string>) => void;
}

export const useSchemaForm = <T extends object>(schema: ZodTypeAny, initial: T): SchemaForm<T> => {
  const [values, setValues] = useState<T>(initial);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  // New initial values (the saved ones arrived or changed) replace the form's before anything is shown, so no field
  // ever shows the old values for a moment.
  const [from, setFrom] = useState(initial);
  if (from !== initial) {
    setFrom(initial);
    setValues(initial);
    setServerErrors({});
  }
  const schemaErrors = useMemo(() => problemsByPath(schema, values), [schema, values]);
  return {
    values,
    get: (path) => getAt(values, path),
    set: (path, value) => {
      setValues((current) => setAt(current, path, value));
      setServerErrors(({ [path]: _fixed, ...others }) => others);
    },
    errors: { ...schemaErrors, ...serverErrors },
    valid: Object.keys(schemaErrors).length === 0,
    dirty: JSON.stringify(values) !== JSON.stringify(initial),
    setServerErrors,
  };
};

// What a kit field is bound to: values read and written by dotted path, the problems by path, and whether the form
// can be changed. A useSchemaForm state is one; a value owned by someone else (a block of the delivery's message,
// the delivery editor's state) becomes one with bindValue, so every field of the admin is written the same way.
import { getAt, setAt } from './paths';

export interface FieldBinding {
  get: (path: string) => unknown;
  set: (path: string, value: unknown) => void;
  /** Every problem, by dotted path. */
  errors: Record<string, string>;
  disabled?: boolean;
}

/** Binds fields to a value held elsewhere: each change hands back the whole new value and the path changed. */
export const bindValue = <T>(
  value: T,
  onChange: (next: T, path: string) => void,
  errors: Record<string, string>,
  disabled = false,
): FieldBinding => ({
  get: (path) => getAt(value, path),
  set: (path, next) => onChange(setAt(value, path, next), path),
  errors,
  disabled,
});

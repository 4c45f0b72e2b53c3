// Settings an admin edits: which config keys may be changed from the admin, how a change is validated (the config
// schema itself, as a deep partial without defaults) and how it is merged over what was saved before.
import { z } from 'zod';
import { EDITABLE_KEYS } from '../../../shared/constants';

/** What the settings page shows in place of a stored secret; saving it back keeps the stored secret. */
export const SECRET_PLACEHOLDER = '********';

type AnyObject = Record<string, unknown>;
const isPlainObject = (value: unknown): value is AnyObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/**
 * Every key optional and no default filled in, at every depth: a patch names only what it changes. Without this,
 * zod's defaults would turn `{ smtp: { port: 2525 } }` into a full smtp section and silently override the file
 * config's host with 127.0.0.1. Objects keep their strictness, so an unknown key is still refused.
 */
export const deepPartialWithoutDefaults = (schema: z.ZodTypeAny): z.ZodTypeAny => {
  if (schema instanceof z.ZodDefault) return deepPartialWithoutDefaults(schema._def.innerType);
  if (schema instanceof z.ZodObject) {
    const shape: Record<string, z.ZodTypeAny> = {};
    for (const [key, value] of Object.entries(schema.shape as Record<string, z.ZodTypeAny>)) {
      shape[key] = deepPartialWithoutDefaults(value).optional();
    }
    const object = z.object(shape);
    return schema._def.unknownKeys === 'strict' ? object.strict() : object;
  }
  return schema;
};

/** The schema of a PUT /settings body: the editable sections of the config schema, each a deep partial. */
export const settingsPatchSchema = (configSchema: z.ZodObject<z.ZodRawShape>) => {
  const shape: Record<string, z.ZodTypeAny> = {};
  for (const key of EDITABLE_KEYS) shape[key] = deepPartialWithoutDefaults(configSchema.shape[key]).optional();
  return z.object(shape).strict();
};

/** Objects merged key by key at every depth; arrays and plain values replaced; undefined leaves the value alone. */
export const deepMerge = <T>(base: T, patch: unknown): T => {
  if (patch === undefined) return base;
  if (!isPlainObject(patch) || !isPlainObject(base)) return patch as T;
  const out: AnyObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    out[key] = deepMerge(out[key], value);
  }
  return out as T;
};

/** A patch without the secrets it only echoes back (the placeholder): saving the page never erases a password. */
export const withoutEchoedSecrets = <T extends AnyObject>(patch: T): T => {
  let out: T = patch;
  for (const section of ['smtp', 'bounceMailbox']) {
    const value = out[section];
    if (!isPlainObject(value) || value.pass !== SECRET_PLACEHOLDER) continue;
    const { pass: _echoed, ...rest } = value;
    out = { ...out, [section]: rest };
  }
  return out;
};

/** Only the editable keys of stored overrides: a key that stopped being editable falls back to the file config. */
export const pickEditable = (overrides: unknown): AnyObject => {
  if (!isPlainObject(overrides)) return {};
  const out: AnyObject = {};
  for (const key of EDITABLE_KEYS) if (overrides[key] !== undefined) out[key] = overrides[key];
  return out;
};

// What the settings page sends: only what the admin changed.
import { changedEndpointKeys, type SmtpEndpoint } from '../../../shared/smtp-endpoint';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Only what the admin changed, leaf by leaf (lists as a whole): the server stores it over the file config, so a value
 * left alone keeps following config/plugins.ts.
 */
export const changedLeaves = (before: unknown, after: unknown): unknown => {
  if (isObject(before) && isObject(after)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(after)) {
      const change = changedLeaves(before[key], after[key]);
      if (change !== undefined) out[key] = change;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? undefined : after;
};

/**
 * The SMTP settings changed that ask for the password again, while it was left as it was: the server refuses to
 * send a saved password anywhere else than where it was entered for (server/src/sending/smtp-credentials.ts).
 */
export const passwordToReenter = (
  before: (SmtpEndpoint & { pass?: string }) | undefined,
  after: (SmtpEndpoint & { pass?: string }) | undefined,
): string[] => (before && after?.user && after.pass === before.pass ? changedEndpointKeys(before, after) : []);

// The SMTP settings a password was entered for (its endpoint): the server sends a saved password only there
// (server/src/sending/smtp-credentials.ts), and the settings page asks for the password again when one of them changes.
import type { PluginConfig } from './config-schema';

type SmtpSettings = PluginConfig['smtp'];

/** The settings that decide who receives the password, and how openly: changing one asks for the password again. */
export const ENDPOINT_KEYS = ['host', 'port', 'user', 'secure', 'rejectUnauthorized', 'allowInsecureAuth'] as const;
export type SmtpEndpoint = Pick<SmtpSettings, (typeof ENDPOINT_KEYS)[number]>;

export const endpointOf = (smtp: SmtpEndpoint): SmtpEndpoint => ({
  host: smtp.host,
  port: smtp.port,
  user: smtp.user,
  secure: smtp.secure,
  rejectUnauthorized: smtp.rejectUnauthorized,
  allowInsecureAuth: smtp.allowInsecureAuth,
});

const sameValue = (key: (typeof ENDPOINT_KEYS)[number], a: unknown, b: unknown) =>
  key === 'host' ? String(a).trim().toLowerCase() === String(b).trim().toLowerCase() : a === b;

/** The endpoint settings that differ between the two (host names compared without case). */
export const changedEndpointKeys = (before: SmtpEndpoint, after: SmtpEndpoint): string[] =>
  ENDPOINT_KEYS.filter((key) => !sameValue(key, before[key], after[key]));

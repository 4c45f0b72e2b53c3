// Where the SMTP password may go: only to the endpoint (host, port, user and TLS settings) it was given for, and
// never readable on the way to a host beyond this machine. Otherwise an admin allowed to change settings, but not
// to know the password, could point the transport at their own server and receive it.
import type { PluginConfig } from '../../../shared/config-schema';
import { isInCidr, normalizeIp } from '../platform/ip';
import { changedEndpointKeys, type SmtpEndpoint } from '../../../shared/smtp-endpoint';

type SmtpSettings = PluginConfig['smtp'];

/**
 * Whether a host is this machine: "localhost" (and names under it), 127.0.0.0/8, ::1 and ::ffff:127.x.y.z. Decided
 * from the text alone, without DNS: a name that merely resolves to a loopback address is not trusted as local.
 */
export const isLocalHost = (host: string): boolean => {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  return isInCidr(name, '127.0.0.0/8') || normalizeIp(name) === '::1';
};

/** Whether this transport sends a password (AUTH): only when a user is set. */
const authenticates = (smtp: Pick<SmtpSettings, 'user'>) => smtp.user !== '';

/**
 * nodemailer's requireTLS: a connection that does not start in TLS must upgrade with STARTTLS before AUTH, or fail.
 * Needed when the password leaves this machine, unless `allowInsecureAuth` says otherwise.
 */
export const requiresStartTls = (smtp: Pick<SmtpSettings, 'user' | 'host' | 'secure' | 'allowInsecureAuth'>): boolean =>
  authenticates(smtp) && !smtp.secure && !smtp.allowInsecureAuth && !isLocalHost(smtp.host);

/**
 * What is wrong with how the password would be sent, or null: the problem as { path, message } for a settings error.
 * Without a certificate check, TLS hides the password from no one who can answer in the relay's place.
 */
export const insecureAuthProblem = (smtp: SmtpSettings): { path: string[]; message: string } | null => {
  if (!authenticates(smtp) || smtp.allowInsecureAuth || isLocalHost(smtp.host) || smtp.rejectUnauthorized) return null;
  return {
    path: ['smtp', 'rejectUnauthorized'],
    message:
      `the password would go to ${smtp.host} over TLS without checking its certificate: keep rejectUnauthorized on, ` +
      `or set smtp.allowInsecureAuth to true to allow it`,
  };
};

/** The settings error when an endpoint setting changed without the password being entered with it. */
export const passwordNeeded = (changed: string[]): string =>
  `enter the password again: ${changed.map((key) => `smtp.${key}`).join(', ')} changed, and a saved password only goes where it was entered for`;

/** The transport's error when a user is set but no password goes with this endpoint. */
export const noPasswordForEndpoint = (smtp: SmtpEndpoint): string =>
  `smtp.pass: no password for user "${smtp.user}" at ${smtp.host}:${smtp.port}: enter the password again in the settings ` +
  `(a saved password is only sent to the host, port, user and TLS settings it was entered with)`;

/** The config with `smtp.pass` emptied when the password was entered for another endpoint (`owner`) than this one. */
export const withPasswordForItsEndpoint = (config: PluginConfig, owner: SmtpEndpoint): PluginConfig =>
  !config.smtp.pass || !changedEndpointKeys(owner, config.smtp).length
    ? config
    : { ...config, smtp: { ...config.smtp, pass: '' } };

/** The text with the password, and the forms AUTH sends it in (base64 of PLAIN and LOGIN), masked. */
export const redactPassword = (text: string, auth: { user: string; pass: string } | null | undefined): string => {
  if (!auth?.pass) return text;
  const forms = [
    auth.pass,
    Buffer.from(auth.pass).toString('base64'),
    Buffer.from(`\u0000${auth.user}\u0000${auth.pass}`).toString('base64'),
  ];
  return forms.reduce((out, form) => out.split(form).join('********'), text);
};

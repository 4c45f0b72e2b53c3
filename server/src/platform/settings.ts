// Settings: the file config, with what an admin saved in the plugin store merged over it.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { configSchema, type PluginConfig } from '../../../shared/config-schema';
import { alertRoles } from '../monitoring/alert-rules';
import { insecureAuthProblem, passwordNeeded, withPasswordForItsEndpoint } from '../sending/smtp-credentials';
import { transportLabels } from '../sending/messenger-registry';
import { changedEndpointKeys, endpointOf, type SmtpEndpoint } from '../../../shared/smtp-endpoint';
import { changedMailboxKeys, mailboxEndpointOf, type MailboxEndpoint } from '../../../shared/mailbox-endpoint';
import { deepMerge, pickEditable, SECRET_PLACEHOLDER, withoutEchoedSecrets } from './settings-patch';
import type { SettingsPatch } from '../../../shared/contracts/monitoring';
import { getService } from './get-service';

const STORE_KEY = 'settings';
/** Beside the overrides in the stored value: the endpoint a saved password was entered with (see sending/smtp-credentials.ts). */
const PASSWORD_FOR = 'smtpPasswordFor';
/** The same for the bounce mailbox's password (shared/mailbox-endpoint.ts). */
const MAILBOX_PASSWORD_FOR = 'bounceMailboxPasswordFor';

/** The config with `bounceMailbox.pass` emptied when it was entered for another endpoint (`owner`) than this one. */
const withMailboxPasswordForItsEndpoint = (config: PluginConfig, owner: MailboxEndpoint): PluginConfig =>
  !config.bounceMailbox.pass || !changedMailboxKeys(owner, config.bounceMailbox).length
    ? config
    : { ...config, bounceMailbox: { ...config.bounceMailbox, pass: '' } };

type Problem = { path: (string | number)[]; message: string };
const invalidSettings = (problems: Problem[]) =>
  new errors.ValidationError(
    `Invalid settings: ${problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`,
    {
      errors: problems,
    },
  );

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const createSettingsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const fileConfig = (): PluginConfig => configSchema.parse(strapi.config.get('plugin::campaigns') ?? {});
  const store = () => strapi.store({ type: 'plugin', name: 'campaigns' });
  const storedValue = async (): Promise<Record<string, unknown>> => {
    const value = await store().get({ key: STORE_KEY });
    return isObject(value) ? value : {};
  };
  const storedOverrides = async (): Promise<Record<string, unknown>> => pickEditable(await storedValue());
  /** Who a saved password was entered for; the password of config/plugins.ts belongs to the file's endpoint. */
  const savedPasswordOwner = (value: Record<string, unknown>): SmtpEndpoint | undefined =>
    isObject(value[PASSWORD_FOR]) ? endpointOf(value[PASSWORD_FOR] as SmtpEndpoint) : undefined;
  const savedMailboxPasswordOwner = (value: Record<string, unknown>): MailboxEndpoint | undefined =>
    isObject(value[MAILBOX_PASSWORD_FOR])
      ? mailboxEndpointOf(value[MAILBOX_PASSWORD_FOR] as MailboxEndpoint)
      : undefined;
  /** Each password only with the endpoint it was entered for (the file's own, unless one was saved since). */
  const withPasswords = (config: PluginConfig, value: Record<string, unknown>, base: PluginConfig) =>
    withMailboxPasswordForItsEndpoint(
      withPasswordForItsEndpoint(config, savedPasswordOwner(value) ?? endpointOf(base.smtp)),
      savedMailboxPasswordOwner(value) ?? mailboxEndpointOf(base.bounceMailbox),
    );

  return {
    fileConfig,

    /** What an admin saved (only the keys they changed), merged over the file config by get(). */
    storedOverrides,

    /**
     * The effective configuration: file config, then stored overrides, key by key at every depth. Overrides that
     * no longer validate (a value the config schema since narrowed) are ignored with a warning, never fatal. The
     * password is left out (empty) when the host, port, user or TLS settings differ from those it was entered with.
     */
    async get(): Promise<PluginConfig> {
      const base = fileConfig();
      const value = await storedValue();
      const overrides = pickEditable(value);
      if (!Object.keys(overrides).length) return base;
      const merged = configSchema.safeParse(deepMerge(base, overrides));
      if (merged.success) return withPasswords(merged.data, value, base);
      strapi.log.warn(
        `[campaigns] saved settings ignored, they no longer validate: ${merged.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
      return base;
    },

    /**
     * The settings a change would give, validated as a whole with the config schema (400 naming the key), without
     * saving it: for set() and for checking unsaved values. `smtp.pass` equal to the placeholder the page shows
     * keeps the stored password, but only while the host, port, user and TLS settings stay those it was entered
     * with: changing one of them needs the password again (400 naming smtp.pass).
     */
    async resolve(patch: SettingsPatch): Promise<{ config: PluginConfig; value: Record<string, unknown> }> {
      const change = withoutEchoedSecrets(patch as Record<string, unknown>);
      const base = fileConfig();
      const value = await storedValue();
      const next = deepMerge(pickEditable(value), change);
      const result = configSchema.safeParse(deepMerge(base, next));
      if (!result.success)
        throw invalidSettings(result.error.issues.map((issue) => ({ path: issue.path, message: issue.message })));

      const config = result.data;
      const problems: Problem[] = [];
      const passEntered = isObject(change.smtp) && change.smtp.pass !== undefined;
      const changed = changedEndpointKeys((await this.get()).smtp, config.smtp);
      if (changed.length && !passEntered && config.smtp.user)
        problems.push({ path: ['smtp', 'pass'], message: passwordNeeded(changed) });
      const insecure = insecureAuthProblem(config.smtp);
      if (insecure) problems.push(insecure);
      const mailboxPassEntered = isObject(change.bounceMailbox) && change.bounceMailbox.pass !== undefined;
      const mailboxChanged = changedMailboxKeys((await this.get()).bounceMailbox, config.bounceMailbox);
      if (mailboxChanged.length && !mailboxPassEntered && config.bounceMailbox.user)
        problems.push({
          path: ['bounceMailbox', 'pass'],
          message: `enter the password again: ${mailboxChanged.map((key) => `bounceMailbox.${key}`).join(', ')} changed, and a saved password only goes where it was entered for`,
        });
      const messengerProblem = change.messenger !== undefined ? getService(strapi, 'messengers').problem(config) : null;
      if (messengerProblem) problems.push({ path: ['messenger'], message: messengerProblem });
      if (problems.length) throw invalidSettings(problems);

      const owner = passEntered ? endpointOf(config.smtp) : savedPasswordOwner(value);
      const mailboxOwner = mailboxPassEntered
        ? mailboxEndpointOf(config.bounceMailbox)
        : savedMailboxPasswordOwner(value);
      const owners = {
        ...(owner ? { [PASSWORD_FOR]: owner } : {}),
        ...(mailboxOwner ? { [MAILBOX_PASSWORD_FOR]: mailboxOwner } : {}),
      };
      return {
        config: withMailboxPasswordForItsEndpoint(
          withPasswordForItsEndpoint(config, owner ?? endpointOf(base.smtp)),
          mailboxOwner ?? mailboxEndpointOf(base.bounceMailbox),
        ),
        value: { ...next, ...owners },
      };
    },

    /** Saves a change made in the admin (see resolve()), then applies it: the next message goes through a messenger built from it. */
    async set(patch: SettingsPatch): Promise<PluginConfig> {
      const { config, value } = await this.resolve(patch);
      const change = patch as Record<string, unknown>;
      await store().set({ key: STORE_KEY, value });
      if (change.smtp !== undefined || change.messenger !== undefined) {
        await getService(strapi, 'messenger').reload();
        getService(strapi, 'monitoring').invalidateTransport();
      }
      if (change.tracking !== undefined) getService(strapi, 'tracker').invalidateSettings();
      if (change.bounceMailbox !== undefined) getService(strapi, 'bounce-mailbox').reschedule();
      return config;
    },

    /** What the settings page may show: no secrets. */
    async getPublic() {
      const config = await this.get();
      return {
        ...config,
        tokenKeys: undefined,
        // A registered messenger's options may hold API keys: never shown.
        messengerOptions: undefined,
        /** Every messenger `messenger` may name (the built-in ones and those the app registered); read-only. */
        messengers: getService(strapi, 'messengers').names(),
        // Fallback transports hold secrets too: only their names, in order (read-only, from config/plugins.ts).
        fallbackTransports: transportLabels(config).slice(1),
        smtp: { ...config.smtp, pass: config.smtp.pass ? SECRET_PLACEHOLDER : '' },
        alerts: { ...config.alerts, roles: alertRoles(config.alerts) },
        webhooks: { secretSet: Boolean(config.webhooks.secret) },
        bounceMailbox: { ...config.bounceMailbox, pass: config.bounceMailbox.pass ? SECRET_PLACEHOLDER : '' },
      };
    },
  };
};

export type SettingsService = ReturnType<typeof createSettingsService>;
export default createSettingsService;

// Settings: the file config, with what an admin saved in the plugin store merged over it.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { configSchema, type PluginConfig } from '../../../shared/config-schema';
import { alertRoles } from '../lib/alert-rules';
import { deepMerge, pickEditable, SECRET_PLACEHOLDER, withoutEchoedSecrets } from '../lib/settings-patch';
import type { SettingsPatch } from '../../../shared/contracts/monitoring';
import { getService } from '../utils/get-service';

const STORE_KEY = 'settings';

const createSettingsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const fileConfig = (): PluginConfig => configSchema.parse(strapi.config.get('plugin::campaigns') ?? {});
  const store = () => strapi.store({ type: 'plugin', name: 'campaigns' });
  const storedOverrides = async (): Promise<Record<string, unknown>> => pickEditable(await store().get({ key: STORE_KEY }));

  return {
    fileConfig,

    /** What an admin saved (only the keys they changed), merged over the file config by get(). */
    storedOverrides,

    /**
     * The effective configuration: file config, then stored overrides, key by key at every depth. Overrides that
     * no longer validate (a value the config schema since narrowed) are ignored with a warning, never fatal.
     */
    async get(): Promise<PluginConfig> {
      const base = fileConfig();
      const overrides = await storedOverrides();
      if (!Object.keys(overrides).length) return base;
      const merged = configSchema.safeParse(deepMerge(base, overrides));
      if (merged.success) return merged.data;
      strapi.log.warn(`[campaigns] saved settings ignored, they no longer validate: ${merged.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return base;
    },

    /**
     * Saves a change made in the admin: merged over what was saved before, validated as a whole with the config
     * schema (400 naming the key), then applied: the next message goes through a messenger built from it.
     * `smtp.pass` equal to the placeholder the page shows keeps the stored password.
     */
    async set(patch: SettingsPatch): Promise<PluginConfig> {
      const change = withoutEchoedSecrets(patch as Record<string, unknown>);
      const next = deepMerge(await storedOverrides(), change);
      const result = configSchema.safeParse(deepMerge(fileConfig(), next));
      if (!result.success) {
        const details = result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
        throw new errors.ValidationError(
          `Invalid settings: ${details.map((d) => `${d.path.join('.')}: ${d.message}`).join('; ')}`,
          { errors: details }
        );
      }
      const messengerProblem = change.messenger !== undefined ? getService(strapi, 'messengers').problem(result.data) : null;
      if (messengerProblem) {
        throw new errors.ValidationError(`Invalid settings: messenger: ${messengerProblem}`, { errors: [{ path: ['messenger'], message: messengerProblem }] });
      }
      await store().set({ key: STORE_KEY, value: next });
      if (change.smtp !== undefined || change.messenger !== undefined) {
        await getService(strapi, 'messenger').reload();
        getService(strapi, 'monitoring').invalidateTransport();
      }
      if (change.tracking !== undefined) getService(strapi, 'tracker').invalidateSettings();
      return result.data;
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
        smtp: { ...config.smtp, pass: config.smtp.pass ? SECRET_PLACEHOLDER : '' },
        alerts: { ...config.alerts, roles: alertRoles(config.alerts) },
        webhooks: { secretSet: Boolean(config.webhooks.secret) },
      };
    },
  };
};

export type SettingsService = ReturnType<typeof createSettingsService>;
export default createSettingsService;

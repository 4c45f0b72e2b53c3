// Settings: the file config, with what an admin saved in the plugin store merged over it.
import type { Core } from '@strapi/strapi';
import { configSchema, type PluginConfig } from '../config/schema';

const createSettingsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const fileConfig = (): PluginConfig => configSchema.parse(strapi.config.get('plugin::campaigns') ?? {});
  const store = () => strapi.store({ type: 'plugin', name: 'campaigns' });

  return {
    fileConfig,

    /** The effective configuration: file config, then stored overrides. */
    async get(): Promise<PluginConfig> {
      const overrides = ((await store().get({ key: 'settings' })) ?? {}) as Partial<PluginConfig>;
      const base = fileConfig();
      return configSchema.parse({
        ...base,
        ...overrides,
        smtp: { ...base.smtp, ...(overrides.smtp ?? {}) },
        defaultFrom: { ...base.defaultFrom, ...(overrides.defaultFrom ?? {}) },
        sending: { ...base.sending, ...(overrides.sending ?? {}) },
        tracking: { ...base.tracking, ...(overrides.tracking ?? {}) },
        retention: { ...base.retention, ...(overrides.retention ?? {}) },
        webhooks: base.webhooks,
        tokenKeys: base.tokenKeys,
      });
    },

    /** What the settings page may show: no secrets. */
    async getPublic() {
      const config = await this.get();
      return {
        ...config,
        tokenKeys: undefined,
        smtp: { ...config.smtp, pass: config.smtp.pass ? '********' : '' },
        webhooks: { secretSet: Boolean(config.webhooks.secret) },
      };
    },
  };
};

export type SettingsService = ReturnType<typeof createSettingsService>;
export default createSettingsService;

// Admin entry of strapi-plugin-campaigns: the menu link, the settings link and translations.
import { PLUGIN_ID } from './pluginId';
import { PERMISSIONS } from './permissions';
import { PluginIcon } from './components/PluginIcon';

const prefixTranslations = (data: Record<string, string>) =>
  Object.fromEntries(Object.entries(data).map(([key, value]) => [`${PLUGIN_ID}.${key}`, value]));

export default {
  register(app: any) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PluginIcon,
      intlLabel: { id: `${PLUGIN_ID}.plugin.name`, defaultMessage: 'Campaigns' },
      permissions: PERMISSIONS.read,
      Component: () => import('./pages/App').then((mod) => ({ default: mod.App })),
    });

    app.createSettingSection(
      { id: PLUGIN_ID, intlLabel: { id: `${PLUGIN_ID}.plugin.name`, defaultMessage: 'Campaigns' } },
      [
        {
          intlLabel: { id: `${PLUGIN_ID}.settings.link`, defaultMessage: 'Configuration' },
          id: 'campaigns-settings',
          to: `${PLUGIN_ID}`,
          permissions: PERMISSIONS.settings,
          Component: () => import('./pages/SettingsPage').then((mod) => ({ default: mod.SettingsPage })),
        },
      ],
    );

    app.registerPlugin({ id: PLUGIN_ID, name: 'Campaigns' });
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = await import(`./translations/${locale}.json`);
          return { data: prefixTranslations(data), locale };
        } catch {
          return { data: {}, locale };
        }
      }),
    );
  },
};

// Admin entry of strapi-plugin-campaigns: the menu link, the settings link, the Content Manager's newsletter panel and
// digest action, and translations.
import type { StrapiApp } from '@strapi/strapi/admin';
import { PLUGIN_ID } from './pluginId';
import { PERMISSIONS } from './permissions';
import { PluginIcon } from './components/PluginIcon';
import { NewsletterPanel } from './components/content-manager/NewsletterPanel';
import { DigestBulkAction } from './components/content-manager/DigestBulkAction';

/** The Content Manager's admin APIs used here (Strapi types a plugin's apis as unknown). */
interface ContentManagerApis {
  addEditViewSidePanel(panels: unknown[]): void;
  addBulkAction(actions: unknown[]): void;
}

const prefixTranslations = (data: Record<string, string>) =>
  Object.fromEntries(Object.entries(data).map(([key, value]) => [`${PLUGIN_ID}.${key}`, value]));

export default {
  register(app: StrapiApp) {
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
        {
          intlLabel: { id: `${PLUGIN_ID}.shapes.page`, defaultMessage: 'Newsletter shapes' },
          id: 'campaigns-entry-shapes',
          to: `${PLUGIN_ID}/entry-shapes`,
          permissions: PERMISSIONS.settings,
          Component: () => import('./pages/EntryShapesPage').then((mod) => ({ default: mod.EntryShapesPage })),
        },
        {
          intlLabel: { id: `${PLUGIN_ID}.suppressions.page`, defaultMessage: 'Suppression list' },
          id: 'campaigns-suppressions',
          to: `${PLUGIN_ID}/suppressions`,
          permissions: PERMISSIONS.read,
          Component: () => import('./pages/SuppressionsPage').then((mod) => ({ default: mod.SuppressionsPage })),
        },
      ],
    );

    app.registerPlugin({ id: PLUGIN_ID, name: 'Campaigns' });
  },

  // "Send as newsletter" on an entry's edit view, and "Make a digest" on the list view (the Content Manager's APIs).
  bootstrap(app: Pick<StrapiApp, 'getPlugin'>) {
    const contentManager = app.getPlugin('content-manager')?.apis as unknown as ContentManagerApis | undefined;
    if (!contentManager) return;
    contentManager.addEditViewSidePanel([NewsletterPanel]);
    contentManager.addBulkAction([DigestBulkAction]);
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

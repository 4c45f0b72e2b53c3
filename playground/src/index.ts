// The playground app: the plugin does the work; with CAMPAIGNS_DEMO=1 it seeds demo data on first start. Its
// register() uses the plugin's extension points the way any app would (the README shows the same lines).
import type { Core } from '@strapi/strapi';
import { seedDemo } from './demo-seed';
import { createEspMessenger, type EspOptions } from './esp-messenger';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    // The app's users as an audience: all of them, or one role; blocked users never get mail.
    const sources = strapi.plugin('campaigns').service('audience-sources');
    sources.register(
      sources.collection({
        id: 'users',
        label: 'Users',
        uid: 'plugin::users-permissions.user',
        email: 'email',
        data: ['username'],
        filters: { $or: [{ blocked: false }, { blocked: { $null: true } }] },
        segments: async () => [
          { id: 'all', label: 'All users' },
          ...(await strapi.db.query('plugin::users-permissions.role').findMany({ orderBy: { name: 'asc' } })).map(
            (role) => ({
              id: `role:${role.type}`,
              label: `Role: ${role.name}`,
              filters: { role: { type: role.type } },
            }),
          ),
        ],
      }),
    );

    // Examples that change what a message may contain or how it leaves: only when asked for.
    if (process.env.CAMPAIGNS_EXAMPLES === '1') {
      strapi
        .plugin('campaigns')
        .service('template-variables')
        .register({
          name: 'loyaltyTier',
          description: 'Loyalty tier, from the points in the contact attributes',
          value: async ({ contact }: { contact: { email: string; attributes?: Record<string, unknown> | null } }) => {
            const points = Number(contact.attributes?.points ?? 0);
            if (!Number.isFinite(points)) throw new Error(`no loyalty points for ${contact.email}`);
            return points >= 1000 ? 'Gold & <VIP>' : points >= 100 ? 'Silver' : 'Bronze';
          },
        });

      strapi
        .plugin('campaigns')
        .service('messengers')
        .register({
          name: 'http-esp',
          create: (options: EspOptions) => createEspMessenger(options),
        });
    }
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    if (process.env.CAMPAIGNS_DEMO === '1') await seedDemo(strapi);
  },
};

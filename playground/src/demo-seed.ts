// Demo data: an admin to log in with, and lists of contacts, created once on an empty database when CAMPAIGNS_DEMO=1.
import type { Core } from '@strapi/strapi';
import { ensureArticles, ensureArticleShape } from './demo-articles';

export const DEMO_ADMIN = {
  email: 'admin@campaigns.demo',
  password: 'Demo-Campaigns-1',
  firstname: 'Demo',
  lastname: 'Admin',
};

const FIRST_NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Tim',
  'Radia',
];
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'Berners-Lee',
  'Perlman',
];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'corp.example.com'];
const CITIES = ['Paris', 'Berlin', 'Lisbon', 'Toronto', 'Osaka'];

const ensureAdmin = async (strapi: Core.Strapi) => {
  const users = strapi.service('admin::user') as any;
  if (await users.exists()) return;
  const superAdmin = await (strapi.service('admin::role') as any).getSuperAdmin();
  await users.create({ ...DEMO_ADMIN, isActive: true, registrationToken: null, roles: [superAdmin.id] });
  strapi.log.info(`[demo] admin created: ${DEMO_ADMIN.email}`);
};

const ensureAudience = async (strapi: Core.Strapi) => {
  const contacts = strapi.plugin('campaigns').service('contacts');
  const lists = strapi.plugin('campaigns').service('lists');
  if ((await strapi.db.query('plugin::campaigns.contact').count()) > 0) return;

  const newsletter = await lists.create({
    name: 'Newsletter',
    description: 'Everyone who asked for the monthly newsletter',
  });
  const product = await lists.create({
    name: 'Product updates',
    description: 'Release notes and feature announcements',
  });
  for (let i = 0; i < 120; i += 1) {
    const firstName = FIRST_NAMES[i % FIRST_NAMES.length];
    const lastName = LAST_NAMES[(i * 7) % LAST_NAMES.length];
    const status = i % 29 === 0 ? 'unsubscribed' : i % 41 === 0 ? 'quarantined' : 'subscribed';
    await contacts.create({
      email: `${firstName}.${lastName}.${i}@${DOMAINS[i % DOMAINS.length]}`.toLowerCase(),
      firstName,
      lastName,
      locale: i % 5 === 0 ? 'fr' : 'en',
      status,
      attributes: { city: CITIES[i % CITIES.length], plan: i % 3 === 0 ? 'pro' : 'free' },
      lists: i % 4 === 0 ? [newsletter.documentId, product.documentId] : [newsletter.documentId],
    });
  }
  strapi.log.info('[demo] seeded 2 lists and 120 contacts');
};

const SAMPLE_HTML = `<h1>Hello {{firstName}}!</h1>
<p>This is the sample delivery of the Campaigns demo, personalised for {{firstName}} {{lastName}} in {{attributes.city}}.</p>
<p><a href="https://strapi.io/">Visit strapi.io</a> or <a href="https://github.com/strapi/strapi">read the source</a>.</p>
<p>Your plan: <strong>{{attributes.plan}}</strong>.</p>`;

/** One delivery sent to the Newsletter list on first start: the mail catcher shows what recipients get. */
const ensureSampleDelivery = async (strapi: Core.Strapi) => {
  if ((await strapi.db.query('plugin::campaigns.delivery').count()) > 0) return;
  const [newsletter] = await strapi.db
    .query('plugin::campaigns.list')
    .findMany({ where: { name: 'Newsletter' }, limit: 1 });
  if (!newsletter) return;
  const deliveries = strapi.plugin('campaigns').service('deliveries');
  const delivery = await deliveries.create({
    name: 'Welcome to the demo',
    subject: 'Welcome, {{firstName}}',
    html: SAMPLE_HTML,
    lists: [newsletter.documentId],
  });
  await deliveries.send(delivery.documentId);
  strapi.log.info('[demo] sample delivery "Welcome to the demo" sent to the Newsletter list: see the mail catcher');
};

export const seedDemo = async (strapi: Core.Strapi) => {
  await ensureAdmin(strapi);
  await ensureAudience(strapi);
  await ensureSampleDelivery(strapi);
  await ensureArticles(strapi);
  await ensureArticleShape(strapi);
};

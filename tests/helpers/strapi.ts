// Boots the playground Strapi in the test process on a database of its own, mounted without listening (supertest
// drives it).
import path from 'path';
import request from 'supertest';
import { createStrapi, type Core } from '@strapi/strapi';
import { createTestDatabase, type TestDatabase } from './databases';

export const PLAYGROUND_DIR = path.resolve(__dirname, '..', '..', 'playground');
/** A stand-in package that loads the plugin's server from TypeScript source (see plugin-from-source/). */
export const PLUGIN_FROM_SOURCE = path.join(__dirname, 'plugin-from-source');

export interface TestApp {
  strapi: Core.Strapi;
  db: TestDatabase;
  http: () => ReturnType<typeof request>;
  /** Bearer token of a super admin, created on first use. */
  superAdminToken: () => Promise<string>;
  /** Bearer token of an admin whose role holds exactly these plugin actions. */
  adminTokenWith: (actions: string[]) => Promise<string>;
  /** Bearer token of a new admin with one of Strapi's roles, by code (strapi-editor, strapi-author). */
  adminTokenForRole: (code: string) => Promise<string>;
  /** Listens on a free port of 127.0.0.1 (for browsers and load tests). */
  listen: () => Promise<{ port: number }>;
  destroy: () => Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Serve the built admin panel (playground/dist/build, made by `strapi build`) for browser tests. */
  serveAdmin?: boolean;
  /** Campaigns plugin config merged over the playground's config/plugins.ts (through CAMPAIGNS_CONFIG). */
  pluginConfig?: Record<string, unknown>;
}

const PASSWORD = 'Campaigns-Test-1';

/** Registers the first (super) admin of a fresh app, in the test process or a Strapi process's URL; returns its token. */
export const registerAdmin = async (server: Parameters<typeof request>[0]): Promise<string> => {
  const res = await request(server)
    .post('/admin/register-admin')
    .send({ email: 'admin@campaigns.test', firstname: 'Ada', lastname: 'Admin', password: PASSWORD });
  if (res.status !== 200 && res.status !== 201) throw new Error(`register-admin answered ${res.status}: ${res.text}`);
  return res.body.data.token as string;
};

const appEnv = (db: TestDatabase, options: TestAppOptions) => ({
  ...db.env,
  ADMIN_RATE_LIMIT: 'false',
  NODE_ENV: 'test',
  CAMPAIGNS_PLUGIN_PATH: PLUGIN_FROM_SOURCE,
  CAMPAIGNS_CONFIG: JSON.stringify(options.pluginConfig ?? {}),
  ...options.env,
});

const createApp = (options: TestAppOptions) => {
  const app = createStrapi({
    appDir: PLAYGROUND_DIR,
    distDir: path.join(PLAYGROUND_DIR, 'dist'),
    serveAdminPanel: Boolean(options.serveAdmin),
  } as any);
  app.log.level = process.env.CAMPAIGNS_TEST_LOG_LEVEL ?? 'error';
  return app;
};

/**
 * Boots the playground once on an empty database and stops it: what is left (the schema, and the rows a first boot
 * writes) is the template each test file's database is copied from (tests/helpers/databases.ts). The environment is
 * put back as it was.
 */
export const bootTemplate = async (db: TestDatabase): Promise<void> => {
  const env = appEnv(db, {});
  const before = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  try {
    const strapi = await createApp({}).load();
    await strapi.destroy();
  } finally {
    for (const [key, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
};

export const bootTestApp = async (options: TestAppOptions = {}): Promise<TestApp> => {
  const db = await createTestDatabase();
  Object.assign(process.env, appEnv(db, options));

  const app = createApp(options);
  let strapi: Core.Strapi;
  try {
    strapi = await app.load();
  } catch (error) {
    await db.drop().catch(() => undefined);
    throw error;
  }
  await strapi.server.mount();

  const http = () => request(strapi.server.httpServer);
  let superToken: string | null = null;

  const superAdminToken = async () => {
    superToken ??= await registerAdmin(strapi.server.httpServer);
    return superToken;
  };

  let adminCounter = 0;
  /** Creates an active admin with these roles and logs in as them. */
  const loginAs = async (roleIds: number[], lastname: string) => {
    adminCounter += 1;
    const email = `editor${adminCounter}@campaigns.test`;
    await (strapi.service('admin::user') as any).create({
      email,
      firstname: 'Eddie',
      lastname: `${lastname} ${adminCounter}`,
      password: PASSWORD,
      isActive: true,
      registrationToken: null,
      roles: roleIds,
    });
    const res = await http().post('/admin/login').send({ email, password: PASSWORD });
    if (res.status !== 200) throw new Error(`login answered ${res.status}: ${res.text}`);
    return res.body.data.token as string;
  };

  const adminTokenWith = async (actions: string[]) => {
    await superAdminToken();
    const roleService = strapi.service('admin::role') as any;
    const role = await roleService.create({
      name: `Test role ${adminCounter + 1}`,
      description: actions.join(', ') || 'no plugin actions',
    });
    if (actions.length) {
      await roleService.assignPermissions(
        role.id,
        actions.map((action) => ({ action, subject: null, conditions: [], properties: {} })),
      );
    }
    return loginAs([role.id], 'Editor');
  };

  const adminTokenForRole = async (code: string) => {
    // The first admin's registration is what makes Strapi create its default roles on a fresh app.
    await superAdminToken();
    const role = await (strapi.service('admin::role') as any).findOne({ code });
    if (!role) throw new Error(`no admin role with code ${code}`);
    return loginAs([role.id], role.name);
  };

  return {
    strapi,
    db,
    http,
    superAdminToken,
    adminTokenWith,
    adminTokenForRole,
    listen: () =>
      new Promise((resolve) => {
        strapi.server.httpServer.listen(0, '127.0.0.1', () =>
          resolve({ port: (strapi.server.httpServer.address() as any).port }),
        );
      }),
    destroy: async () => {
      await strapi.destroy();
      await db.drop();
    },
  };
};

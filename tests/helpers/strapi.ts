// Boots the playground Strapi in the test process on a database of its own, mounted without listening (supertest
// drives it).
import path from 'path';
import request from 'supertest';
import type { Core } from '@strapi/strapi';
import { createTestDatabase, type TestDatabase } from './databases';

/** The worker process's `require` and environment, when the Jest environment lends them (strapi-environment.js). */
const worker = (globalThis as { __campaignsWorker?: { require: NodeRequire; process: NodeJS.Process } })
  .__campaignsWorker;
/** Strapi (and through it the plugin) from the worker's module cache: compiled once per worker, not once per file. */
const strapiModule = (): typeof import('@strapi/strapi') =>
  worker ? worker.require('@strapi/strapi') : require('@strapi/strapi');
/**
 * Strapi's destroy() removes every listener of the process it runs in (@strapi/core's Strapi.destroy), which in a
 * Jest worker's process includes the worker's own IPC listener: without it the worker exits. Made before an app is
 * created; `loaded()` after its boot notes what it added (its signal handlers); `destroy()` destroys the app and
 * puts back every other listener it removed.
 */
const guardProcessListeners = () => {
  const host = worker?.process;
  const listeners = () =>
    host ? host.eventNames().flatMap((name) => host.rawListeners(name).map((listener) => ({ name, listener }))) : [];
  const before = new Set(listeners().map((entry) => entry.listener));
  let added = new Set<unknown>();
  return {
    loaded: () => {
      added = new Set(
        listeners()
          .map((entry) => entry.listener)
          .filter((listener) => !before.has(listener)),
      );
    },
    destroy: async (strapi: Core.Strapi) => {
      const kept = listeners().filter((entry) => !added.has(entry.listener));
      await strapi.destroy();
      for (const { name, listener } of kept) {
        if (!host!.rawListeners(name).includes(listener)) host!.on(name, listener as (...args: unknown[]) => void);
      }
    },
  };
};
/**
 * Sets variables in every environment Strapi may read (the worker's is put back after each file by
 * strapi-environment.js); returns what puts them back.
 */
const setEnv = (values: Record<string, string>) => {
  const targets = worker ? [process.env, worker.process.env] : [process.env];
  const before = targets.map((env) => Object.fromEntries(Object.keys(values).map((key) => [key, env[key]])));
  for (const env of targets) Object.assign(env, values);
  return () =>
    targets.forEach((env, i) => {
      for (const [key, value] of Object.entries(before[i])) {
        if (value === undefined) delete env[key];
        else env[key] = value;
      }
    });
};

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
  /** Stops Strapi and keeps its database (to boot again on it). */
  stop: () => Promise<void>;
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
  const app = strapiModule().createStrapi({
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
  const restoreEnv = setEnv(appEnv(db, {}));
  try {
    const listeners = guardProcessListeners();
    const strapi = await createApp({}).load();
    listeners.loaded();
    await listeners.destroy(strapi);
  } finally {
    restoreEnv();
  }
};

export const bootTestApp = async (options: TestAppOptions = {}): Promise<TestApp> => {
  const db = await createTestDatabase();
  setEnv(appEnv(db, options));

  const listeners = guardProcessListeners();
  const app = createApp(options);
  let strapi: Core.Strapi;
  try {
    strapi = await app.load();
    listeners.loaded();
  } catch (error) {
    // What the boot registered before it failed is cleared as on any destroy: some of Strapi's registries (the admin's
    // permission actions) live in its modules, which the next boot in this worker shares.
    listeners.loaded();
    await listeners.destroy(app).catch(() => undefined);
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
    stop: () => listeners.destroy(strapi),
    destroy: async () => {
      await listeners.destroy(strapi);
      await db.drop();
    },
  };
};

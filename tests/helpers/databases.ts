// The databases the suite runs on, and one of its own per test file: SQLite files, PostgreSQL and MariaDB databases.
import os from 'os';
import path from 'path';
import fs from 'fs';
import { randomBytes } from 'crypto';
import knexFactory, { type Knex } from 'knex';

export type TestDbClient = 'sqlite' | 'postgres' | 'mysql';

export const DB_SERVERS = {
  postgres: {
    host: process.env.PGHOST_TEST ?? '127.0.0.1',
    port: Number(process.env.PGPORT_TEST ?? 5432),
    user: process.env.PGUSER_TEST ?? 'postgres',
    password: '',
  },
  mysql: {
    host: process.env.MYSQL_HOST_TEST ?? '127.0.0.1',
    port: Number(process.env.MYSQL_PORT_TEST ?? 3306),
    user: process.env.MYSQL_USER_TEST ?? 'root',
    password: '',
  },
};

export const currentDbClient = (): TestDbClient => {
  const client = (process.env.CAMPAIGNS_TEST_DB ?? 'sqlite') as TestDbClient;
  if (!['sqlite', 'postgres', 'mysql'].includes(client))
    throw new Error(`CAMPAIGNS_TEST_DB must be sqlite, postgres or mysql (got "${client}")`);
  return client;
};

export interface TestDatabase {
  client: TestDbClient;
  /** Environment variables that point the playground's config/database.ts at it. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

const adminQuery = async (client: 'postgres' | 'mysql', sql: string) => {
  if (client === 'postgres') {
    const { Client } = require('pg');
    const pg = new Client({ ...DB_SERVERS.postgres, database: 'postgres' });
    await pg.connect();
    try {
      await pg.query(sql);
    } finally {
      await pg.end();
    }
  } else {
    const mysql = require('mysql2/promise');
    const conn = await mysql.createConnection(DB_SERVERS.mysql);
    try {
      await conn.query(sql);
    } finally {
      await conn.end();
    }
  }
};

/** An empty database of its own. */
const createEmptyDatabase = async (client: TestDbClient, name: string): Promise<TestDatabase> => {
  if (client === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-test-'));
    const filename = path.join(dir, 'data.db');
    return {
      client,
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: filename },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  await adminQuery(
    client,
    client === 'postgres'
      ? `CREATE DATABASE ${name}`
      : `CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  return serverDatabase(client, name);
};

const serverDatabase = (client: 'postgres' | 'mysql', name: string): TestDatabase => {
  const server = DB_SERVERS[client];
  return {
    client,
    env: {
      DATABASE_CLIENT: client,
      DATABASE_HOST: server.host,
      DATABASE_PORT: String(server.port),
      DATABASE_NAME: name,
      DATABASE_USERNAME: server.user,
      DATABASE_PASSWORD: server.password,
    },
    drop: () =>
      adminQuery(
        client,
        client === 'postgres' ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${name}`,
      ),
  };
};

// Each test file's database is a copy of a template rather than an empty one: creating the schema is most of a boot
// (Strapi's schema sync takes 3 to 9 s per file, by database), a copy well under a second on SQLite and PostgreSQL.
// The template is made once per jest run (tests/helpers/test-run.js names the run, and drops it at the end) by a first
// boot on an empty database (bootTemplate, tests/helpers/strapi.ts), in whichever worker needs it first while the
// others wait: every run still boots on an empty database of each kind once.
const TEMPLATE_WAIT_MS = 5 * 60_000;

/** Where this run keeps its template of this kind: the lock directory and, on SQLite, the file. */
const templateOf = (client: TestDbClient, run: string) => {
  const dir = path.join(os.tmpdir(), `campaigns-template-${client}-${run}`);
  return {
    dir,
    name: `campaigns_tpl_${run}`,
    filename: path.join(dir, 'data.db'),
    ready: path.join(dir, 'ready'),
    failed: path.join(dir, 'failed'),
  };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ensureTemplate = async (client: TestDbClient, run: string) => {
  const template = templateOf(client, run);
  let mine = false;
  try {
    fs.mkdirSync(template.dir);
    mine = true;
  } catch (error: any) {
    if (error?.code !== 'EEXIST') throw error;
  }
  if (mine) {
    try {
      const db =
        client === 'sqlite'
          ? { client, env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: template.filename }, drop: async () => {} }
          : await createEmptyDatabase(client, template.name);
      await require('./strapi').bootTemplate(db);
      fs.writeFileSync(template.ready, '');
    } catch (error: any) {
      fs.writeFileSync(template.failed, String(error?.stack ?? error));
      throw error;
    }
    return template;
  }
  const until = Date.now() + TEMPLATE_WAIT_MS;
  while (!fs.existsSync(template.ready)) {
    if (fs.existsSync(template.failed))
      throw new Error(`the template database failed:\n${fs.readFileSync(template.failed, 'utf8')}`);
    if (Date.now() > until)
      throw new Error(`no template database after ${TEMPLATE_WAIT_MS / 1000} s (${template.dir})`);
    await sleep(200);
  }
  return template;
};

/** Drops the templates a run made (those of the kinds it used). */
export const dropTemplates = async (run: string): Promise<void> => {
  for (const client of ['sqlite', 'postgres', 'mysql'] as const) {
    const template = templateOf(client, run);
    if (!fs.existsSync(template.dir)) continue;
    if (client !== 'sqlite') await serverDatabase(client, template.name).drop();
    fs.rmSync(template.dir, { recursive: true, force: true });
  }
};

/** MariaDB has no template databases: each table is created as the template's and its rows copied. */
const copyMysqlDatabase = async (from: string, to: string) => {
  const mysql = require('mysql2/promise');
  const conn = await mysql.createConnection({ ...DB_SERVERS.mysql, database: to });
  try {
    await conn.query('SET FOREIGN_KEY_CHECKS = 0');
    const [tables] = await conn.query(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'",
      [from],
    );
    for (const { name } of tables as Array<{ name: string }>) {
      const [[created]] = await conn.query(`SHOW CREATE TABLE \`${from}\`.\`${name}\``);
      await conn.query(created['Create Table']);
      await conn.query(`INSERT INTO \`${name}\` SELECT * FROM \`${from}\`.\`${name}\``);
    }
  } finally {
    await conn.end();
  }
};

/** A database only this test file uses: a copy of the run's template, or an empty one outside a jest run (benches). */
export const createTestDatabase = async (client: TestDbClient = currentDbClient()): Promise<TestDatabase> => {
  const name = `campaigns_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const run = process.env.CAMPAIGNS_TEST_RUN;
  if (!run) return createEmptyDatabase(client, name);
  const template = await ensureTemplate(client, run);
  if (client === 'postgres') {
    await adminQuery(client, `CREATE DATABASE ${name} TEMPLATE ${template.name}`);
    return serverDatabase(client, name);
  }
  const db = await createEmptyDatabase(client, name);
  if (client === 'mysql') await copyMysqlDatabase(template.name, name);
  else
    for (const suffix of ['', '-wal'])
      if (fs.existsSync(template.filename + suffix))
        fs.copyFileSync(template.filename + suffix, db.env.DATABASE_FILENAME + suffix);
  return db;
};

/** A Knex connection of the test's own to a PostgreSQL or MariaDB test database (to read what Strapi processes wrote). */
export const connectTo = (db: TestDatabase, poolMax = 1): Knex =>
  knexFactory({
    client: db.client === 'postgres' ? 'pg' : 'mysql2',
    connection: {
      host: db.env.DATABASE_HOST,
      port: Number(db.env.DATABASE_PORT),
      user: db.env.DATABASE_USERNAME,
      password: db.env.DATABASE_PASSWORD,
      database: db.env.DATABASE_NAME,
    },
    pool: { min: 0, max: poolMax },
  });

/** Says plainly when a database that was asked for cannot be reached. */
export const checkReachable = async (client: TestDbClient): Promise<string | null> => {
  if (client === 'sqlite') return null;
  try {
    await adminQuery(client, 'SELECT 1');
    return null;
  } catch (error: any) {
    const server = DB_SERVERS[client];
    return `${client === 'postgres' ? 'PostgreSQL' : 'MariaDB/MySQL'} at ${server.host}:${server.port} (user ${server.user}) is unreachable: ${error?.message ?? error}`;
  }
};

// The databases the suite runs on, and a fresh one per test file: SQLite files, PostgreSQL and MariaDB databases.
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

/** Creates an empty database only this test file uses. */
export const createTestDatabase = async (client: TestDbClient = currentDbClient()): Promise<TestDatabase> => {
  const name = `campaigns_t_${process.pid}_${randomBytes(4).toString('hex')}`;
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

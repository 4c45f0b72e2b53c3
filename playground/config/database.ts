// SQLite by default; PostgreSQL or MySQL/MariaDB when DATABASE_CLIENT says so.
import path from 'path';

export default ({ env }: { env: any }) => {
  const client = env('DATABASE_CLIENT', 'sqlite');

  const connections: Record<string, unknown> = {
    sqlite: {
      connection: {
        filename: path.resolve(__dirname, '..', '..', env('DATABASE_FILENAME', '.tmp/data.db')),
      },
      useNullAsDefault: true,
      // Write-ahead logging: a commit appends to the WAL instead of rewriting and syncing the database file and a
      // rollback journal, so group-committed tracking writes cost microseconds instead of milliseconds (better-sqlite3
      // runs them on the event loop). synchronous=NORMAL is the setting SQLite recommends with WAL: an application
      // crash loses nothing committed; only a power loss may drop the last transactions.
      pool: {
        afterCreate: (connection: any, done: (error: Error | null, connection: any) => void) => {
          if (env.bool('DATABASE_SQLITE_WAL', true)) {
            connection.pragma('journal_mode = WAL');
            connection.pragma('synchronous = NORMAL');
          }
          done(null, connection);
        },
      },
    },
    postgres: {
      connection: {
        host: env('DATABASE_HOST', '127.0.0.1'),
        port: env.int('DATABASE_PORT', 5432),
        database: env('DATABASE_NAME', 'campaigns'),
        user: env('DATABASE_USERNAME', 'postgres'),
        password: env('DATABASE_PASSWORD', ''),
        schema: env('DATABASE_SCHEMA', 'public'),
      },
      pool: { min: env.int('DATABASE_POOL_MIN', 2), max: env.int('DATABASE_POOL_MAX', 10) },
    },
    mysql: {
      connection: {
        host: env('DATABASE_HOST', '127.0.0.1'),
        port: env.int('DATABASE_PORT', 3306),
        database: env('DATABASE_NAME', 'campaigns'),
        user: env('DATABASE_USERNAME', 'root'),
        password: env('DATABASE_PASSWORD', ''),
      },
      pool: { min: env.int('DATABASE_POOL_MIN', 2), max: env.int('DATABASE_POOL_MAX', 10) },
    },
  };

  return {
    connection: {
      client,
      ...(connections[client] as object),
      acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 60000),
    },
  };
};

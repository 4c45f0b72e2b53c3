// What the plugin uses of better-sqlite3 (the driver of Strapi's SQLite connection), reached through Knex's pool for
// the hot writes that skip Knex (sending/store.ts, tracking/tracker-store.ts).
export interface SqliteStatement {
  run(...parameters: unknown[]): unknown;
  all(...parameters: unknown[]): unknown[];
  /** Rows as arrays of values in column order: no object built, no column name interned per row. */
  raw(toggle: boolean): SqliteStatement;
}

export interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  transaction(work: () => void): () => void;
}

export interface SqlitePool {
  acquireConnection(): Promise<SqliteConnection>;
  releaseConnection(connection: SqliteConnection): Promise<void>;
}

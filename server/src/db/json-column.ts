// A JSON column as the drivers return it: text on SQLite and MariaDB, already parsed on PostgreSQL.

/** The object a JSON column holds, or null (empty, not an object, or text that is not JSON). */
export const jsonObjectColumn = (value: unknown): Record<string, unknown> | null => {
  if (value == null) return null;
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(value);
      return parsed && typeof parsed === 'object' ? parsed : null;
    } catch {
      return null;
    }
  }
  return typeof value === 'object' ? (value as Record<string, unknown>) : null;
};

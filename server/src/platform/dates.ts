// Datetimes as knex returns them: Date (PostgreSQL, MariaDB), epoch milliseconds (SQLite), or text.

export const toDate = (value: unknown): Date | null => {
  if (value == null || value === '') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const date =
    typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))
      ? new Date(Number(value))
      : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
};

export const toIso = (value: unknown): string | null => toDate(value)?.toISOString() ?? null;

// Lists cut into pieces a single statement can take: every database caps the parameters one statement may bind
// (SQLite 32,766, PostgreSQL 65,535, MariaDB 65,535), and a long IN (...) list is slow to plan.
export const CHUNK_SIZE = 500;

export const chunked = <T>(items: readonly T[], size = CHUNK_SIZE): T[][] => {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
};

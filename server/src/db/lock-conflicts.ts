// Errors that say a transaction lost a lock conflict and is worth running again: deadlocks, serialization failures,
// lock timeouts, a busy SQLite file.
const CODES = ['40P01', '40001', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY'];

export const isLockConflict = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && CODES.includes(code);
};

/** Runs `transaction` again (at most `attempts` times in all) when it lost a lock conflict. */
export const retryLockConflicts = async <T>(transaction: () => Promise<T>, attempts = 3): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= attempts || !isLockConflict(error)) throw error;
    }
  }
};

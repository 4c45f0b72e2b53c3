// How a log line or an answer names something caught: its message when it has one (an Error, a driver's error
// object), else the value itself.
export const reasonOf = (error: unknown): unknown =>
  (error as { message?: unknown } | null | undefined)?.message ?? error;

// Values read and written by dotted path (`sender.email`, `parts.style.width`, `links.0.url`), without changing the
// object given: each level on the way is copied, a list staying a list.
type Values = Record<string, unknown>;

export const getAt = (object: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value == null ? undefined : (value as Values)[key]), object);

export const setAt = <T>(object: T, path: string, value: unknown): T => {
  const [head, ...rest] = path.split('.');
  const current = (object ?? {}) as Values;
  const next = rest.length ? setAt(current[head] ?? {}, rest.join('.'), value) : value;
  if (Array.isArray(current)) {
    const copy = [...current];
    copy[Number(head)] = next;
    return copy as T;
  }
  return { ...current, [head]: next } as T;
};

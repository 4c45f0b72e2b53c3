// A list's filters, search and page kept in the URL's query string, so a reload or Back keeps them and a link shares
// them. Empty values and page 1 stay out of the URL. One update per change: react-router's setSearchParams reads the
// URL of the moment, so two updates in a row would lose the first.
import { useSearchParams } from 'react-router-dom';

export const useUrlFilters = <Name extends string>(names: readonly Name[], prefix = '') => {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(names.map((name) => [name, params.get(prefix + name) ?? ''])) as Record<
    Name,
    string
  >;
  const page = Math.max(1, Math.floor(Number(params.get(`${prefix}page`))) || 1);

  const update = (changes: Record<string, string | number>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries(changes)) {
          if (value === '' || (name === 'page' && value === 1)) next.delete(prefix + name);
          else next.set(prefix + name, String(value));
        }
        return next;
      },
      { replace: true },
    );

  return {
    filters,
    page,
    setPage: (value: number) => update({ page: value }),
    /** A new filter value starts again from the first page. */
    setFilter: (name: Name) => (value: string) => update({ [name]: value, page: 1 }),
  };
};

// The shape of a report's answer: keys and labels of the dimension values found (names of deliveries, lists and
// links read once per dimension), and the rows in the order asked.
import type { Core } from '@strapi/strapi';
import type { DimensionValue, ReportDimension, ReportMetric, ReportRow } from '../../../shared/contracts/reports';
import { UID } from '../../../shared/constants';
import { entryOfKey } from '../../../shared/entries';
import { chunked } from '../db/chunks';
import { getService } from '../platform/get-service';
import { isTimeDimension } from './report-metrics';
import { timeBucket } from './report-time';

const humanise = (value: string) => {
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The titles of the entries named in one dimension, read through their newsletter shapes (published or not). */
const entryTitles = async (strapi: Core.Strapi, rows: Array<{ values: unknown[] }>, index: number) => {
  const keys = [...new Set(rows.map((row) => row.values[index]).filter((v): v is string => typeof v === 'string'))];
  const titles = new Map<string, string>();
  const entries = getService(strapi, 'entries');
  for (const key of keys) {
    const ref = entryOfKey(key);
    if (!ref) continue;
    const title = await entries.titleOf(ref.contentType, ref.documentId);
    titles.set(key, title ?? `${ref.documentId} (deleted)`);
  }
  return titles;
};

/** Keys and labels of the dimension values found, with one read per id dimension. */
export const labeller = async (
  strapi: Core.Strapi,
  dimensions: ReportDimension[],
  rows: Array<{ values: unknown[] }>,
) => {
  const idsOf = (index: number) => [
    ...new Set(
      rows
        .map((row) => row.values[index])
        .filter((v) => v !== null)
        .map(Number),
    ),
  ];
  const lookups = new Map<number, Map<number, DimensionValue>>();
  const entryLabels = new Map<number, Map<string, string>>();
  await Promise.all(
    dimensions.map(async (dimension, index) => {
      if (dimension === 'entry') {
        entryLabels.set(index, await entryTitles(strapi, rows, index));
        return;
      }
      if (dimension !== 'delivery' && dimension !== 'list' && dimension !== 'link') return;
      const ids = idsOf(index);
      const found = new Map<number, DimensionValue>();
      for (const chunk of chunked(ids)) {
        if (dimension === 'link') {
          const rows = await strapi.db
            .query(UID.trackedLink)
            .findMany({ where: { id: { $in: chunk } }, select: ['id', 'url', 'label'] });
          for (const row of rows) {
            const label = row.label && row.label !== row.url ? `${row.label} (${row.url})` : String(row.url);
            found.set(Number(row.id), { key: String(row.id), label });
          }
        } else {
          const uid = dimension === 'delivery' ? UID.delivery : UID.list;
          const rows = await strapi.db
            .query(uid)
            .findMany({ where: { id: { $in: chunk } }, select: ['id', 'documentId', 'name'] });
          for (const row of rows) found.set(Number(row.id), { key: String(row.documentId), label: String(row.name) });
        }
      }
      lookups.set(index, found);
    }),
  );
  return (dimension: ReportDimension, index: number, value: unknown): DimensionValue => {
    if (isTimeDimension(dimension))
      return value === null ? { key: '', label: 'No date' } : timeBucket(dimension, value);
    if (value === null || value === '') {
      if (dimension === 'list') return { key: '', label: 'No list' };
      if (dimension === 'link') return { key: '', label: 'No link' };
      if (dimension === 'entry') return { key: '', label: 'Not from an entry' };
      if (dimension === 'failureReason') return { key: '', label: 'None' };
      return { key: '', label: 'Unknown' };
    }
    if (dimension === 'entry')
      return { key: String(value), label: entryLabels.get(index)?.get(String(value)) ?? String(value) };
    const lookup = lookups.get(index);
    if (lookup) return lookup.get(Number(value)) ?? { key: String(value), label: `Deleted (${String(value)})` };
    if (dimension === 'failureReason' || dimension === 'eventType' || dimension === 'device')
      return { key: String(value), label: humanise(String(value)) };
    return { key: String(value), label: String(value) };
  };
};

export const sortRows = (rows: ReportRow[], dimensions: ReportDimension[], sort: string | undefined) => {
  const byDimensions = (a: ReportRow, b: ReportRow) => {
    for (let i = 0; i < dimensions.length; i += 1) {
      // Time keys sort in time order; other dimensions read best in label order.
      const field = isTimeDimension(dimensions[i]) ? 'key' : 'label';
      const order = a.dimensions[i][field].localeCompare(b.dimensions[i][field], 'en', { numeric: true });
      if (order) return order;
    }
    return 0;
  };
  if (!sort) return rows.sort(byDimensions);
  const descending = sort.startsWith('-');
  const id = sort.replace(/^-/, '');
  const dimensionIndex = dimensions.indexOf(id as ReportDimension);
  return rows.sort((a, b) => {
    let order: number;
    if (dimensionIndex >= 0) {
      const field = isTimeDimension(dimensions[dimensionIndex]) ? 'key' : 'label';
      order = a.dimensions[dimensionIndex][field].localeCompare(b.dimensions[dimensionIndex][field], 'en', {
        numeric: true,
      });
    } else {
      order = (a.metrics[id as ReportMetric] ?? 0) - (b.metrics[id as ReportMetric] ?? 0);
    }
    return (descending ? -order : order) || byDimensions(a, b);
  });
};

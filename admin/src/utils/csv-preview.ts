// The first records of a CSV file, read in the browser for the import's mapping step and preview: only the start of
// the file is read; the import itself (server/src/audience/csv-lines.ts) reads the whole file on the server.

const PREVIEW_BYTES = 256 * 1024;

/** Records of RFC 4180 text: fields split on commas, quotes doubled inside quoted fields, CRLF or LF lines. */
export const csvRecords = (text: string, limit: number): string[][] => {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length && records.length < limit; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      if (record.some((value) => value !== '')) records.push(record);
      record = [];
      field = '';
    } else field += char;
  }
  if (records.length < limit && (field || record.length)) records.push([...record, field]);
  return records;
};

/** The header and up to `rows` records after it. */
export const previewCsv = async (file: Blob, rows: number) => {
  const text = (await file.slice(0, PREVIEW_BYTES).text()).replace(/^\uFEFF/, '');
  const [header = [], ...records] = csvRecords(text, rows + 1);
  return { header, rows: records };
};

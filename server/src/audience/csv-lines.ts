// Reads an uploaded CSV (RFC 4180 fields, comma-separated) as one record per line: a quote must close on the line
// where it opens, so a stray quote costs its own line, never the lines after it, and every problem is reported at
// the line where it is. csv-parse lets an unclosed quote swallow the rest of the file and, after a record that is
// too long, drops the next one silently: the import needs neither.

export type CsvLine = { line: number; fields: string[] } | { line: number; problem: string };

/** The fields of one line, or why it cannot be read. Spaces around a quoted field are allowed. */
export const splitCsvLine = (text: string, line: number): CsvLine => {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    const quote = /^[ \t]*"/.exec(text.slice(at, at + 64));
    if (!quote) {
      const comma = text.indexOf(',', at);
      const value = text.slice(at, comma === -1 ? text.length : comma);
      if (value.includes('"')) {
        return {
          line,
          problem: `the quote at character ${at + value.indexOf('"') + 1} is inside a value that does not start with a quote (quote the value and write the quote as "")`,
        };
      }
      fields.push(value);
      if (comma === -1) return { line, fields };
      at = comma + 1;
      continue;
    }
    const opening = at + quote[0].length - 1;
    let value = '';
    let from = opening + 1;
    for (;;) {
      const close = text.indexOf('"', from);
      if (close === -1) {
        return {
          line,
          problem: `the quote at character ${opening + 1} is not closed on this line (one line holds one contact: a value cannot span lines)`,
        };
      }
      value += text.slice(from, close);
      if (text[close + 1] !== '"') {
        at = close + 1;
        break;
      }
      value += '"';
      from = close + 2;
    }
    fields.push(value);
    while (text[at] === ' ' || text[at] === '\t') at += 1;
    if (at === text.length) return { line, fields };
    if (text[at] !== ',') {
      return {
        line,
        problem: `the quoted value ending at character ${at} is followed by "${text[at]}" instead of a comma (a quote inside a value is written "")`,
      };
    }
    at += 1;
  }
};

/**
 * The lines of a text read in chunks (ending in \n, \r\n or \r), numbered from 1. Blank lines are counted but not
 * returned. A line longer than maxChars is reported as a problem and the rest of it is skipped, not kept in memory.
 */
export async function* csvLines(chunks: AsyncIterable<string>, maxChars: number): AsyncGenerator<CsvLine> {
  let line = 1;
  let current = '';
  let tooLong = false;
  let afterCarriageReturn = false;

  const append = (piece: string) => {
    if (tooLong) return;
    if (current.length + piece.length > maxChars) {
      tooLong = true;
      current = '';
    } else {
      current += piece;
    }
  };
  const finish = (): CsvLine | null => {
    const read: CsvLine | null = tooLong
      ? { line, problem: `the line is longer than ${maxChars.toLocaleString('en')} characters` }
      : current.trim()
        ? splitCsvLine(current, line)
        : null;
    current = '';
    tooLong = false;
    return read;
  };

  const lineEnd = /\r\n|\r|\n/g;
  for await (const chunk of chunks) {
    let from = afterCarriageReturn && chunk[0] === '\n' ? 1 : 0;
    afterCarriageReturn = false;
    lineEnd.lastIndex = from;
    for (let match = lineEnd.exec(chunk); match; match = lineEnd.exec(chunk)) {
      append(chunk.slice(from, match.index));
      const read = finish();
      if (read) yield read;
      line += 1;
      from = match.index + match[0].length;
      // A \r\n split between two chunks is one line end.
      if (match[0] === '\r' && from === chunk.length) afterCarriageReturn = true;
    }
    append(chunk.slice(from));
  }
  const last = finish();
  if (last) yield last;
}

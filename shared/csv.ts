// CSV lines for exports (RFC 4180), safe to open in a spreadsheet.

/** One field; a text starting with = + - @ is neutralised so a spreadsheet never runs it as a formula. */
export const csvField = (value: unknown): string => {
  if (value == null) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const csvLine = (values: unknown[]): string => `${values.map(csvField).join(',')}\r\n`;

/** A file name made of the delivery's name: letters, digits, - and _ only. */
export const csvFilename = (name: unknown, suffix: string): string =>
  `${
    String(name ?? '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .slice(0, 60) || 'delivery'
  }-${suffix}.csv`;

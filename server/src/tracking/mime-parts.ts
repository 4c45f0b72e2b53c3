// A message's MIME tree, as far as reading a bounce needs: each part's headers, content type and decoded body.
// Not mailparser here: it folds a message/delivery-status part into the message's text, where its fields can no
// longer be told from the human-readable explanation before them (tracking/dsn-report.ts needs them apart).

export interface MimePart {
  /** Header names in lower case, each with its values unfolded, in order. */
  headers: Map<string, string[]>;
  /** Lower case, without parameters; text/plain when the part names none (RFC 2045 5.2). */
  contentType: string;
  params: Record<string, string>;
  /** The body, transfer decoding undone; a multipart's is its preamble and parts together. */
  body: Buffer;
  /** A multipart's parts, or the one message inside a message/rfc822 part. */
  parts: MimePart[];
}

/** Guards against a message built to make the reader work forever. */
const MAX_DEPTH = 8;
const MAX_PARTS = 200;

/** "a: 1\n b" unfolded into Map { a: ['1 b'] }; lines that are not fields are skipped. */
export const parseFields = (block: string): Map<string, string[]> => {
  const fields = new Map<string, string[]>();
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const match = line.match(/^([!-9;-~]+)[ \t]*:[ \t]*(.*)$/);
    if (!match) continue;
    const name = match[1].toLowerCase();
    fields.set(name, [...(fields.get(name) ?? []), match[2].trim()]);
  }
  return fields;
};

/** The first value of a header or field, or null. */
export const firstField = (fields: Map<string, string[]>, name: string): string | null =>
  fields.get(name.toLowerCase())?.[0] ?? null;

const parseContentType = (value: string | null): { contentType: string; params: Record<string, string> } => {
  const [type, ...rest] = (value ?? '').split(';');
  const params: Record<string, string> = {};
  const paramText = rest.join(';');
  for (const match of paramText.matchAll(/([^=\s;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]+)/g)) {
    const raw = match[2];
    params[match[1].toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  }
  const contentType = type.trim().toLowerCase();
  return { contentType: /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(contentType) ? contentType : 'text/plain', params };
};

const decodeQuotedPrintable = (text: string): Buffer =>
  Buffer.from(
    text
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );

const decodeBody = (body: string, encoding: string | null): Buffer => {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    default:
      return Buffer.from(body, 'latin1');
  }
};

/** Header block and body of a raw message: the body starts after the first empty line (none: headers only). */
const splitHead = (raw: string): { head: string; body: string } => {
  const match = raw.match(/\r?\n\r?\n/);
  if (!match || match.index === undefined) return { head: raw, body: '' };
  return { head: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) };
};

/** The parts between `--boundary` lines, up to the closing `--boundary--` (RFC 2046 5.1.1). */
const splitMultipart = (body: string, boundary: string): string[] => {
  const lines = body.split(/\r?\n/);
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === `--${boundary}--`) break;
    if (trimmed === `--${boundary}`) {
      if (current) parts.push(current.join('\n'));
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (current) parts.push(current.join('\n'));
  return parts;
};

const parsePart = (raw: string, depth: number, budget: { parts: number }): MimePart => {
  const { head, body } = splitHead(raw);
  const headers = parseFields(head);
  const { contentType, params } = parseContentType(firstField(headers, 'content-type'));
  const part: MimePart = { headers, contentType, params, body: Buffer.alloc(0), parts: [] };
  const nested = depth < MAX_DEPTH && budget.parts < MAX_PARTS;
  if (contentType.startsWith('multipart/') && params.boundary && nested) {
    part.body = Buffer.from(body, 'latin1');
    for (const child of splitMultipart(body, params.boundary)) {
      if (budget.parts >= MAX_PARTS) break;
      budget.parts += 1;
      part.parts.push(parsePart(child, depth + 1, budget));
    }
    return part;
  }
  part.body = decodeBody(body, firstField(headers, 'content-transfer-encoding'));
  if ((contentType === 'message/rfc822' || contentType === 'message/global') && nested) {
    budget.parts += 1;
    part.parts.push(parsePart(part.body.toString('latin1'), depth + 1, budget));
  }
  return part;
};

/** The MIME tree of a raw message (bytes kept as latin1 so that offsets stay bytes). */
export const parseMime = (raw: Buffer | string): MimePart =>
  parsePart(typeof raw === 'string' ? raw : raw.toString('latin1'), 0, { parts: 0 });

/** Every part of the tree, depth first, the root included. */
export const allParts = (root: MimePart): MimePart[] => [root, ...root.parts.flatMap(allParts)];

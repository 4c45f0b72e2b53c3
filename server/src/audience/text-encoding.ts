// Turns the bytes of an uploaded text file into text: the encoding comes from a byte order mark, else from the
// uploader, else UTF-8, checked before anything is read so that a Latin-1 file never becomes replacement characters.
import fs from 'fs';
import { isUtf8 } from 'buffer';

/** The encodings an uploader may name. latin1 and iso-8859-1 are read as windows-1252, their printable superset. */
export const TEXT_ENCODINGS = ['utf-8', 'latin1', 'iso-8859-1', 'windows-1252'] as const;
export type TextEncodingName = (typeof TEXT_ENCODINGS)[number];

const BOMS: Array<{ bytes: number[]; encoding: string }> = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

const readStart = async (filePath: string): Promise<Buffer> => {
  const handle = await fs.promises.open(filePath, 'r');
  try {
    const start = Buffer.alloc(4);
    const { bytesRead } = await handle.read(start, 0, 4, 0);
    return start.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
};

/** The encoding to read the file with: its byte order mark wins over the uploader's word; UTF-8 by default. */
export const chooseEncoding = async (filePath: string, given: TextEncodingName | undefined): Promise<string> => {
  const start = await readStart(filePath);
  const bom = BOMS.find((b) => b.bytes.every((byte, i) => start[i] === byte));
  return bom ? bom.encoding : new TextDecoder(given ?? 'utf-8').encoding;
};

const NEWLINE = 0x0a;
const countNewlines = (bytes: Buffer) => {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) count += 1;
  return count;
};

/** Where a byte can be cut without splitting a UTF-8 character: before the last byte that starts one. */
const safeCut = (bytes: Buffer) => {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 4); i -= 1) {
    if ((bytes[i] & 0xc0) !== 0x80) return i;
  }
  return bytes.length;
};

/**
 * The first line (1-based) holding bytes that are not UTF-8, or null when the whole file is UTF-8. Streamed: memory
 * stays at one read chunk whatever the length of the lines. A newline byte never occurs inside a UTF-8 character,
 * so a failing piece is split at newlines to find the line.
 */
export const firstNonUtf8Line = async (filePath: string): Promise<number | null> => {
  let linesBefore = 0;
  let carry = Buffer.alloc(0);
  const check = (piece: Buffer): number | null => {
    if (isUtf8(piece)) {
      linesBefore += countNewlines(piece);
      return null;
    }
    let line = linesBefore + 1;
    let from = 0;
    for (;;) {
      const end = piece.indexOf(NEWLINE, from);
      if (end === -1 || !isUtf8(piece.subarray(from, end))) return line;
      from = end + 1;
      line += 1;
    }
  };
  for await (const chunk of fs.createReadStream(filePath)) {
    const bytes = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const cut = safeCut(bytes);
    const bad = check(bytes.subarray(0, cut));
    if (bad !== null) return bad;
    carry = Buffer.from(bytes.subarray(cut));
  }
  return check(carry);
};

/** The file's text, chunk by chunk; the decoder drops a byte order mark of its encoding. */
export async function* decodedChunks(stream: AsyncIterable<Buffer>, encoding: string): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of stream) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

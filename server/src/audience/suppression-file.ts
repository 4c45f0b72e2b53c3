// The addresses of a suppression list file: a CSV with an `email` column (other columns ignored), or one address per
// line without a header, as other tools export their lists. Each line that is not an address is rejected with its
// number; nothing is written here.
import fs from 'fs';
import { errors } from '@strapi/utils';
import { csvLines } from './csv-lines';
import { chooseEncoding, decodedChunks } from './text-encoding';
import { emailProblem } from '../platform/email-address';

const MAX_LINE_CHARS = 10_000;
/** A file holds at most this many addresses; a longer list is split. */
export const MAX_FILE_ADDRESSES = 500_000;

export interface SuppressionFile {
  emails: string[];
  rejected: Array<{ line: number; problem: string }>;
}

export const readSuppressionFile = async (filePath: string): Promise<SuppressionFile> => {
  const encoding = await chooseEncoding(filePath, undefined);
  const emails: string[] = [];
  const rejected: SuppressionFile['rejected'] = [];
  let column: number | null = null;
  for await (const entry of csvLines(decodedChunks(fs.createReadStream(filePath), encoding), MAX_LINE_CHARS)) {
    if ('problem' in entry) {
      rejected.push({ line: entry.line, problem: entry.problem });
      continue;
    }
    if (column === null) {
      const header = entry.fields.findIndex((field) => field.trim().toLowerCase() === 'email');
      column = header >= 0 ? header : 0;
      // No `email` header: the first line is an address like the others.
      if (header >= 0) continue;
    }
    const value = (entry.fields[column] ?? '').trim();
    const problem = value ? emailProblem(value) : 'no address on this line';
    if (problem) rejected.push({ line: entry.line, problem });
    else if (emails.length >= MAX_FILE_ADDRESSES)
      throw new errors.ValidationError(
        `The file holds more than ${MAX_FILE_ADDRESSES.toLocaleString('en')} addresses: split it. Nothing was saved.`,
      );
    else emails.push(value);
  }
  return { emails, rejected };
};

// Strapi document ids for rows the plugin inserts in bulk through knex (the Document Service would make one per call).
import { randomBytes } from 'crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 24 lowercase letters and digits, starting with a letter, like Strapi's own. */
export const createDocumentId = (): string => {
  const bytes = randomBytes(24);
  let id = ALPHABET[bytes[0] % 26];
  for (let i = 1; i < 24; i += 1) id += ALPHABET[bytes[i] % 36];
  return id;
};

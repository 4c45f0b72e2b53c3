// Document ids for rows the plugin inserts in bulk (platform/document-id.ts): Strapi's shape, creation order, and
// random tails that stay random across the refills of the random-byte pool they are drawn from.
import { createDocumentId, createSequentialDocumentId } from '../../server/src/platform/document-id';

const SHAPE = /^[a-z][a-z0-9]{23}$/;

describe('document ids', () => {
  it('have the shape of Strapi document ids', () => {
    expect(createDocumentId()).toMatch(SHAPE);
    expect(createSequentialDocumentId()).toMatch(SHAPE);
  });

  it('follow creation order, with no random tail drawn twice over many pool refills', () => {
    // 5,000 ids take 50,000 random bytes: a dozen refills of the 4 KB pool.
    const ids = Array.from({ length: 5_000 }, () => createSequentialDocumentId());
    expect(ids.every((id) => SHAPE.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids.map((id) => id.slice(14))).size).toBe(ids.length);
    // Every character of the alphabet turns up in the tails: the bytes are used, not zeros or a repeated block.
    expect(new Set(ids.map((id) => id.slice(14)).join('')).size).toBe(36);
  });
});

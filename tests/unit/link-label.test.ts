import { linkLabel } from '../../server/src/tracking/link-label';

describe('linkLabel', () => {
  it("is the anchor's text, or null when the composer stored the URL for want of one", () => {
    expect(linkLabel('See the offer', 'https://shop.example/offer')).toBe('See the offer');
    expect(linkLabel('https://shop.example/offer', 'https://shop.example/offer')).toBeNull();
    expect(linkLabel('', 'https://shop.example/offer')).toBeNull();
    expect(linkLabel(null, 'https://shop.example/offer')).toBeNull();
  });
});

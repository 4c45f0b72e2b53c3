// Values read and written by dotted path in the admin's form kit (admin/src/components/form/paths.ts).
import { getAt, setAt } from '../../admin/src/components/form/paths';

describe('form paths', () => {
  const block = {
    type: 'social',
    links: [
      { network: 'web', url: 'https://a.test' },
      { network: 'x', url: '' },
    ],
  };

  it('reads a nested value, a list item included', () => {
    expect(getAt(block, 'links.1.network')).toBe('x');
    expect(getAt(block, 'links.5.url')).toBeUndefined();
  });

  it('writes a nested value into copies, a list staying a list', () => {
    const changed = setAt(block, 'links.1.url', 'https://b.test');
    expect(Array.isArray(changed.links)).toBe(true);
    expect(changed.links).toEqual([
      { network: 'web', url: 'https://a.test' },
      { network: 'x', url: 'https://b.test' },
    ]);
    expect(block.links[1].url).toBe('');
    expect(changed.links[0]).toBe(block.links[0]);
  });

  it('creates the objects on the way to a path that does not exist yet', () => {
    expect(setAt({}, 'sender.email', 'a@b.test')).toEqual({ sender: { email: 'a@b.test' } });
  });
});

import fs from 'fs';
import os from 'os';
import path from 'path';
import { chooseEncoding, firstNonUtf8Line } from '../../server/src/audience/text-encoding';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-encoding-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, bytes: Buffer) => {
  const target = path.join(tmp, name);
  fs.writeFileSync(target, bytes);
  return target;
};

describe('the encoding of an uploaded file', () => {
  it('takes a byte order mark over the given encoding, else the given one, else UTF-8', async () => {
    const plain = file('plain.csv', Buffer.from('email\n'));
    expect(await chooseEncoding(plain, undefined)).toBe('utf-8');
    expect(await chooseEncoding(plain, 'latin1')).toBe('windows-1252');
    expect(await chooseEncoding(file('bom8.csv', Buffer.from('\ufeffemail\n')), 'latin1')).toBe('utf-8');
    expect(await chooseEncoding(file('le.csv', Buffer.from('\ufeffemail\n', 'utf16le')), undefined)).toBe('utf-16le');
    expect(await chooseEncoding(file('be.csv', Buffer.from('\ufeffemail\n', 'utf16le').swap16()), undefined)).toBe(
      'utf-16be',
    );
  });

  it('finds the first line that is not UTF-8, also far into the file and with characters cut between read chunks', async () => {
    const good = 'é€😀,'.repeat(30_000);
    expect(await firstNonUtf8Line(file('good.csv', Buffer.from(`email\n${good}\n${good}\n`)))).toBeNull();
    const bad = Buffer.concat([
      Buffer.from(`email\n${good}\n${good}\nzoe@x.io,Zo`),
      Buffer.from([0xe9]),
      Buffer.from('\nann@x.io\n'),
    ]);
    expect(await firstNonUtf8Line(file('bad.csv', bad))).toBe(4);
    expect(await firstNonUtf8Line(file('end.csv', Buffer.from([0x61, 0x0a, 0xc3])))).toBe(2);
  });
});

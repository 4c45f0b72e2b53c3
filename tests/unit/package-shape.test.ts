// What `npm publish` would ship: the built plugin, its two entry files, README and LICENSE, and nothing of the repository's
// tests, playground, benchmarks or databases. Needs `npm run build` first (`npm test` builds before the unit tests).
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

const packedFiles = (): string[] => {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
  });
  return JSON.parse(output)[0].files.map((file: { path: string }) => file.path);
};

describe('the packed tarball', () => {
  let files: string[] = [];

  beforeAll(() => {
    if (!fs.existsSync(path.join(root, 'dist')))
      throw new Error('dist/ is missing: run `npm run build` before this test');
    files = packedFiles();
  });

  it('holds README, LICENSE, package.json and the two entry files', () => {
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'strapi-server.ts', 'strapi-admin.ts']),
    );
  });

  it('holds every file the exports point to', () => {
    const targets = Object.values(manifest.exports as Record<string, string | Record<string, string>>).flatMap(
      (target) => (typeof target === 'string' ? [target] : Object.values(target)),
    );
    expect(targets).toContain('./dist/server/index.js');
    expect(targets).toContain('./dist/admin/index.mjs');
    expect(files).toEqual(expect.arrayContaining(targets.map((target) => path.posix.normalize(target))));
  });

  it('holds nothing but dist/ beside those files', () => {
    const topLevel = ['README.md', 'LICENSE', 'package.json', 'strapi-server.ts', 'strapi-admin.ts'];
    expect(files.filter((file) => !file.startsWith('dist/') && !topLevel.includes(file))).toEqual([]);
  });

  it('has a server bundle that Node loads both ways the exports offer it: required, and imported as an ES module', () => {
    // In a child process of its own: jest's module system is neither. Each prints the type of the plugin's register.
    const load = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
    const required = load([
      '-e',
      "const m = require('./dist/server/index.js'); console.log(typeof (m.default ?? m).register)",
    ]);
    const imported = load([
      '--input-type=module',
      '-e',
      "const { default: m } = await import('./dist/server/index.mjs'); console.log(typeof m.register)",
    ]);
    expect({ required, imported }).toEqual({ required: 'function', imported: 'function' });
  });

  it('holds no tests, playground, benchmarks, databases or secrets', () => {
    const unwanted = /(^|\/)(tests?|playground|bench|node_modules|\.tmp)\/|\.(db|sqlite|sqlite3)$|(^|\/)\.env/;
    expect(files.filter((file) => unwanted.test(file))).toEqual([]);
  });
});

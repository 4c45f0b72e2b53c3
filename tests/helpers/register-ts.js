// A require hook that compiles the plugin's TypeScript with @swc/core, for Strapi processes that tests spawn and the
// Strapi that a Jest worker loads through its own require (tests/helpers/strapi-environment.js).
const fs = require('fs');
const { transformSync } = require('@swc/core');

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const { code } = transformSync(source, {
      filename,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    });
    module._compile(code, filename);
  };
}

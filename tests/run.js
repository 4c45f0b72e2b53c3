#!/usr/bin/env node
// `npm test`: unit and component tests once, then integration tests on every database named in CAMPAIGNS_TEST_DBS (default sqlite).
// Ends with one line "N passed, M failed" and a non-zero exit on any failure or unreachable database.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const artifacts = path.join(root, 'tests', '.artifacts');
const KNOWN = ['sqlite', 'postgres', 'mysql'];
const requested = (process.env.CAMPAIGNS_TEST_DBS || 'sqlite')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const extraArgs = process.argv.slice(2);

const unknown = requested.filter((db) => !KNOWN.includes(db));
if (unknown.length) {
  console.error(
    `CAMPAIGNS_TEST_DBS names unknown database(s): ${unknown.join(', ')}. Use a comma-separated list of ${KNOWN.join(', ')}.`,
  );
  process.exit(2);
}

const run = (command, args, env = {}) =>
  spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });

const checkDatabases = () => {
  const script = `
    require('${path.join(root, 'tests', 'helpers', 'register-ts.js').replace(/\\/g, '/')}');
    const { checkReachable } = require('${path.join(root, 'tests', 'helpers', 'databases.ts').replace(/\\/g, '/')}');
    (async () => {
      const problems = [];
      for (const db of ${JSON.stringify(requested)}) { const p = await checkReachable(db); if (p) problems.push(p); }
      if (problems.length) { console.error(problems.join('\\n')); process.exit(1); }
    })();`;
  return spawnSync(process.execPath, ['-e', script], { cwd: root, stdio: 'inherit' }).status === 0;
};

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

const jest = (label, args, env) => {
  const outputFile = path.join(artifacts, `${label}.json`);
  fs.rmSync(outputFile, { force: true });
  console.log(`\n=== ${label} ===`);
  const result = run(
    process.execPath,
    [require.resolve('jest/bin/jest'), ...args, '--json', `--outputFile=${outputFile}`, ...extraArgs],
    env,
  );
  if (!fs.existsSync(outputFile)) {
    totals.failed += 1;
    failures.push(`${label}: jest did not report (exit ${result.status})`);
    return;
  }
  const report = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  if (report.numFailedTests || report.numRuntimeErrorTestSuites || result.status !== 0) {
    failures.push(
      `${label}: ${report.numFailedTests} failed test(s), ${report.numRuntimeErrorTestSuites} suite(s) that could not run`,
    );
    if (!report.numFailedTests && !report.numRuntimeErrorTestSuites) totals.failed += 1;
  }
};

fs.mkdirSync(artifacts, { recursive: true });
if (!checkDatabases()) {
  console.error(
    '\nA database named in CAMPAIGNS_TEST_DBS is unreachable: start it, or leave it out of CAMPAIGNS_TEST_DBS.',
  );
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// The playground's config is read from its compiled form.
if (run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'playground/tsconfig.json']).status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// The package checks: types, the sdk-plugin build, and its verify.
const check = (label, command, args, cwd) => {
  console.log(`\n=== ${label} ===`);
  if (spawnSync(command, args, { cwd: cwd || root, stdio: 'inherit' }).status === 0) totals.passed += 1;
  else {
    totals.failed += 1;
    failures.push(`${label}`);
  }
};
// Lint (errors only: `npm run lint` also lists the warnings) and the format Prettier gives the code.
check('lint', 'npx', ['eslint', '.', '--quiet']);
check('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']);
check('typecheck', process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
check('typecheck admin', process.execPath, [
  require.resolve('typescript/bin/tsc'),
  '-p',
  'admin/tsconfig.json',
  '--noEmit',
]);
check('plugin build', 'npx', ['strapi-plugin', 'build']);
check('plugin verify', 'npx', ['strapi-plugin', 'verify']);

jest('unit', ['--selectProjects', 'unit']);
jest('component', ['--selectProjects', 'component']);
for (const db of requested) {
  jest(`integration-${db}`, ['--selectProjects', 'integration', '--maxWorkers=2'], { CAMPAIGNS_TEST_DB: db });
}
// Browser tests: the built playground admin in Debian's Chromium. Required in CI; elsewhere they need `apt-get install chromium`.
const hasChromium = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).status === 0;
if (hasChromium) {
  check('playground admin build', 'npx', ['strapi', 'build'], path.join(root, 'playground'));
  // Two at a time: a browser test waits on Chromium and the server most of its time (in band, its files used half a
  // core over 9 minutes); each has its own Strapi, database, ports and browser.
  jest('e2e', ['--selectProjects', 'e2e', '--maxWorkers=2'], {
    CAMPAIGNS_TEST_DB: 'sqlite',
    CAMPAIGNS_SCREENSHOTS_DIR: process.env.CAMPAIGNS_SCREENSHOTS_DIR || '',
  });
} else if (process.env.CI) {
  totals.failed += 1;
  failures.push('e2e: chromium is not installed (apt-get install -y chromium)');
} else {
  console.log('\n=== e2e === skipped: chromium is not installed (apt-get install -y chromium)');
  totals.skipped += 1;
}

console.log('');
failures.forEach((line) => console.log(`FAILED ${line}`));
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed ? 1 : 0);

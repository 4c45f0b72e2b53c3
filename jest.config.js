// Four projects: unit tests of pure logic, component tests of admin components in jsdom (React Testing Library),
// integration tests that boot the playground Strapi on a real database, and browser tests in Chromium.
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
const tsx = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const common = {
  transform: { '^.+\\.(t|j)s$': swc },
  testEnvironment: 'node',
  modulePathIgnorePatterns: [
    '<rootDir>/dist',
    '<rootDir>/playground/dist',
    '<rootDir>/playground/.strapi',
    '<rootDir>/.tmp',
  ],
  watchPathIgnorePatterns: ['<rootDir>/playground/.tmp'],
};
module.exports = {
  testTimeout: 120000,
  globalSetup: '<rootDir>/tests/helpers/test-run.js',
  globalTeardown: '<rootDir>/tests/helpers/test-run-end.js',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'component',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/tests/component/**/*.test.tsx'],
      transform: { '^.+\\.(t|j)sx?$': tsx },
    },
    {
      ...common,
      displayName: 'integration',
      testEnvironment: '<rootDir>/tests/helpers/strapi-environment.js',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testEnvironment: '<rootDir>/tests/helpers/strapi-environment.js',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.ts'],
    },
  ],
};

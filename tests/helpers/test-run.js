// Jest's global setup (tests/helpers/test-run-end.js is its teardown): names the run, for the template database each
// test file's database is copied from (tests/helpers/databases.ts). Workers inherit the variable.
module.exports = async () => {
  process.env.CAMPAIGNS_TEST_RUN = `${process.pid}_${Date.now().toString(36)}`;
};

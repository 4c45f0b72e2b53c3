// Jest's global teardown: drops the template databases of the run that tests/helpers/test-run.js named.
module.exports = async () => {
  const run = process.env.CAMPAIGNS_TEST_RUN;
  if (!run) return;
  require('./register-ts.js');
  await require('./databases.ts').dropTemplates(run);
};

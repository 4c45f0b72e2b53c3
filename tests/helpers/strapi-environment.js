// The Jest environment of the tests that boot Strapi (integration and browser tests): Node's, plus the worker
// process's own `require` and `process`. Jest gives every test file a fresh module registry, in which Strapi's
// thousands of modules would be loaded and compiled again for each file (about 4 of a boot's 5 seconds); loaded through
// the worker's `require` they are compiled once per worker and every later boot takes under a second
// (tests/helpers/strapi.ts).
const { TestEnvironment } = require('jest-environment-node');

class StrapiEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__campaignsWorker = { require, process };
    // Values the tests hand to Strapi must be of the worker's realm where it checks their class: Knex binds a date
    // only if it is an `instanceof Date` of its own realm.
    this.global.Date = Date;
    this.envAtStart = { ...process.env };
  }

  // The worker's environment outlives the file: what its apps set (tests/helpers/strapi.ts) is put back.
  async teardown() {
    for (const key of Object.keys(process.env)) if (!(key in this.envAtStart)) delete process.env[key];
    Object.assign(process.env, this.envAtStart);
    await super.teardown();
  }
}

module.exports = StrapiEnvironment;

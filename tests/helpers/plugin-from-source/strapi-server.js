// Strapi loads this with Node's own require (in a Strapi process the tests start, or a Jest worker's module cache:
// tests/helpers/strapi-environment.js): the .ts source is compiled by ../register-ts.js.
require('../register-ts');
module.exports = require('../../../server/src').default;

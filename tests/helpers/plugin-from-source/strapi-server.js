// Under Jest the .ts source goes through @swc/jest; in a child process through ../register-ts.js.
if (!process.env.JEST_WORKER_ID) require('../register-ts');
module.exports = require('../../../server/src').default;

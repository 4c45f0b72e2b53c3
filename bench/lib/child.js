// A measured run in its own process (fresh heap, its own peak RSS): it prints one "RESULT <json>" line on stdout.
'use strict';
const { spawn } = require('child_process');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `node --expose-gc <script> ...args` and resolves with its RESULT. */
const childResult = (script, args) =>
  new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', script, ...args.map(String)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, JEST_WORKER_ID: '' },
    });
    let out = '';
    proc.stdout.on('data', (chunk) => (out += chunk));
    proc.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line)
        return reject(new Error(`${path.basename(script)} ${args.join(' ')} exited with ${code}:\n${out}`));
      resolve(JSON.parse(line.slice(7)));
    });
  });

/** The child's side: runs `work` and prints its RESULT, or the error, then exits. */
const reportResult = (work) =>
  work()
    .then((result) => {
      process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
      process.exit(0);
    })
    .catch((error) => {
      process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
      process.exit(1);
    });

module.exports = { ROOT, childResult, reportResult };

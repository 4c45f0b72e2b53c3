// A measured run in its own process (fresh heap, its own peak RSS): it prints one "RESULT <json>" line on stdout.
// A server in its own process prints one "READY <json>" line once it listens (tests/helpers/tracking-server.js).
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

/**
 * Starts `node ...args` and resolves with the child and what it prints after "READY " (JSON), once that line is
 * whole: a large one (the seeded recipients) comes in several chunks. Rejects with its stderr if it exits first.
 * `spawned` gets the child at once, for a caller that kills its children when it exits.
 */
const startReady = (args, { cwd = ROOT, env = {}, ipc = false, stderr = 'pipe', spawned = () => {} } = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', stderr, ...(ipc ? ['ipc'] : [])],
    });
    spawned(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out
        .split('\n')
        .slice(0, -1)
        .find((l) => l.startsWith('READY '));
      if (line) resolve({ child, ready: JSON.parse(line.slice(6)) });
    });
    child.stderr?.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before it was ready:\n${err}`)));
  });

module.exports = { ROOT, childResult, reportResult, startReady };

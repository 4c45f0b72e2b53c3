#!/usr/bin/env node
// `npm run bench`: every benchmark in this folder, one after the other (each prints its own figures and ratios).
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const benches = fs
  .readdirSync(__dirname)
  .filter((file) => file.endsWith('.js') && !['run.js', 'readme-section.js'].includes(file))
  .sort();
if (!benches.length) {
  console.log('No benchmarks yet.');
  process.exit(0);
}
let failed = 0;
for (const file of benches) {
  console.log(`\n=== bench/${file} ===`);
  const result = spawnSync(process.execPath, [path.join(__dirname, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);

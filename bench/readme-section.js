// Each benchmark owns one section of bench/README.md, between an opening and a closing HTML comment, and rewrites
// only that section. BENCH_NO_README=1 prints the figures without touching the file.
const fs = require('fs');
const path = require('path');

const README = path.join(__dirname, 'README.md');
const HEADER = '# Benchmarks\n\nLatest figures of `npm run bench` (each benchmark rewrites its own section).\n';

/** Replaces the text from `start` to `end` (markers included) with `section`, or appends it. */
const writeSection = (start, end, section) => {
  if (process.env.BENCH_NO_README) return false;
  const current = fs.existsSync(README) ? fs.readFileSync(README, 'utf8') : HEADER;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + section + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(README, next);
  return true;
};

module.exports = { README, writeSection };

#!/usr/bin/env node
// `npm run demo`: builds the plugin and the playground admin, starts a local mail catcher and Strapi on SQLite,
// seeds an admin and contacts, and prints where to log in.
const { spawn, spawnSync } = require('child_process');
const path = require('path');
const { playEngagement } = require('./demo-engagement');

const root = path.resolve(__dirname, '..');
const playground = path.join(root, 'playground');
const PORT = process.env.PORT || '1337';
const SMTP_PORT = process.env.MAIL_CATCHER_SMTP_PORT || '1025';
const MAIL_PORT = process.env.MAIL_CATCHER_HTTP_PORT || '1080';
// The demo's bounce webhook secret (development only).
const WEBHOOK_SECRET = 'demo-webhook-secret';

const step = (label, command, args, cwd = root) => {
  console.log(`\n> ${label}`);
  const result = spawnSync(command, args, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' },
  });
  if (result.status !== 0) {
    console.error(`\n${label} failed (exit ${result.status}).`);
    process.exit(result.status || 1);
  }
};

step('Building the plugin', 'npx', ['strapi-plugin', 'build']);
if (!process.argv.includes('--skip-admin-build'))
  step('Building the playground admin (about a minute)', 'npx', ['strapi', 'build'], playground);

const children = [];
const start = (command, args, options) => {
  const child = spawn(command, args, { stdio: 'inherit', ...options });
  children.push(child);
  child.on('exit', (code) => {
    console.log(`${path.basename(args[0] || command)} exited (${code}); stopping the demo.`);
    stopAll(code || 0);
  });
  return child;
};
const stopAll = (code) => {
  children.forEach((child) => child.exitCode === null && child.kill('SIGTERM'));
  setTimeout(() => process.exit(code), 500);
};
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

start(process.execPath, [path.join(__dirname, 'mail-catcher.js')], {
  env: { ...process.env, MAIL_CATCHER_SMTP_PORT: SMTP_PORT, MAIL_CATCHER_HTTP_PORT: MAIL_PORT },
});
const strapi = start('npx', ['strapi', 'start'], {
  cwd: playground,
  env: {
    ...process.env,
    PORT,
    CAMPAIGNS_DEMO: '1',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT,
    PUBLIC_URL: process.env.PUBLIC_URL || `http://localhost:${PORT}`,
    CAMPAIGNS_CONFIG: JSON.stringify({ webhooks: { secret: WEBHOOK_SECRET } }),
  },
});

// Announce the login once Strapi answers.
const waitForStrapi = async () => {
  for (let i = 0; i < 240; i += 1) {
    try {
      const res = await fetch(`http://127.0.0.1:${PORT}/_health`);
      if (res.status === 204) {
        await engage();
        console.log(`\nCampaigns demo is ready:
  admin        http://localhost:${PORT}/admin  (log in as admin@campaigns.demo / Demo-Campaigns-1)
  mail catcher http://localhost:${MAIL_PORT}
Stop with Ctrl+C.\n`);
        return;
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error('Strapi did not answer within 2 minutes.');
};
/** On first start the sample delivery is in the mail catcher: play readers' reactions on it. */
const engage = async () => {
  const mailUrl = `http://127.0.0.1:${MAIL_PORT}`;
  // Wait until the sample delivery has finished arriving (the count holds still for a second).
  let seen = -1;
  for (let i = 0; i < 60; i += 1) {
    const count = (await (await fetch(`${mailUrl}/api/messages`)).json()).length;
    if (count > 0 && count === seen) break;
    seen = count;
    await new Promise((r) => setTimeout(r, 1000));
  }
  // Readers come after link scanners: clicks in the first seconds after sending are flagged as scanners.
  await new Promise((r) => setTimeout(r, 11_000));
  const done = await playEngagement({ mailUrl, strapiUrl: `http://127.0.0.1:${PORT}`, webhookSecret: WEBHOOK_SECRET });
  if (done.opens || done.clicks || done.bounces) {
    console.log(
      `[demo] played ${done.opens} opens, ${done.clicks} clicks and ${done.bounces} bounces on the sample delivery`,
    );
  }
};

if (strapi) waitForStrapi();

// Loads strapi-plugin-campaigns from this repository and points it at the SMTP server and public URL from the environment.
import fs from 'fs';
import path from 'path';

/** The repository root, found from wherever this file was compiled to (a relative `resolve` is ambiguous to Strapi). */
const findPluginRoot = (dir: string): string => {
  const manifest = path.join(dir, 'package.json');
  if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'strapi-plugin-campaigns')
    return dir;
  const parent = path.dirname(dir);
  if (parent === dir) throw new Error('strapi-plugin-campaigns not found above the playground');
  return findPluginRoot(parent);
};
/** Merges CAMPAIGNS_CONFIG (JSON) over the config below: how tests and the demo adjust the plugin without editing files. */
const deepMerge = (base: any, extra: any): any => {
  if (!extra || typeof extra !== 'object' || Array.isArray(extra)) return extra === undefined ? base : extra;
  const out: any = { ...(base ?? {}) };
  for (const [key, value] of Object.entries(extra)) out[key] = deepMerge(out[key], value);
  return out;
};

export default ({ env }: { env: any }) => ({
  'users-permissions': {
    config: { jwtSecret: env('JWT_SECRET', 'playground-users-permissions-jwt-secret') },
  },
  campaigns: {
    enabled: true,
    // Tests point CAMPAIGNS_PLUGIN_PATH at a stand-in that loads the TypeScript source.
    resolve: env('CAMPAIGNS_PLUGIN_PATH', '') || findPluginRoot(__dirname),
    config: deepMerge(
      {
        publicUrl: env('PUBLIC_URL', `http://localhost:${env.int('PORT', 1337)}`),
        tokenKeys: env.array('CAMPAIGNS_TOKEN_KEYS', ['playground-tracking-key-change-me']),
        smtp: {
          host: env('SMTP_HOST', '127.0.0.1'),
          port: env.int('SMTP_PORT', 1025),
          secure: env.bool('SMTP_SECURE', false),
          user: env('SMTP_USER', ''),
          pass: env('SMTP_PASS', ''),
        },
        defaultFrom: {
          name: env('CAMPAIGNS_FROM_NAME', 'Campaigns demo'),
          email: env('CAMPAIGNS_FROM_EMAIL', 'news@example.test'),
        },
      },
      JSON.parse(env('CAMPAIGNS_CONFIG', '{}')),
    ),
  },
});

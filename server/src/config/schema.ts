// The plugin's configuration: every key, its default, and the rules a value must follow.
import { z } from 'zod';

const positiveInt = (max: number) => z.number().int().min(1).max(max);

export const configSchema = z
  .object({
    /** Base URL of tracking links, as recipients reach this Strapi (e.g. https://cms.example.com). Defaults to server.url. */
    publicUrl: z.string().url().or(z.literal('')).default(''),
    /** Secrets that sign tracking tokens. The first signs; the others still verify (rotation). Defaults to one derived from APP_KEYS. */
    tokenKeys: z.array(z.string().min(16, 'each tracking key needs at least 16 characters')).default([]),
    /** How messages leave: 'smtp' (nodemailer, pooled) or 'strapi-email' (the app's @strapi/email provider). */
    messenger: z.enum(['smtp', 'strapi-email']).default('smtp'),
    smtp: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(1).max(65535).default(587),
        secure: z.boolean().default(false),
        user: z.string().default(''),
        pass: z.string().default(''),
        pool: positiveInt(100).default(5),
        maxMessagesPerConnection: positiveInt(1_000_000).default(1000),
        rejectUnauthorized: z.boolean().default(true),
      })
      .strict()
      .default({}),
    defaultFrom: z
      .object({ name: z.string().default(''), email: z.string().email().or(z.literal('')).default('') })
      .strict()
      .default({}),
    /** Adds a mailto: address to List-Unsubscribe beside the one-click URL. */
    listUnsubscribeMailto: z.string().email().or(z.literal('')).default(''),
    sending: z
      .object({
        batchSize: positiveInt(5000).default(200),
        maxAttempts: positiveInt(20).default(4),
        retryBaseMs: z.number().int().min(0).max(86_400_000).default(60_000),
        /** Deliveries with more recipients than this are staggered when several start together. */
        largeDeliveryThreshold: positiveInt(100_000_000).default(10_000),
        staggerMinutes: z.number().min(0).max(1440).default(5),
      })
      .strict()
      .default({}),
    tracking: z
      .object({
        storeIp: z.boolean().default(false),
        anonymizeIp: z.boolean().default(true),
        /** Off: events keep counts only, with no link to the contact. */
        individualTracking: z.boolean().default(true),
        /** Clicks sooner than this after sending are flagged as link scanners. */
        scannerWindowSeconds: z.number().min(0).max(3600).default(10),
      })
      .strict()
      .default({}),
    webhooks: z.object({ secret: z.string().default('') }).strict().default({}),
    retention: z
      .object({
        logsDays: z.number().int().min(0).default(180),
        deliveriesDays: z.number().int().min(0).default(180),
        inactiveAfterDeliveries: z.number().int().min(0).default(0),
      })
      .strict()
      .default({}),
  })
  .strict();

export type PluginConfig = z.infer<typeof configSchema>;

/** One readable line per problem: where it is, what is wrong, what was given. */
export const formatConfigError = (error: z.ZodError): string => {
  const lines = error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : '(root)';
    const hint =
      issue.code === 'unrecognized_keys'
        ? `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; allowed keys are listed in the README's configuration table`
        : issue.message;
    return `  - campaigns.config.${where}: ${hint}`;
  });
  return `Invalid configuration for the campaigns plugin (config/plugins.ts):\n${lines.join('\n')}`;
};

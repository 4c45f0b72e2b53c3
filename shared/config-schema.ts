// The plugin's configuration: every key, its default, and the rules a value must follow.
import { z } from 'zod';
import { utmSettingsSchema } from './utm';

const positiveInt = (max: number) => z.number().int().min(1).max(max);

/** A criterion that is only switched on or off. */
const switchable = (enabled: boolean) =>
  z
    .object({ enabled: z.boolean().default(enabled) })
    .strict()
    .default({});
const percentOfProcessed = (percent: number) =>
  z
    .object({ enabled: z.boolean().default(true), percent: z.number().min(0).max(100).default(percent) })
    .strict()
    .default({});

/**
 * Delivery alerts (Adobe Campaign's delivery alerting criteria and defaults). Each criterion is switched on or off on
 * its own; problems are on by default, the started / finished notices are opt-in. At most one alert per criterion per
 * delivery per day; every alert is kept as an `alert` row and emitted as the `campaigns.alert` event.
 */
const alertsSchema = z
  .object({
    /** Master switch: off, no criterion is checked and nothing is sent. */
    enabled: z.boolean().default(true),
    /** Addresses that receive every alert, besides the admins of `roles`. */
    recipients: z.array(z.string().email('each alert recipient must be an email address')).max(100).default([]),
    /**
     * Admin role codes whose active users receive every alert (e.g. strapi-super-admin, strapi-editor). Not set:
     * ['strapi-super-admin']. (No default in the schema: Strapi merges the file config into the defaults with
     * defaultsDeep, which merges arrays index by index, so a default list would leak into `roles: []`.)
     */
    roles: z.array(z.string().min(1)).max(50).optional(),
    /** How often the periodic criteria (bounce ratios, start delay, throughput) are checked. */
    checkEveryMinutes: positiveInt(1440).default(5),
    /** Bounce ratios of a delivery still sending are judged once it processed this many messages (always when it ended). */
    minProcessed: z.number().int().min(0).default(100),
    criteria: z
      .object({
        /** The delivery ended failed: no message could be sent. */
        deliveryFailed: switchable(true),
        /** The message could not be composed or prepared (template error, ...). */
        preparationFailed: switchable(true),
        /** Soft bounces (soft failures + soft bounces) above this percentage of processed messages. */
        softBounceRatio: percentOfProcessed(5),
        /** Hard bounces (hard failures + hard bounces) above this percentage of processed messages. */
        hardBounceRatio: percentOfProcessed(5),
        /** A scheduled delivery has not started sending this long after its scheduled time. */
        scheduledNotStarted: z
          .object({ enabled: z.boolean().default(true), delayMinutes: positiveInt(10_080).default(30) })
          .strict()
          .default({}),
        /** A delivery sending for more than 5 minutes sent fewer messages per minute than this over the last 5 minutes. */
        throughputBelow: z
          .object({ enabled: z.boolean().default(true), perMinute: z.number().min(0).max(1_000_000).default(10) })
          .strict()
          .default({}),
        /** A delivery started sending. */
        deliveryStarted: switchable(false),
        /** A delivery finished sending, with a summary of its indicators. */
        deliveryFinished: switchable(false),
      })
      .strict()
      .default({}),
  })
  .strict()
  .default({});

/** An SMTP relay: the main one (`smtp`) and each SMTP fallback transport. */
const smtpSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z.boolean().default(false),
    user: z.string().default(''),
    pass: z.string().default(''),
    pool: positiveInt(100).default(5),
    maxMessagesPerConnection: positiveInt(1_000_000).default(1000),
    rejectUnauthorized: z.boolean().default(true),
    /**
     * Lets the password reach a host beyond this machine without STARTTLS or without a checked certificate. Off:
     * a connection that does not start in TLS must upgrade with STARTTLS before AUTH (nodemailer's requireTLS).
     */
    allowInsecureAuth: z.boolean().default(false),
    /** Worker threads that encode and send, sharing the pool's connections; 0: on Strapi's main thread. */
    threads: z.number().int().min(0).max(16).default(2),
  })
  .strict();

const messengerName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "a messenger name: 'smtp', 'strapi-email' or one your app registered");

/**
 * A transport tried when the ones before it are down (sending/messengers/failover.ts): its own relay (`smtp`, with
 * its own pool), the app's email provider, or a registered messenger with its options.
 */
const fallbackTransportSchema = z
  .object({
    /** Shown on the dashboard beside the messages it sent; defaults to the messenger and its host. */
    name: z.string().trim().min(1).max(64).optional(),
    messenger: messengerName.default('smtp'),
    messengerOptions: z.record(z.string(), z.unknown()).default({}),
    smtp: smtpSchema.default({}),
    /** Messages per second through this transport, whatever the deliveries ask for. */
    ratePerSecond: z.number().positive().max(100_000).optional(),
  })
  .strict();
/** A window of the public subscribe route's rate limit: at most `max` requests per `windowSeconds`. */
const rateWindow = (max: number, windowSeconds: number) =>
  z
    .object({
      max: positiveInt(100_000).default(max),
      windowSeconds: positiveInt(86_400).default(windowSeconds),
    })
    .strict()
    .default({});

/** The public sign-up route (POST /api/campaigns/subscribe) and its double opt-in (server/src/audience/subscriptions.ts). */
const subscribeSchema = z
  .object({
    /** Keys of a contact's `attributes` a sign-up form may set; any other key is refused. */
    attributes: z
      .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'an attribute key: letters, digits and _'))
      .max(20)
      .default([]),
    /** Keep the signer's IP address in the consent records (their proof of consent). */
    storeConsentIp: z.boolean().default(true),
    /** How long a confirmation link stays valid. */
    confirmationHours: positiveInt(24 * 90).default(24 * 7),
    /** Requests per address (counted for every sign-up naming it) and per client IP. */
    rateLimit: z
      .object({ perIp: rateWindow(20, 600), perAddress: rateWindow(3, 3600) })
      .strict()
      .default({}),
  })
  .strict()
  .default({});

export const configSchema = z
  .object({
    /** Base URL of tracking links, as recipients reach this Strapi (e.g. https://cms.example.com). Defaults to server.url. */
    publicUrl: z.string().url().or(z.literal('')).default(''),
    /** Secrets that sign tracking tokens. The first signs; the others still verify (rotation). Defaults to one derived from APP_KEYS. */
    tokenKeys: z.array(z.string().min(16, 'each tracking key needs at least 16 characters')).default([]),
    /**
     * How messages leave: 'smtp' (nodemailer, pooled), 'strapi-email' (the app's @strapi/email provider), or the name
     * of a messenger the app registered. A name nobody registered stops Strapi at start with the registered names.
     */
    messenger: messengerName.default('smtp'),
    /** Options handed to a registered messenger's create() (the built-in ones read `smtp` instead). */
    messengerOptions: z.record(z.string(), z.unknown()).default({}),
    smtp: smtpSchema.default({}),
    /** Transports tried in order when the main one (`messenger`) is down; config file only (they hold secrets). */
    fallbackTransports: z.array(fallbackTransportSchema).max(5, 'at most 5 fallback transports').default([]),
    defaultFrom: z
      .object({
        name: z.string().default(''),
        email: z.string().email('must be an email address').or(z.literal('')).default(''),
      })
      .strict()
      .default({}),
    /** Adds a mailto: address to List-Unsubscribe beside the one-click URL. */
    listUnsubscribeMailto: z.string().email('must be an email address').or(z.literal('')).default(''),
    sending: z
      .object({
        batchSize: positiveInt(5000).default(200),
        maxAttempts: positiveInt(20).default(4),
        retryBaseMs: z.number().int().min(0).max(86_400_000).default(60_000),
        /** Deliveries with more recipients than this are staggered when several start together. */
        largeDeliveryThreshold: positiveInt(100_000_000).default(10_000),
        staggerMinutes: z.number().min(0).max(1440).default(5),
        /** A claimed recipient whose process stopped renewing its claim this long ago is taken over by another process. */
        leaseSeconds: z.number().min(1).max(3600).default(60),
        /**
         * Messages a minute per group of recipient domains, on top of each delivery's rate, shared by the process's
         * deliveries (sending/domain-pacer.ts): `[{ domains: ['gmail.com', 'googlemail.com'], perMinute: 3000 }]`.
         */
        domainLimits: z
          .array(
            z
              .object({
                domains: z
                  .array(
                    z
                      .string()
                      .trim()
                      .toLowerCase()
                      .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'a domain name'),
                  )
                  .min(1)
                  .max(100),
                perMinute: positiveInt(1_000_000),
              })
              .strict(),
          )
          .max(50)
          .default([]),
        /** How long a domain that answers we send too fast (a 4.7.x rate limit at RCPT TO) rests, other domains going on. */
        throttleBackoffSeconds: z.number().min(1).max(3600).default(60),
        /**
         * When the relay fails (down, refusing the session, refusing our login or our sender): the recipients keep
         * their attempts, and the delivery pauses and probes the relay until it answers (sending/outage.ts).
         */
        outage: z
          .object({
            /** Consecutive failures of the relay that pause the delivery (a refused login or sender pauses at once). */
            pauseAfter: positiveInt(10_000).default(10),
            /** The first probe of the relay after the pause; each next one waits twice as long, up to probeMaxSeconds. */
            probeFirstSeconds: z.number().min(1).max(3600).default(30),
            probeMaxSeconds: z.number().min(1).max(86_400).default(600),
            /** Resume by itself once the relay answers; off: a person resumes it. */
            autoResume: z.boolean().default(true),
            /** A delivery paused by an outage this long ends failed, its recipients still pending ("resume" works). */
            failAfterHours: z
              .number()
              .min(1)
              .max(24 * 30)
              .default(24),
          })
          .strict()
          .default({}),
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
        /** Defaults of the UTM tags a delivery may add to its tracked links (shared/utm.ts). */
        utm: utmSettingsSchema,
      })
      .strict()
      .default({}),
    webhooks: z
      .object({
        /** Shared secret of the bounce webhooks (basic-auth password or X-Campaigns-Secret header). Empty: webhooks off. */
        secret: z.string().default(''),
        /**
         * SendGrid's Verification Key (Signed Event Webhook), base64 DER. Set: every SendGrid call must be signed. Its
         * form is checked with node's crypto by the server's config validator (server/src/config/index.ts).
         */
        sendgridVerificationKey: z.string().default(''),
        /** Refuse SES calls that are not signed SNS messages (raw message delivery) and SendGrid calls without a key to check them. */
        requireSignatures: z.boolean().default(false),
      })
      .strict()
      .default({}),
    /**
     * Bounces and complaints read from an IMAP mailbox (server/src/tracking/bounce-mailbox.ts): for relays that send
     * delivery status notifications and feedback reports by email instead of calling a webhook.
     */
    bounceMailbox: z
      .object({
        enabled: z.boolean().default(false),
        host: z.string().default(''),
        port: z.number().int().min(1).max(65535).default(993),
        /** TLS from the start (port 993). Off: STARTTLS, required before the login to a host beyond this machine. */
        secure: z.boolean().default(true),
        user: z.string().default(''),
        /** Write-only: never answered by the API, and only sent to the host, port, user and TLS it was entered with. */
        pass: z.string().default(''),
        /** Where the reports arrive. */
        folder: z.string().min(1, 'name the folder the reports arrive in').default('INBOX'),
        /** Where recorded (or well-formed but uneventful) reports are moved; created if missing. Nothing is deleted. */
        processedFolder: z.string().min(1, 'name a folder for processed reports').default('Processed'),
        /** Where reports that name no known message, or cannot be read, are moved for a person to look at. */
        reviewFolder: z.string().min(1, 'name a folder for reports to review').default('Review'),
        /** How often the mailbox is read. */
        intervalSeconds: z.number().int().min(10).max(86_400).default(300),
      })
      .strict()
      .default({}),
    retention: z
      .object({
        /** Tracking logs, delivery logs (of deliveries no longer active) and alerts older than this are purged daily. 0: never. */
        logsDays: z.number().int().min(0).default(180),
        /** Deliveries left failed or cancelled this long (since they ended) are purged with their logs and links. 0: never. */
        deliveriesDays: z.number().int().min(0).default(180),
        /** Flags contacts (inactive = true) whose last N delivered messages got no human open or click. 0: off. */
        inactiveAfterDeliveries: z.number().int().min(0).default(0),
        /** Rows per DELETE statement: each statement is a short transaction, so the tables are never locked for long. */
        batchSize: positiveInt(50_000).default(5000),
      })
      .strict()
      .default({}),
    alerts: alertsSchema,
    subscribe: subscribeSchema,
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

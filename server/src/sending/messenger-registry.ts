// The messenger registry: how messages may leave, by name. The plugin registers 'smtp' (pooled nodemailer, from
// `smtp`) and 'strapi-email' (the app's email provider); an app adds its own (an ESP's HTTP API, ...) in its
// register(), then names it in the config: `messenger: 'my-esp', messengerOptions: { ... }`.
import type { Core } from '@strapi/strapi';
import type { PluginConfig } from '../../../shared/config-schema';
import type { MessengerFactory, MessengerRegistration } from './messenger-types';
import { insecureAuthProblem, noPasswordForEndpoint, requiresStartTls } from './smtp-credentials';
import { createRefusingMessenger } from './messengers/refusing';
import { createSmtpMessenger } from './messengers/smtp';
import { createThreadedSmtpMessenger } from './messengers/smtp-thread';
import { createStrapiEmailMessenger } from './messengers/strapi-email';
import { MessengerClosedError, type Messenger } from './messengers/types';
import { createFailoverMessenger } from './messengers/failover';

/** A transport as the dashboard names it: the SMTP relay's host and port, or the messenger's name. */
const transportLabel = (config: Pick<PluginConfig, 'messenger' | 'smtp'>): string =>
  config.messenger === 'smtp' ? `smtp ${config.smtp.host}:${config.smtp.port}` : config.messenger;

/** The names of the main transport and the fallback ones, in the order they are tried. */
export const transportLabels = (config: PluginConfig): string[] => [
  transportLabel(config),
  ...config.fallbackTransports.map((fallback) => fallback.name ?? transportLabel(fallback)),
];

export const MESSENGER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const smtp: MessengerFactory = (_options, { config }) => {
  const { smtp: settings } = config;
  // A user without a password: the saved one was entered for another host, port, user or TLS setting.
  const refusal =
    settings.user && !settings.pass ? noPasswordForEndpoint(settings) : insecureAuthProblem(settings)?.message;
  if (refusal) return createRefusingMessenger('smtp', refusal);
  const options = {
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.user ? { user: settings.user, pass: settings.pass } : null,
    requireTLS: requiresStartTls(settings),
    pool: settings.pool,
    maxMessages: settings.maxMessagesPerConnection,
    tls: { rejectUnauthorized: settings.rejectUnauthorized },
  };
  return settings.threads > 0 ? createThreadedSmtpMessenger(options, settings.threads) : createSmtpMessenger(options);
};

const strapiEmail: MessengerFactory = (_options, { strapi }) => createStrapiEmailMessenger(strapi);

const BUILT_IN = new Set(['smtp', 'strapi-email']);

/**
 * An app's messenger as the sender needs it: refuses messages once closed (MessengerClosedError: the sender hands
 * them to the next messenger instead of counting a failure), whatever the app's code does after close().
 */
const guarded = (name: string, messenger: Messenger): Messenger => {
  if (
    !messenger ||
    typeof messenger.send !== 'function' ||
    typeof messenger.verify !== 'function' ||
    typeof messenger.close !== 'function'
  ) {
    throw new Error('create() must return { send(message), verify(), close() }');
  }
  let closed = false;
  return {
    name: messenger.name || name,
    send: (message) => (closed ? Promise.reject(new MessengerClosedError(name)) : messenger.send(message)),
    verify: () => messenger.verify(),
    close: async () => {
      closed = true;
      await messenger.close();
    },
  };
};

const createMessengersService = ({ strapi }: { strapi: Core.Strapi }) => {
  const factories = new Map<string, MessengerFactory>([
    ['smtp', smtp],
    ['strapi-email', strapiEmail],
  ]);

  const unknown = (name: string) =>
    `unknown messenger "${name}"; registered: ${[...factories.keys()].map((known) => `"${known}"`).join(', ')} ` +
    `(register yours with strapi.plugin('campaigns').service('messengers').register({ name, create }) in your app's register())`;

  return {
    /** Adds a way to deliver messages, chosen by `messenger: '<name>'` in the plugin config. Throws on a bad or taken name. */
    register<Options = Record<string, unknown>>(registration: MessengerRegistration<Options>): void {
      const name = registration?.name;
      if (typeof name !== 'string' || !MESSENGER_NAME.test(name)) {
        throw new Error(
          `Cannot register messenger ${JSON.stringify(name)}: a name uses letters, digits, ".", "_" and "-" (at most 64)`,
        );
      }
      if (factories.has(name)) throw new Error(`Cannot register messenger "${name}": it is already registered`);
      if (typeof registration.create !== 'function')
        throw new Error(`Cannot register messenger "${name}": give create(options, { strapi, config })`);
      // The factory is given the config's messengerOptions as they are: checking them is its own job.
      factories.set(name, registration.create as MessengerFactory);
    },

    names(): string[] {
      return [...factories.keys()];
    },

    /** Why the config's messenger (or a fallback transport's) cannot be used, or null when it can. */
    problem(
      config: Pick<PluginConfig, 'messenger'> & Partial<Pick<PluginConfig, 'fallbackTransports'>>,
    ): string | null {
      const names = [config.messenger, ...(config.fallbackTransports ?? []).map((fallback) => fallback.messenger)];
      const missing = names.find((name) => !factories.has(name));
      return missing === undefined ? null : unknown(missing);
    },

    /**
     * The messenger the config names; with fallback transports, a failover over it and them (messengers/failover.ts),
     * each built as if the config named it alone.
     */
    create(config: PluginConfig): Messenger {
      if (!config.fallbackTransports.length) return this.createOne(config);
      const { probeFirstSeconds, probeMaxSeconds } = config.sending.outage;
      const labels = transportLabels(config);
      const transports = [
        { label: labels[0], messenger: this.createOne({ ...config, fallbackTransports: [] }) },
        ...config.fallbackTransports.map(({ name: _name, ratePerSecond, ...fallback }, index) => ({
          label: labels[index + 1],
          messenger: this.createOne({ ...config, ...fallback, fallbackTransports: [] }),
          ratePerSecond,
        })),
      ];
      return createFailoverMessenger(transports, {
        firstWaitMs: probeFirstSeconds * 1000,
        maxWaitMs: probeMaxSeconds * 1000,
        onChange: (label, state, reason) =>
          state === 'down'
            ? strapi.log.warn(`[campaigns] transport ${label} is failing, the next one takes over: ${reason}`)
            : strapi.log.info(`[campaigns] transport ${label} answers again`),
      });
    },

    /** One messenger, built from its options (the factory's own errors say what is wrong with them). */
    createOne(config: PluginConfig): Messenger {
      const factory = factories.get(config.messenger);
      if (!factory) throw new Error(`Cannot send: ${unknown(config.messenger)}`);
      try {
        const messenger = factory(config.messengerOptions, { strapi, config });
        return BUILT_IN.has(config.messenger) ? messenger : guarded(config.messenger, messenger);
      } catch (error) {
        throw new Error(
          `Cannot create messenger "${config.messenger}" (campaigns.config.messengerOptions): ${(error as Error).message}`,
        );
      }
    },
  };
};

export type MessengersService = ReturnType<typeof createMessengersService>;
export default createMessengersService;

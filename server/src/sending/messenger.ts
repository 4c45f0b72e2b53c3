// The messenger of this process, chosen by the config (pooled SMTP by default, the app's email provider, or one the
// app registered): created on first use, closed in destroy, replaced when the settings change.
import type { Core } from '@strapi/strapi';
import type { PluginConfig } from '../../../shared/config-schema';
import type { Messenger, VerifyResult } from './messengers/types';
import { getService } from '../platform/get-service';

/** The messenger the config names, from the registry (sending/messenger-registry.ts). */
export const createMessengerFromConfig = (strapi: Core.Strapi, config: PluginConfig): Messenger =>
  getService(strapi, 'messengers').create(config);

const createMessengerService = ({ strapi }: { strapi: Core.Strapi }) => {
  let current: Promise<Messenger> | null = null;

  return {
    /** The shared messenger (one SMTP pool per process). */
    get(): Promise<Messenger> {
      if (!current) {
        current = getService(strapi, 'settings')
          .get()
          .then((config) => createMessengerFromConfig(strapi, config));
        current.catch(() => {
          current = null;
        });
      }
      return current;
    },

    /** Checks the transport the settings describe (the saved ones by default): connects and authenticates, sends nothing. */
    async verify(config?: PluginConfig): Promise<VerifyResult & { messenger: string }> {
      const messenger = createMessengerFromConfig(strapi, config ?? (await getService(strapi, 'settings').get()));
      try {
        return { ...(await messenger.verify()), messenger: messenger.name };
      } finally {
        await messenger.close();
      }
    },

    /** After a settings change: the next send uses a new messenger; the old one finishes its messages in flight. */
    async reload() {
      const previous = current;
      current = null;
      if (previous) await (await previous.catch(() => null))?.close();
    },

    async close() {
      const previous = current;
      current = null;
      if (previous) await (await previous.catch(() => null))?.close();
    },
  };
};

export type MessengerService = ReturnType<typeof createMessengerService>;
export default createMessengerService;

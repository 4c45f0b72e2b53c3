// Public types of the messenger registry: other ways to deliver a message (an ESP's HTTP API, ...), chosen by name in
// the plugin config (`messenger: 'my-esp', messengerOptions: { ... }`).
import type { Core } from '@strapi/strapi';
import type { PluginConfig } from '../../../shared/config-schema';
import type { Messenger } from './messengers/types';

export type { Messenger, OutgoingMessage, SendResult, VerifyResult } from './messengers/types';
export { MessengerClosedError, formatMessageId } from './messengers/types';

export interface MessengerFactoryContext {
  strapi: Core.Strapi;
  /** The plugin's effective configuration (file config with the settings saved in the admin). */
  config: PluginConfig;
}

/**
 * Builds the messenger of this process from `messengerOptions`. Throw on bad options: the message is shown as the
 * reason the transport cannot be used. send() must resolve once the message was accepted, or throw an error the
 * sender classifies like an SMTP one (`responseCode` 4xx: soft, retried; 5xx: hard; `response`: the reply text with
 * an enhanced status code when there is one, e.g. "550 5.1.1 user unknown"); close() waits for messages in flight
 * and makes later send() calls throw MessengerClosedError.
 */
export type MessengerFactory<Options = Record<string, unknown>> = (
  options: Options,
  context: MessengerFactoryContext,
) => Messenger;

export interface MessengerRegistration<Options = Record<string, unknown>> {
  /** The name the config gives in `messenger`: letters, digits, "-", "_" and ".". */
  name: string;
  create: MessengerFactory<Options>;
}

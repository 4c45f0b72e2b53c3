// The keys that sign tracking tokens: the configured ones, or one derived from the app's keys so links stay valid
// across restarts without any configuration.
import { createHmac } from 'crypto';
import type { Core } from '@strapi/strapi';
import { configSchema } from '../../../shared/config-schema';

const DERIVATION_CONTEXT = 'strapi-plugin-campaigns/derived-token-key/v1';

/** keys[0] signs, every key verifies. Throws when neither tokenKeys nor server.app.keys are set. */
export const getTokenKeys = (strapi: Core.Strapi): string[] => {
  const config = configSchema.parse(strapi.config.get('plugin::campaigns') ?? {});
  if (config.tokenKeys.length > 0) return config.tokenKeys;
  const appKeys = strapi.config.get('server.app.keys') as string[] | undefined;
  const appKey = Array.isArray(appKeys) ? appKeys.find((key) => typeof key === 'string' && key.length > 0) : undefined;
  if (!appKey) {
    throw new Error(
      'campaigns: set tokenKeys in the plugin config, or server.app.keys (APP_KEYS), to sign tracking links',
    );
  }
  return [createHmac('sha256', appKey).update(DERIVATION_CONTEXT).digest('base64url')];
};

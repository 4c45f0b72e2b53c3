// The From of the plugin's own emails (alerts, scheduled reports): the configured sender, else campaigns@<the
// public host>, and the domain their Message-IDs end with.
import type { Core } from '@strapi/strapi';
import { getService } from '../platform/get-service';

const quoteName = (name: string) => `"${name.replace(/["\\]/g, '\\$&')}"`;

export const systemSender = async (strapi: Core.Strapi): Promise<{ from: string; domain: string }> => {
  const { defaultFrom, publicUrl } = await getService(strapi, 'settings').get();
  let email = defaultFrom.email;
  if (!email) {
    let host = 'localhost';
    try {
      host = new URL(publicUrl || String(strapi.config.get('server.url', ''))).hostname || host;
    } catch {
      // no usable URL: localhost
    }
    email = `campaigns@${host}`;
  }
  return {
    from: `${quoteName(defaultFrom.name || 'Campaigns')} <${email}>`,
    domain: email.slice(email.lastIndexOf('@') + 1),
  };
};

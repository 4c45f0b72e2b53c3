// Who the plugin's own emails (alerts, sign-up confirmations, scheduled reports) come from: the default sender of
// the settings, else campaigns@ the host of the public URL.
import type { Core } from '@strapi/strapi';
import { getService } from '../platform/get-service';

const quoteName = (name: string) => `"${name.replace(/["\\]/g, '\\$&')}"`;

/** `from` as a header value, and the domain for Message-IDs. */
export const pluginSender = async (strapi: Core.Strapi): Promise<{ from: string; domain: string }> => {
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

// The base of tracking URLs: where recipients reach this Strapi.
import type { Core } from '@strapi/strapi';

/** publicUrl from the config, else server.url, else http://localhost:1337; never with a trailing slash. */
export const getPublicUrl = (strapi: Core.Strapi, publicUrl: string): string => {
  const base = publicUrl || (strapi.config.get('server.url') as string | undefined) || 'http://localhost:1337';
  return base.replace(/\/+$/, '');
};

// Where each page of the plugin lives (react-router paths under the admin's basename).
import { PLUGIN_ID } from '../pluginId';

const base = `/plugins/${PLUGIN_ID}`;

export const paths = {
  home: base,
  newDelivery: `${base}/deliveries/new`,
  delivery: (id: string) => `${base}/deliveries/${id}`,
  editDelivery: (id: string) => `${base}/deliveries/${id}/edit`,
  layout: (id: string) => `${base}/layouts/${id}`,
  importContacts: `${base}/contacts/import`,
  contact: (id: string) => `${base}/contacts/${id}`,
  /** An engagement segment's editor ('new' for a new one). */
  segment: (id: string) => `${base}/segments/${id}`,
  monitoring: `${base}/monitoring`,
  reports: `${base}/reports`,
  newReport: `${base}/reports/new`,
  report: (id: string) => `${base}/reports/${id}`,
  /** The plugin's page in Settings (registered in admin/src/index.ts). */
  settings: `/settings/${PLUGIN_ID}`,
};

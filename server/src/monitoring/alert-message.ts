// An alert as an email: HTML in the plugin's default layout (its look, without the newsletter's legal lines, since
// admins are not subscribers) and a text part, both linking to the admin page the alert speaks of.
import type { Core } from '@strapi/strapi';
import { textBlock, type ContentBlock } from '../../../shared/blocks';
import type { AlertEvent } from '../../../shared/contracts/monitoring';
import { renderDocument } from '../authoring/render';
import { getService } from '../platform/get-service';
import { getPublicUrl } from '../platform/public-url';

/** Where the admin panel is reached: admin.url when absolute, else the public URL followed by the admin path. */
export const adminBaseUrl = (strapi: Core.Strapi, publicUrl: string): string => {
  const configured = String(strapi.config.get('admin.url', '/admin') || '/admin');
  if (/^https?:\/\//i.test(configured)) return configured.replace(/\/+$/, '');
  return `${getPublicUrl(strapi, publicUrl)}/${configured.replace(/^\/+|\/+$/g, '')}`;
};

export const alertMessage = async (strapi: Core.Strapi, alert: AlertEvent, subject: string) => {
  const { publicUrl } = await getService(strapi, 'settings').get();
  const admin = adminBaseUrl(strapi, publicUrl);
  const dashboard = alert.delivery ? `${admin}/plugins/campaigns/deliveries/${alert.delivery.documentId}` : null;
  const settings = `${admin}/settings/campaigns`;
  const facts = [
    alert.delivery ? `Delivery: ${alert.delivery.name}` : null,
    `Raised at: ${alert.at}`,
    `Criterion: ${alert.criterion}`,
  ].filter((line): line is string => line !== null);
  const footer = 'Sent by the Campaigns plugin of Strapi. Alert rules and recipients are in Settings > Campaigns';

  const text = [alert.message, '', ...facts, dashboard ? `Dashboard: ${dashboard}` : null, '', `${footer}: ${settings}`]
    .filter((line) => line !== null)
    .join('\n');

  const blocks: ContentBlock[] = [
    { id: 'subject', type: 'heading', text: subject, level: 2, align: 'left' },
    textBlock('message', alert.message),
    ...facts.map((fact, i) => textBlock(`fact${i}`, fact)),
    ...(dashboard
      ? [
          {
            id: 'dashboard',
            type: 'button' as const,
            label: 'Open the dashboard',
            url: dashboard,
            backgroundColor: '#4945ff',
            textColor: '#ffffff',
            align: 'left' as const,
          },
        ]
      : []),
    textBlock('footer', footer, settings),
  ];
  const layout = await getService(strapi, 'layouts').snapshotOf(null);
  const { html } = await renderDocument(
    blocks,
    { ...layout, header: [], footer: [] },
    { publicUrl: getPublicUrl(strapi, publicUrl), entries: {}, title: subject, legal: false },
  );
  return { html, text };
};

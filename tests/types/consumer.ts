// Compiled by the typecheck (tsconfig includes tests/), never run: an app's code written against the exported types.
// If a method, an input or a payload changes shape, this file stops compiling.
import type { Core } from '@strapi/strapi';
import type {
  AudienceSource,
  CampaignsApi,
  ContactEvent,
  DeliveryEvent,
  EventPayloads,
  MessageEvent,
  MessengerRegistration,
  TemplateVariable,
} from '../../server/src';

export const useCampaigns = async (strapi: Core.Strapi) => {
  const campaigns = strapi.plugin('campaigns').service('api') as CampaignsApi;

  const list = await campaigns.lists.create({ name: 'Customers' });
  const added: { created: number; updated: number; total: number } = await campaigns.lists.addContacts(
    list.documentId,
    [{ email: 'ada@example.com', firstName: 'Ada', attributes: { tier: 'gold' } }],
  );
  const delivery = await campaigns.deliveries.create({
    name: 'Welcome',
    subject: 'Hello {{firstName}}',
    html: '<p>Hi</p>',
    lists: [list.documentId],
  });
  const sent = await campaigns.deliveries.send(delivery.documentId, { scheduledAt: '2030-01-01T09:00:00Z' });
  const status: string = sent.data.status;
  const { counters } = await campaigns.deliveries.get(delivery.documentId);
  const processed: number = counters.sent + counters.failedHard + counters.failedSoft;
  const { data: indicators, meta } = await campaigns.indicators.get(delivery.documentId, { bots: true });
  const openRate: number = indicators.openRate;
  const leftOut: number = meta.leftOut.events;
  const result = await campaigns.contacts.unsubscribe('ada@example.com', { reason: 'asked by phone' });
  const changed: boolean = result.changed;

  const stop: () => void = campaigns.events.subscribe(
    ['campaigns.contact.clicked', 'campaigns.delivery.finished'],
    (payload, name) => {
      if (name === 'campaigns.contact.clicked') {
        const click = payload as ContactEvent;
        const url: string | undefined = click.url;
        const bot: boolean | undefined = click.isBot;
        return [url, bot];
      }
      const finished = payload as DeliveryEvent;
      return finished.counters?.sent;
    },
  );
  campaigns.events.subscribe('campaigns.message.sent', (payload: MessageEvent) => payload.email.toLowerCase());
  const finishedName: 'campaigns.delivery.finished' = campaigns.events.names.deliveryFinished;
  const sample: EventPayloads['campaigns.message.bounced']['failureType'] = 'hard';

  return { added, status, processed, openRate, leftOut, changed, stop, finishedName, sample };
};

export const registerExtensions = (
  campaigns: CampaignsApi,
  source: AudienceSource,
  messenger: MessengerRegistration,
  variable: TemplateVariable,
) => {
  campaigns.audienceSources.register(source);
  campaigns.messengers.register(messenger);
  campaigns.templateVariables.register(variable);
  campaigns.templateVariables.register({
    name: 'loyaltyTier',
    value: ({ contact }) => contact.attributes?.tier ?? 'none',
  });
};

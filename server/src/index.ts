// Server entry of strapi-plugin-campaigns.
import register from './register';
import bootstrap from './bootstrap';
import destroy from './destroy';
import config from './config';
import contentTypes from './content-types';
import controllers from './controllers';
import routes from './routes';
import services from './services';

// Types for the app's code: `strapi.plugin('campaigns').service('api') as CampaignsApi` (README, For developers).
export type {
  CampaignsApi,
  AddContactsResult,
  ContactToAdd,
  DeliveryCreateInput,
  DeliveryListInput,
  UnsubscribeResult,
} from './developer-api';
export type { EventListener } from './platform/events';
export type { AudienceSource, SourceRecipient, SourcePage, SourceSegment } from './audience/source-types';
export type {
  Messenger,
  MessengerFactory,
  MessengerFactoryContext,
  MessengerRegistration,
  OutgoingMessage,
  SendResult,
} from './sending/messenger-types';
export type { TemplateVariable, TemplateVariableContext } from './sending/template-variable-types';
export type {
  CampaignsEventName,
  ContactEvent,
  SignupEvent,
  DeliveryEvent,
  EventPayloads,
  MessageEvent,
} from '../../shared/contracts/events';
export type { Delivery, DeliveryCounters } from '../../shared/contracts/deliveries';
export type { Indicators, IndicatorsResponse } from '../../shared/contracts/monitoring';
export type { ReportQuery, ReportQueryResponse } from '../../shared/contracts/reports';

export default {
  register,
  bootstrap,
  destroy,
  config,
  contentTypes,
  controllers,
  routes,
  services,
  policies: {},
  middlewares: {},
};

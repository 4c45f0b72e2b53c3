import contacts from './contacts';
import lists from './lists';
import contactImport from './contact-import';
import settings from './settings';
import deliveries from './deliveries';
import audience from './audience';
import composer from './composer';
import sender from './sender';
import messenger from './messenger';
import tracker from './tracker';
import unsubscriptions from './unsubscriptions';
import suppressions from './suppressions';
import mirror from './mirror';
import bounces from './bounces';
import snsCertificates from './sns-certificates';
import trackingLogs from './tracking-logs';
import indicators from './indicators';
import monitoring from './monitoring';
import alerts from './alerts';
import retention from './retention';
import reports from './reports';
import savedReports from './saved-reports';
import hotClicks from './hot-clicks';
import events from './events';
import deliveryEvents from './delivery-events';
import api from './api';
import audienceSources from './audience-sources';
import messengers from './messengers';
import templateVariables from './template-variables';

export default {
  contacts,
  lists,
  'contact-import': contactImport,
  settings,
  deliveries,
  audience,
  composer,
  sender,
  messenger,
  tracker,
  unsubscriptions,
  suppressions,
  mirror,
  bounces,
  'sns-certificates': snsCertificates,
  'tracking-logs': trackingLogs,
  indicators,
  monitoring,
  alerts,
  retention,
  reports,
  'saved-reports': savedReports,
  'hot-clicks': hotClicks,
  events,
  'delivery-events': deliveryEvents,
  api,
  'audience-sources': audienceSources,
  messengers,
  'template-variables': templateVariables,
};

import contacts from './audience/contacts';
import lists from './audience/lists';
import contactImport from './audience/contact-import';
import contactSync from './audience/contact-sync';
import settings from './platform/settings';
import deliveries from './sending/deliveries';
import followUps from './sending/follow-ups';
import abTests from './sending/ab-tests';
import contactTimeline from './reporting/contact-timeline';
import audience from './sending/audience';
import composer from './sending/composer';
import sender from './sending/sender';
import messenger from './sending/messenger';
import tracker from './tracking/tracker';
import unsubscriptions from './tracking/unsubscriptions';
import subscriptions from './tracking/subscriptions';
import suppressions from './audience/suppressions';
import mirror from './tracking/mirror';
import bounces from './tracking/bounces';
import bounceMailbox from './tracking/bounce-mailbox';
import snsCertificates from './tracking/sns-certificates';
import trackingLogs from './db/tracking-logs';
import indicators from './reporting/indicators';
import monitoring from './monitoring/monitoring';
import alerts from './monitoring/alerts';
import retention from './monitoring/retention';
import reports from './reporting/reports';
import savedReports from './reporting/saved-reports';
import reportSchedules from './reporting/report-schedules';
import hotClicks from './reporting/hot-clicks';
import events from './platform/events';
import deliveryEvents from './sending/delivery-events';
import api from './developer-api';
import audienceSources from './audience/sources';
import messengers from './sending/messenger-registry';
import templateVariables from './sending/template-variable-registry';
import authoring from './authoring/authoring';
import layouts from './authoring/layouts';
import entries from './authoring/entries';
import consents from './audience/consents';
import preferences from './tracking/preferences';
import contactData from './audience/contact-data';
import segments from './audience/segments';
import segmentAudience from './sending/segment-audience';

export default {
  contacts,
  lists,
  'contact-import': contactImport,
  'contact-sync': contactSync,
  settings,
  deliveries,
  'follow-ups': followUps,
  'ab-tests': abTests,
  'contact-timeline': contactTimeline,
  audience,
  composer,
  sender,
  messenger,
  tracker,
  unsubscriptions,
  subscriptions,
  suppressions,
  mirror,
  bounces,
  'bounce-mailbox': bounceMailbox,
  'sns-certificates': snsCertificates,
  'tracking-logs': trackingLogs,
  indicators,
  monitoring,
  alerts,
  retention,
  reports,
  'saved-reports': savedReports,
  'report-schedules': reportSchedules,
  'hot-clicks': hotClicks,
  events,
  'delivery-events': deliveryEvents,
  api,
  'audience-sources': audienceSources,
  messengers,
  'template-variables': templateVariables,
  authoring,
  layouts,
  entries,
  consents,
  preferences,
  'contact-data': contactData,
  segments,
  'segment-audience': segmentAudience,
};

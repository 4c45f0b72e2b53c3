import contacts from './contacts';
import lists from './lists';
import settings from './settings';
import deliveries from './deliveries';
import followUps from './follow-ups';
import abTests from './ab-tests';
import utm from './utm';
import contactTimeline from './contact-timeline';
import tracking from './tracking';
import webhooks from './webhooks';
import indicators from './indicators';
import monitoring from './monitoring';
import trackingLogs from './tracking-logs';
import readApi from './read-api';
import extensions from './extensions';
import reports from './reports';
import hotClicks from './hot-clicks';
import suppressions from './suppressions';
import authoring from './authoring';
import entries from './entries';
import bounceMailbox from './bounce-mailbox';
import contactSync from './contact-sync';
import preferences from './preferences';
import contactData from './contact-data';
import subscriptions from './subscriptions';
import segments from './segments';

export default {
  contacts,
  lists,
  settings,
  deliveries,
  'follow-ups': followUps,
  'ab-tests': abTests,
  utm,
  'contact-timeline': contactTimeline,
  tracking,
  webhooks,
  'tracking-logs': trackingLogs,
  indicators,
  monitoring,
  extensions,
  reports,
  'hot-clicks': hotClicks,
  suppressions,
  authoring,
  entries,
  'bounce-mailbox': bounceMailbox,
  'contact-sync': contactSync,
  preferences,
  'contact-data': contactData,
  subscriptions,
  segments,
  ...readApi,
};

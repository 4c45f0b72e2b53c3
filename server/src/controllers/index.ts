import contacts from './contacts';
import lists from './lists';
import settings from './settings';
import deliveries from './deliveries';
import tracking from './tracking';
import webhooks from './webhooks';
import indicators from './indicators';
import monitoring from './monitoring';
import trackingLogs from './tracking-logs';

export default { contacts, lists, settings, deliveries, tracking, webhooks, 'tracking-logs': trackingLogs, indicators, monitoring };

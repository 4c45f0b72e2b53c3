import contact from './contact';
import list from './list';
import delivery from './delivery';
import trackedLink from './tracked-link';
import deliveryLog from './delivery-log';
import trackingLog from './tracking-log';
import eventCount from './event-count';
import messageCount from './message-count';
import messageDay from './message-day';
import dayCount from './day-count';
import hourCount from './hour-count';
import placeCount from './place-count';
import report from './report';
import alert from './alert';
import suppression from './suppression';
import layout from './layout';
import consent from './consent';
import reportSchedule from './report-schedule';
import segment from './segment';

export default {
  contact,
  list,
  delivery,
  'tracked-link': trackedLink,
  'delivery-log': deliveryLog,
  'tracking-log': trackingLog,
  'event-count': eventCount,
  'message-count': messageCount,
  'message-day': messageDay,
  'day-count': dayCount,
  'hour-count': hourCount,
  'place-count': placeCount,
  report,
  alert,
  suppression,
  layout,
  consent,
  'report-schedule': reportSchedule,
  segment,
};

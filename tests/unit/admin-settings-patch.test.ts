// The settings page saves only what the admin changed, so values left alone keep following config/plugins.ts.
import { changedLeaves } from '../../admin/src/utils/settings';

describe('the settings page patch', () => {
  it.each([
    ['nothing changed', { smtp: { host: 'a', port: 25 } }, { smtp: { host: 'a', port: 25 } }, undefined],
    ['one leaf of a section', { smtp: { host: 'a', port: 25 } }, { smtp: { host: 'a', port: 2525 } }, { smtp: { port: 2525 } }],
    ['leaves in two sections', { smtp: { port: 25 }, tracking: { storeIp: false } }, { smtp: { port: 26 }, tracking: { storeIp: true } }, { smtp: { port: 26 }, tracking: { storeIp: true } }],
    ['a nested criterion', { alerts: { criteria: { deliveryFinished: { enabled: false } } } }, { alerts: { criteria: { deliveryFinished: { enabled: true } } } }, { alerts: { criteria: { deliveryFinished: { enabled: true } } } }],
    ['a list, as a whole', { alerts: { recipients: ['a@x.test'] } }, { alerts: { recipients: ['a@x.test', 'b@x.test'] } }, { alerts: { recipients: ['a@x.test', 'b@x.test'] } }],
    ['a list emptied', { alerts: { roles: ['strapi-super-admin'] } }, { alerts: { roles: [] } }, { alerts: { roles: [] } }],
    ['a top-level value', { messenger: 'smtp' }, { messenger: 'strapi-email' }, { messenger: 'strapi-email' }],
  ])('%s', (_, before, after, expected) => {
    expect(changedLeaves(before, after)).toEqual(expected);
  });
});

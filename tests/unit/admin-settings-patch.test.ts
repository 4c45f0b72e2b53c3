// The settings page saves only what the admin changed, so values left alone keep following config/plugins.ts.
import { changedLeaves, passwordToReenter } from '../../admin/src/utils/settings';

describe('the settings page patch', () => {
  it.each([
    ['nothing changed', { smtp: { host: 'a', port: 25 } }, { smtp: { host: 'a', port: 25 } }, undefined],
    [
      'one leaf of a section',
      { smtp: { host: 'a', port: 25 } },
      { smtp: { host: 'a', port: 2525 } },
      { smtp: { port: 2525 } },
    ],
    [
      'leaves in two sections',
      { smtp: { port: 25 }, tracking: { storeIp: false } },
      { smtp: { port: 26 }, tracking: { storeIp: true } },
      { smtp: { port: 26 }, tracking: { storeIp: true } },
    ],
    [
      'a nested criterion',
      { alerts: { criteria: { deliveryFinished: { enabled: false } } } },
      { alerts: { criteria: { deliveryFinished: { enabled: true } } } },
      { alerts: { criteria: { deliveryFinished: { enabled: true } } } },
    ],
    [
      'a list, as a whole',
      { alerts: { recipients: ['a@x.test'] } },
      { alerts: { recipients: ['a@x.test', 'b@x.test'] } },
      { alerts: { recipients: ['a@x.test', 'b@x.test'] } },
    ],
    [
      'a list emptied',
      { alerts: { roles: ['strapi-super-admin'] } },
      { alerts: { roles: [] } },
      { alerts: { roles: [] } },
    ],
    ['a top-level value', { messenger: 'smtp' }, { messenger: 'strapi-email' }, { messenger: 'strapi-email' }],
  ])('%s', (_, before, after, expected) => {
    expect(changedLeaves(before, after)).toEqual(expected);
  });
});

describe('the password the settings page asks for again', () => {
  const saved = {
    host: 'smtp.acme.test',
    port: 587,
    user: 'relay',
    pass: '********',
    secure: false,
    rejectUnauthorized: true,
    allowInsecureAuth: false,
  };

  it.each([
    ['nothing changed', {}, []],
    ['the pool only', { pool: 3 }, []],
    ['the host', { host: 'evil.test' }, ['host']],
    ['the port and TLS', { port: 465, secure: true }, ['port', 'secure']],
    ['the user', { user: 'other' }, ['user']],
    ['the host, with a new password typed', { host: 'evil.test', pass: 'typed' }, []],
    ['the host, with no user (no password is sent)', { host: 'evil.test', user: '' }, []],
  ])('%s', (_, change, expected) => {
    expect(passwordToReenter(saved, { ...saved, ...change })).toEqual(expected);
  });
});

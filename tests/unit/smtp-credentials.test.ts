import { configSchema } from '../../shared/config-schema';
import { changedEndpointKeys } from '../../shared/smtp-endpoint';
import {
  insecureAuthProblem,
  isLocalHost,
  redactPassword,
  requiresStartTls,
  withPasswordForItsEndpoint,
} from '../../server/src/sending/smtp-credentials';

const smtp = (overrides: Record<string, unknown> = {}) =>
  configSchema.parse({ smtp: { host: 'smtp.example.com', user: 'relay', pass: 'p4ss', ...overrides } }).smtp;

describe('isLocalHost', () => {
  it.each([
    'localhost',
    'LOCALHOST',
    'localhost.',
    'mail.localhost',
    '127.0.0.1',
    '127.0.0.2',
    '127.255.255.254',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
  ])('%s is this machine', (host) => expect(isLocalHost(host)).toBe(true));

  it.each([
    'smtp.example.com',
    'localhost.example.com',
    '127.0.0.1.nip.io',
    '128.0.0.1',
    '10.0.0.1',
    '192.0.2.2',
    '::2',
    '::ffff:10.0.0.1',
    'fd00::1',
    '0.0.0.0',
    '',
  ])('%s is not', (host) => expect(isLocalHost(host)).toBe(false));
});

describe('changedEndpointKeys', () => {
  it('names the settings that decide who receives the password, host names without case', () => {
    expect(changedEndpointKeys(smtp(), smtp({ host: 'SMTP.Example.com', pool: 9, pass: 'other' }))).toEqual([]);
    const elsewhere = {
      host: 'evil.test',
      port: 25,
      user: 'x',
      secure: true,
      rejectUnauthorized: false,
      allowInsecureAuth: true,
    };
    expect(changedEndpointKeys(smtp(), smtp(elsewhere))).toEqual(Object.keys(elsewhere));
  });
});

describe('withPasswordForItsEndpoint', () => {
  const config = (overrides: Record<string, unknown> = {}) =>
    configSchema.parse({ smtp: { host: 'smtp.example.com', user: 'relay', pass: 'p4ss', ...overrides } });

  it('keeps the password for the endpoint it was entered with', () => {
    expect(withPasswordForItsEndpoint(config({ pool: 2 }), smtp()).smtp.pass).toBe('p4ss');
  });

  it.each([
    { host: 'evil.test' },
    { port: 2525 },
    { user: 'other' },
    { secure: true },
    { rejectUnauthorized: false },
    { allowInsecureAuth: true },
  ])('empties it for %j', (change) => {
    expect(withPasswordForItsEndpoint(config(change), smtp()).smtp).toMatchObject({ ...change, pass: '' });
  });
});

describe('STARTTLS before AUTH', () => {
  it('is required when the password leaves this machine without TLS from the start', () => {
    expect(requiresStartTls(smtp())).toBe(true);
    expect(requiresStartTls(smtp({ secure: true }))).toBe(false);
    expect(requiresStartTls(smtp({ host: '127.0.0.1' }))).toBe(false);
    expect(requiresStartTls(smtp({ user: '' }))).toBe(false);
    expect(requiresStartTls(smtp({ allowInsecureAuth: true }))).toBe(false);
  });

  it('a password over TLS without a certificate check to another machine is refused, unless allowed', () => {
    expect(insecureAuthProblem(smtp({ rejectUnauthorized: false }))).toEqual({
      path: ['smtp', 'rejectUnauthorized'],
      message: expect.stringContaining('smtp.allowInsecureAuth'),
    });
    expect(insecureAuthProblem(smtp({ rejectUnauthorized: false, allowInsecureAuth: true }))).toBeNull();
    expect(insecureAuthProblem(smtp({ rejectUnauthorized: false, host: 'localhost' }))).toBeNull();
    expect(insecureAuthProblem(smtp({ rejectUnauthorized: false, user: '' }))).toBeNull();
    expect(insecureAuthProblem(smtp())).toBeNull();
  });
});

describe('redactPassword', () => {
  it('masks the password and the base64 forms AUTH PLAIN and AUTH LOGIN send it in', () => {
    const plain = Buffer.from('\u0000relay\u0000p4ss').toString('base64');
    const login = Buffer.from('p4ss').toString('base64');

    const text = redactPassword(`535 bad p4ss (${plain}, ${login})`, { user: 'relay', pass: 'p4ss' });

    expect(text).toBe('535 bad ******** (********, ********)');
    expect(redactPassword('535 nothing to hide', { user: 'relay', pass: '' })).toBe('535 nothing to hide');
  });
});

// Settings edited in the admin: what a patch may contain, and how it merges over what was saved.
import { configSchema } from '../../shared/config-schema';
import {
  deepMerge,
  pickEditable,
  SECRET_PLACEHOLDER,
  settingsPatchSchema,
  withoutEchoedSecrets,
} from '../../server/src/platform/settings-patch';

const patchSchema = settingsPatchSchema(configSchema);
const problems = (input: unknown) => {
  const result = patchSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.code}`);
};

describe('settings patch schema', () => {
  it('keeps only what the patch names: no default is filled in', () => {
    expect(
      patchSchema.parse({ smtp: { port: 2525 }, alerts: { criteria: { softBounceRatio: { percent: 2 } } } }),
    ).toEqual({
      smtp: { port: 2525 },
      alerts: { criteria: { softBounceRatio: { percent: 2 } } },
    });
  });

  it.each<[string, unknown, string[]]>([
    ['an empty patch', {}, []],
    ['a port that is text', { smtp: { port: '25' } }, ['smtp.port: invalid_type']],
    [
      'a key that is not editable (token keys stay in the file)',
      { tokenKeys: ['a'.repeat(20)] },
      [': unrecognized_keys'],
    ],
    [
      'an unknown key deep inside',
      { alerts: { criteria: { deliveryFailed: { enabeld: true } } } },
      ['alerts.criteria.deliveryFailed: unrecognized_keys'],
    ],
    [
      'a recipient that is not an address',
      { alerts: { recipients: ['ops'] } },
      ['alerts.recipients.0: invalid_string'],
    ],
    [
      'a ratio above 100 %',
      { alerts: { criteria: { hardBounceRatio: { percent: 120 } } } },
      ['alerts.criteria.hardBounceRatio.percent: too_big'],
    ],
    ['retention days below zero', { retention: { logsDays: -1 } }, ['retention.logsDays: too_small']],
  ])('%s', (_name, input, expected) => {
    expect(problems(input)).toEqual(expected);
  });
});

describe('deepMerge', () => {
  it.each<[string, unknown, unknown, unknown]>([
    [
      'objects merge key by key',
      { smtp: { host: 'a', port: 1 } },
      { smtp: { port: 2 } },
      { smtp: { host: 'a', port: 2 } },
    ],
    [
      'arrays are replaced, not concatenated',
      { alerts: { roles: ['a', 'b'] } },
      { alerts: { roles: ['c'] } },
      { alerts: { roles: ['c'] } },
    ],
    [
      'an empty array empties',
      { alerts: { recipients: ['x@y.z'] } },
      { alerts: { recipients: [] } },
      { alerts: { recipients: [] } },
    ],
    ['undefined leaves the value', { a: 1 }, { a: undefined }, { a: 1 }],
    ['false and 0 are values', { a: true, b: 5 }, { a: false, b: 0 }, { a: false, b: 0 }],
  ])('%s', (_name, base, patch, expected) => {
    expect(deepMerge(base, patch)).toEqual(expected);
  });
});

describe('secrets', () => {
  it('the placeholder shown for a stored password keeps it', () => {
    expect(withoutEchoedSecrets({ smtp: { host: 'h', pass: SECRET_PLACEHOLDER } })).toEqual({ smtp: { host: 'h' } });
  });

  it.each([
    ['a new password', 's3cret'],
    ['an emptied password', ''],
  ])('%s is saved', (_name, pass) => {
    expect(withoutEchoedSecrets({ smtp: { pass } })).toEqual({ smtp: { pass } });
  });

  it('stored overrides of keys that are not editable are ignored', () => {
    expect(pickEditable({ tokenKeys: ['x'], webhooks: { secret: 'y' }, smtp: { port: 1 } })).toEqual({
      smtp: { port: 1 },
    });
  });
});

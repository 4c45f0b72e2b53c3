import config from '../../server/src/config';

describe('plugin configuration validator', () => {
  it('accepts the defaults', () => {
    expect(() => config.validator(config.default())).not.toThrow();
  });

  it.each([
    [{ smtp: { port: 0 } }, /smtp\.port: Number must be greater than or equal to 1/],
    [{ publicUrl: 'not a url' }, /publicUrl: Invalid url/],
    [{ tokenKeys: ['short'] }, /tokenKeys\.0: each tracking key needs at least 16 characters/],
    [{ messenger: 'carrier pigeon' }, /messenger: a messenger name: 'smtp', 'strapi-email' or one your app registered/],
    [{ sending: { batchSize: 1.5 } }, /sending\.batchSize: Expected integer/],
    [{ tracking: { storeIP: true } }, /tracking: unknown key\(s\) "storeIP"/],
    [
      { webhooks: { sendgridVerificationKey: 'not-a-key' } },
      /webhooks\.sendgridVerificationKey: not a public key: paste the Verification Key SendGrid shows/,
    ],
    [
      { smtp: { host: 'smtp.example.com', user: 'relay', pass: 'p4ss', rejectUnauthorized: false } },
      /smtp\.rejectUnauthorized: the password would go to smtp\.example\.com over TLS without checking its certificate/,
    ],
  ])('explains what is wrong with %j', (bad: Record<string, unknown>, message) => {
    expect(() =>
      config.validator({ ...config.default(), ...bad, smtp: { ...config.default().smtp, ...(bad as any).smtp } }),
    ).toThrow(message);
  });
});

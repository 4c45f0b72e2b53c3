import { emailProblem, normalizeEmail } from '../../server/src/platform/email-address';

describe('email addresses of contacts', () => {
  it.each([
    ['  Ada@Example.COM ', 'ada@example.com'],
    ['grace.hopper+news@navy.mil', 'grace.hopper+news@navy.mil'],
  ])('normalises %p to %p', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it.each(['ada@example.com', "o'brien@example.ie", 'x_y-z@sub.domain.co.uk', 'a@b.io'])('accepts %p', (email) => {
    expect(emailProblem(email)).toBeNull();
  });

  it.each([
    ['', /empty/],
    ['ada', /needs one @/],
    ['@example.com', /needs one @/],
    ['ada@', /needs one @/],
    ['ada@localhost', /invalid domain/],
    ['ada@exa_mple.com', /invalid domain/],
    ['ada@example.123', /invalid domain/],
    ['a..b@example.com', /invalid name/],
    ['.ab@example.com', /invalid name/],
    ['a b@example.com', /invalid name/],
    [`${'a'.repeat(65)}@example.com`, /invalid name/],
    [`a@${'b'.repeat(250)}.com`, /longer than 254/],
  ])('rejects %p with a reason', (email, reason) => {
    expect(emailProblem(email)).toMatch(reason);
  });
});

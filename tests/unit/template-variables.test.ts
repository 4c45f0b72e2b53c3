// The template-variable registry: names checked at registration, each variable computed once per recipient (one
// call per batch with `values`), a failure confined to the recipients it concerns.
import createTemplateVariablesService from '../../server/src/sending/template-variable-registry';
import type { TemplateVariableContext } from '../../server/src/sending/template-variable-types';
import type { ClaimedRecipient, SendStore } from '../../server/src/sending/types';

const service = () => createTemplateVariablesService({ strapi: {} as any });
const contextFor = (email: string, attributes: Record<string, unknown> = {}): TemplateVariableContext => ({
  contact: { id: 1, email, attributes },
  delivery: { id: 7, documentId: 'doc7' },
  test: false,
});

describe('template variables', () => {
  it.each([
    ['firstName', /it is a built-in variable/],
    ['attributes.tier', /not "__" or "attributes\."/],
    ['__open', /not "__" or "attributes\."/],
    ['loyalty tier', /use letters, digits/],
  ])('refuses to register %j', (name, message) => {
    expect(() => service().register({ name, value: () => 'x' })).toThrow(message);
  });

  it('refuses a name registered twice, and a variable without value() or values()', () => {
    const variables = service();
    variables.register({ name: 'tier', value: () => 'x' });
    expect(() => variables.register({ name: 'tier', value: () => 'y' })).toThrow(/already registered/);
    expect(() => variables.register({ name: 'score' } as any)).toThrow(/give value\(context\) or values\(contexts\)/);
  });

  it('computes each used variable once per recipient, a batch variable once per batch', async () => {
    const variables = service();
    const value = jest.fn(async ({ contact }: TemplateVariableContext) => contact.email.toUpperCase());
    const values = jest.fn((contexts: TemplateVariableContext[]) =>
      contexts.map((context) => context.contact.attributes?.points),
    );
    const unused = jest.fn(() => 'never');
    variables.register({ name: 'shout', value });
    variables.register({ name: 'points', values });
    variables.register({ name: 'unused', value: unused });

    const names = variables.usedBy(['firstName', 'shout', 'points']);
    expect(names).toEqual(['shout', 'points']);
    const result = await variables.valuesFor(names, [
      contextFor('a@x.test', { points: 3 }),
      contextFor('b@x.test', { points: 5 }),
    ]);
    expect(result).toEqual([
      { values: { shout: 'A@X.TEST', points: 3 } },
      { values: { shout: 'B@X.TEST', points: 5 } },
    ]);
    expect(value).toHaveBeenCalledTimes(2);
    expect(values).toHaveBeenCalledTimes(1);
    expect(unused).not.toHaveBeenCalled();
  });

  it('fails only the recipient whose value threw, naming the variable', async () => {
    const variables = service();
    variables.register({
      name: 'tier',
      value: ({ contact }) => {
        if (contact.email.startsWith('bad')) throw new Error('CRM is down');
        return 'Gold';
      },
    });
    const result = await variables.valuesFor(['tier'], [contextFor('good@x.test'), contextFor('bad@x.test')]);
    expect(result).toEqual([{ values: { tier: 'Gold' } }, { error: 'Template variable "tier" failed: CRM is down' }]);
  });

  it('fails the whole batch when values() returns the wrong number of values', async () => {
    const variables = service();
    variables.register({ name: 'tier', values: () => ['only one'] });
    const result = await variables.valuesFor(['tier'], [contextFor('a@x.test'), contextFor('b@x.test')]);
    expect(result.every((r) => 'error' in r && /returned 1 value\(s\) for 2 recipient\(s\)/.test(r.error))).toBe(true);
  });

  it('attaches the values to each claimed recipient of a batch', async () => {
    const variables = service();
    variables.register({ name: 'tier', value: ({ contact, delivery }) => `${delivery.documentId}:${contact.id}` });
    const claimed: ClaimedRecipient[] = [
      { logId: 1, contactId: 10, messageId: '<1@x>', attempts: 1, contact: { email: 'a@x.test' } },
      { logId: 2, contactId: 11, messageId: '<2@x>', attempts: 1, contact: { email: 'b@x.test' } },
    ];
    const store: SendStore = {
      claim: async () => claimed,
      record: async () => undefined,
      release: async () => undefined,
      renew: async () => undefined,
    };
    const batch = await variables.withValues(store, { id: 7, documentId: 'doc7' }, ['tier']).claim(7, 10, String);
    expect(batch.map((recipient) => recipient.variables)).toEqual([{ tier: 'doc7:10' }, { tier: 'doc7:11' }]);
  });
});

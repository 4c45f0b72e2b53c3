// Personalisation templates: what editors may write, what recipients see, and the errors editors get.

import {
  compileTemplate,
  validateTemplate,
  TemplateError,
  type RenderContext,
  type TemplateOptions,
} from '../../server/src/sending/template';

const HTML: TemplateOptions = { escape: 'html' };
const TEXT: TemplateOptions = { escape: 'none' };

const context = (contact: Partial<RenderContext['contact']> = {}, extra?: Record<string, unknown>): RenderContext => ({
  contact: { email: 'ada@example.com', ...contact },
  urls: {
    unsubscribe: 'https://t.example.com/u/tok?a=1&b=2',
    mirror: 'https://t.example.com/m/tok',
    open: 'https://t.example.com/o/tok',
    link: (position) => `https://t.example.com/c/link${position}`,
  },
  extra,
});

const thrown = (run: () => unknown): TemplateError => {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
};

describe('personalisation', () => {
  it.each<[string, string, TemplateOptions, Partial<RenderContext['contact']>, string]>([
    ['a first name is filled in', 'Hello {{firstName}}!', HTML, { firstName: 'Ada' }, 'Hello Ada!'],
    [
      'spaces inside the braces are optional',
      '{{ firstName }} {{lastName }}',
      HTML,
      { firstName: 'Ada', lastName: 'Lovelace' },
      'Ada Lovelace',
    ],
    ['the email and locale are filled in', '{{email}} ({{locale}})', HTML, { locale: 'fr' }, 'ada@example.com (fr)'],
    ['a missing first name renders as nothing', 'Hello {{firstName}}!', HTML, { firstName: null }, 'Hello !'],
    [
      'a markup-like first name is escaped in HTML',
      '<p>{{firstName}}</p>',
      HTML,
      { firstName: '<script>' },
      '<p>&lt;script&gt;</p>',
    ],
    ['a markup-like first name stays raw in text', 'Hi {{firstName}}', TEXT, { firstName: '<script>' }, 'Hi <script>'],
    [
      'every HTML-special character is escaped',
      '{{lastName}}',
      HTML,
      { lastName: `O'Neil & "Sons" <x>` },
      'O&#39;Neil &amp; &quot;Sons&quot; &lt;x&gt;',
    ],
    ['an attribute is filled in', 'Plan: {{attributes.plan}}', HTML, { attributes: { plan: 'pro' } }, 'Plan: pro'],
    [
      'a nested attribute is filled in',
      '{{attributes.company.name}}',
      HTML,
      { attributes: { company: { name: 'A&B' } } },
      'A&amp;B',
    ],
    [
      'numbers and booleans print as written',
      '{{attributes.seats}}/{{attributes.vip}}',
      HTML,
      { attributes: { seats: 12, vip: false } },
      '12/false',
    ],
    ['a list prints its items', '{{attributes.tags}}', HTML, { attributes: { tags: ['a', 'b'] } }, 'a, b'],
    ['an object prints nothing', '[{{attributes.company}}]', HTML, { attributes: { company: { name: 'x' } } }, '[]'],
    ['a missing attribute renders as nothing', '[{{attributes.plan}}]', HTML, { attributes: null }, '[]'],
    [
      'a path through a missing object renders as nothing',
      '[{{attributes.a.b}}]',
      HTML,
      { attributes: { a: 'x' } },
      '[]',
    ],
    [
      "an attribute name never reaches the object's prototype",
      '[{{attributes.constructor}}]',
      HTML,
      { attributes: {} },
      '[]',
    ],
  ])('%s', (_, source, options, contact, expected) => {
    expect(compileTemplate(source, options).render(context(contact))).toBe(expected);
  });

  it('fills in the unsubscribe and mirror URLs, escaped for the attribute they sit in', () => {
    const template = compileTemplate('<a href="{{unsubscribeUrl}}">u</a><a href="{{mirrorUrl}}">m</a>', HTML);

    expect(template.render(context())).toBe(
      '<a href="https://t.example.com/u/tok?a=1&amp;b=2">u</a><a href="https://t.example.com/m/tok">m</a>',
    );
  });

  it('fills in the open pixel and each tracked link by its position when internal slots are allowed', () => {
    const template = compileTemplate('<img src="{{__open}}"><a href="{{__link.0}}"></a><a href="{{__link.7}}"></a>', {
      ...HTML,
      allowInternal: true,
    });

    expect(template.render(context())).toBe(
      '<img src="https://t.example.com/o/tok"><a href="https://t.example.com/c/link0"></a><a href="https://t.example.com/c/link7"></a>',
    );
  });

  it("fills in a developer's extra variable from the render context", () => {
    const template = compileTemplate('{{shopName}}: {{coupon}}', { ...HTML, extraVariables: ['shopName', 'coupon'] });

    expect(template.render(context({}, { shopName: 'Tea & Co' }))).toBe('Tea &amp; Co: ');
  });

  it('renders one compiled template into a different message for each recipient', () => {
    const template = compileTemplate('<p>Dear {{firstName}}, <a href="{{unsubscribeUrl}}">leave</a></p>', HTML);
    const first = context({ firstName: 'Ada' });
    const second = {
      ...context({ firstName: 'Grace', email: 'grace@example.com' }),
      urls: { ...first.urls, unsubscribe: 'https://t/u/2' },
    };

    expect([template.render(first), template.render(second)]).toEqual([
      '<p>Dear Ada, <a href="https://t.example.com/u/tok?a=1&amp;b=2">leave</a></p>',
      '<p>Dear Grace, <a href="https://t/u/2">leave</a></p>',
    ]);
  });

  it('renders a source without variables as it is', () => {
    expect(compileTemplate('<p>Hi & bye</p>', HTML).render(context())).toBe('<p>Hi & bye</p>');
  });

  it('lists the distinct editor variables a template uses, leaving out internal slots', () => {
    const template = compileTemplate('{{firstName}} {{ firstName }} {{attributes.plan}} {{__open}} {{mirrorUrl}}', {
      ...HTML,
      allowInternal: true,
    });

    expect(template.variables).toEqual(['firstName', 'attributes.plan', 'mirrorUrl']);
  });
});

describe('template errors', () => {
  it('names an unknown variable with its line and column and lists what is allowed', () => {
    const error = thrown(() => compileTemplate('<p>\nHello\n<p>Hi all, {{frstName}}</p>', HTML));

    expect(error).toMatchObject({ code: 'unknown_variable', variable: 'frstName', line: 3, column: 12 });
    expect(error.message).toBe(
      'Unknown variable "{{frstName}}" at line 3, column 12 (did you mean "{{firstName}}"?). ' +
        'Allowed: firstName, lastName, email, locale, attributes.<key>, unsubscribeUrl, preferencesUrl, mirrorUrl',
    );
  });

  it.each<[string, string, TemplateOptions, Partial<TemplateError>, string]>([
    [
      'an unclosed variable',
      'Hi {{firstName, welcome',
      HTML,
      { code: 'unclosed', line: 1, column: 4 },
      'Unclosed "{{firstName, welcome" at line 1, column 4',
    ],
    [
      'a variable closed after another opens',
      'Hi {{firstName and {{lastName}}',
      HTML,
      { code: 'unclosed', column: 4 },
      'needs a closing "}}"',
    ],
    [
      'empty braces',
      'a\n  {{ }}',
      HTML,
      { code: 'empty', variable: null, line: 2, column: 3 },
      'Empty variable "{{ }}" at line 2, column 3',
    ],
    [
      'a dash in a name',
      '{{first-name}}',
      HTML,
      { code: 'invalid_characters', variable: 'first-name' },
      'letters, digits, "_" and "." only',
    ],
    [
      'a space in a name',
      '{{first name}}',
      HTML,
      { code: 'invalid_characters', variable: 'first name' },
      'a name has no spaces',
    ],
    ['a trailing dot', '{{attributes.}}', HTML, { code: 'invalid_characters' }, 'Invalid variable "{{attributes.}}"'],
    [
      'attributes without a key',
      '{{attributes}}',
      HTML,
      { code: 'unknown_variable' },
      'name a key, e.g. {{attributes.company}}',
    ],
    [
      'a misspelt attributes prefix',
      '{{attribute.plan}}',
      HTML,
      { code: 'unknown_variable' },
      'did you mean "{{attributes.plan}}"?',
    ],
    ['the wrong case', '{{FirstName}}', HTML, { code: 'unknown_variable' }, 'did you mean "{{firstName}}"?'],
    [
      'an internal slot written by an editor',
      '<img src="{{__open}}">',
      HTML,
      { code: 'unknown_variable', variable: '__open' },
      'Unknown variable "{{__open}}"',
    ],
    [
      'an extra variable the developer did not register',
      '{{coupon}}',
      { ...HTML, extraVariables: ['shopName'] },
      { variable: 'coupon' },
      'Allowed: firstName, lastName, email, locale, attributes.<key>, unsubscribeUrl, preferencesUrl, mirrorUrl, shopName',
    ],
  ])('rejects %s', (_, source, options, fields, message) => {
    const error = thrown(() => compileTemplate(source, options));

    expect(error).toMatchObject(fields);
    expect(error.message).toContain(message);
  });

  it('reports every problem of a source at once', () => {
    const errors = validateTemplate('{{frstName}}\n{{}} {{email}}\n{{ bad-name }} {{lastName', HTML);

    expect(errors.map(({ code, line, column }) => [code, line, column])).toEqual([
      ['unknown_variable', 1, 1],
      ['empty', 2, 1],
      ['invalid_characters', 3, 1],
      ['unclosed', 3, 16],
    ]);
  });

  it('reports nothing for a valid source', () => {
    expect(validateTemplate('{{ firstName }} {{attributes.a.b_c}} }} {', HTML)).toEqual([]);
  });

  it('gives an API answer the fields it needs', () => {
    const error = thrown(() => compileTemplate('{{nope}}', HTML));

    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'unknown_variable',
      message: error.message,
      variable: 'nope',
      line: 1,
      column: 1,
    });
  });

  it.each([['bad-name'], ['__secret'], ['attributes.x'], ['firstName']])(
    'refuses to register %s as an extra variable',
    (name) => {
      expect(() => compileTemplate('x', { ...HTML, extraVariables: [name] })).toThrow(
        /Cannot register template variable/,
      );
    },
  );
});

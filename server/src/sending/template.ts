// Personalisation templates: `{{ variable }}` sources compiled once, rendered per recipient by plain substitution.

export type TemplateEscape = 'html' | 'none';
export type TemplatePart = 'subject' | 'html' | 'text';
export type TemplateErrorCode = 'unknown_variable' | 'unclosed' | 'empty' | 'invalid_characters';

export interface TemplateOptions {
  escape: TemplateEscape;
  /** Names a developer registered (helpers); their values come from `RenderContext.extra[name]`. */
  extraVariables?: string[];
  /** Lets the composer's own slots (`{{__open}}`, `{{__link.N}}`) through; never set for editor input. */
  allowInternal?: boolean;
}

export interface RenderContact {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  locale?: string | null;
  attributes?: Record<string, unknown> | null;
}

export interface RenderContext {
  contact: RenderContact;
  urls: {
    unsubscribe: string;
    /** The preference centre; absent (an older caller), the unsubscribe page stands in for it. */
    preferences?: string;
    mirror: string;
    open: string;
    /** Click URL of the tracked link at this position (its order among the message's links). */
    link: (position: number) => string;
  };
  extra?: Record<string, unknown>;
}

export interface CompiledTemplate {
  readonly source: string;
  readonly escape: TemplateEscape;
  /** Distinct editor variables the source uses, in order of first use (internal slots left out). */
  readonly variables: string[];
  render(ctx: RenderContext): string;
  /** What render joins: the fixed text at even indices (the same strings on every call), the values between. */
  renderParts(ctx: RenderContext): string[];
}

export const BUILTIN_VARIABLES = [
  'firstName',
  'lastName',
  'email',
  'locale',
  'unsubscribeUrl',
  'preferencesUrl',
  'mirrorUrl',
] as const;
// The contact's fields, then its attributes, then the links: the order an error message lists them in.
const ALLOWED_DESCRIPTION = [...BUILTIN_VARIABLES.slice(0, 4), 'attributes.<key>', ...BUILTIN_VARIABLES.slice(4)];

export class TemplateError extends Error {
  readonly code: TemplateErrorCode;
  /** The variable as written between the braces (trimmed); null when there is none to name. */
  readonly variable: string | null;
  /** 1-based line and column of the opening `{{`. */
  readonly line: number;
  readonly column: number;
  /** Which part of a message the error is in; set by the composer. */
  part?: TemplatePart;

  constructor(code: TemplateErrorCode, message: string, variable: string | null, line: number, column: number) {
    super(message);
    this.name = 'TemplateError';
    this.code = code;
    this.variable = variable;
    this.line = line;
    this.column = column;
  }

  toJSON() {
    return {
      code: this.code,
      message: this.message,
      variable: this.variable,
      line: this.line,
      column: this.column,
      ...(this.part ? { part: this.part } : {}),
    };
  }
}

// Slot kinds are small integers so the render loop is a switch over numbers on one object shape.
const FIRST_NAME = 0;
const LAST_NAME = 1;
const EMAIL = 2;
const LOCALE = 3;
const ATTRIBUTE = 4;
const UNSUBSCRIBE_URL = 5;
const MIRROR_URL = 6;
const OPEN_URL = 7;
const LINK_URL = 8;
const EXTRA = 9;
const PREFERENCES_URL = 10;

interface Slot {
  kind: number;
  /** Attribute path or extra name; empty otherwise. */
  path: string[];
  key: string;
  position: number;
}

const BUILTIN_KINDS: Record<string, number> = {
  firstName: FIRST_NAME,
  lastName: LAST_NAME,
  email: EMAIL,
  locale: LOCALE,
  unsubscribeUrl: UNSUBSCRIBE_URL,
  preferencesUrl: PREFERENCES_URL,
  mirrorUrl: MIRROR_URL,
};

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$/;
const ATTRIBUTE_PATTERN = /^attributes(?:\.[A-Za-z0-9_]+)+$/;
const LINK_PATTERN = /^__link\.(\d{1,6})$/;
const WHITESPACE = /\s/;

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** Throws a sentence naming the problem when a registered variable name cannot be used. */
export function checkExtraVariables(extra: readonly string[]): void {
  for (const name of extra) {
    if (!NAME_PATTERN.test(name) || name.startsWith('__') || name === 'attributes' || name.startsWith('attributes.')) {
      throw new Error(
        `Cannot register template variable "${name}": use letters, digits, "_" and "." (not "__" or "attributes.")`,
      );
    }
    if (hasOwn(BUILTIN_KINDS, name)) {
      throw new Error(`Cannot register template variable "${name}": it is a built-in variable`);
    }
  }
}

function lineAndColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(above + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

// A near miss (`frstName`, `FirstName`, `attribute.plan`) names what the editor most likely meant.
function suggest(name: string, extra: readonly string[]): string | null {
  const dot = name.indexOf('.');
  if (dot > 0) {
    const head = name.slice(0, dot).toLowerCase();
    if (head !== 'attributes' && editDistance(head, 'attributes') <= 2) return `attributes${name.slice(dot)}`;
  }
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of [...BUILTIN_VARIABLES, ...extra]) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

interface Scan {
  statics: string[];
  slots: Slot[];
  variables: string[];
  errors: TemplateError[];
}

function scan(source: string, options: TemplateOptions): Scan {
  const extra = options.extraVariables ?? [];
  checkExtraVariables(extra);
  const extraSet = new Set(extra);
  const statics: string[] = [];
  const slots: Slot[] = [];
  const variables: string[] = [];
  const errors: TemplateError[] = [];
  const fail = (code: TemplateErrorCode, variable: string | null, offset: number, describe: (at: string) => string) => {
    const { line, column } = lineAndColumn(source, offset);
    errors.push(new TemplateError(code, describe(`at line ${line}, column ${column}`), variable, line, column));
  };

  let textStart = 0;
  let cursor = 0;
  for (;;) {
    const open = source.indexOf('{{', cursor);
    if (open === -1) break;
    const close = source.indexOf('}}', open + 2);
    const nextOpen = source.indexOf('{{', open + 2);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      const rest = source.slice(open + 2, nextOpen === -1 ? undefined : nextOpen);
      const fragment = rest.split('\n')[0].trim().slice(0, 40);
      fail(
        'unclosed',
        fragment || null,
        open,
        (at) => `Unclosed "{{${fragment}" ${at}: every "{{" needs a closing "}}"`,
      );
      if (nextOpen === -1) break;
      cursor = nextOpen;
      continue;
    }
    const raw = source.slice(open + 2, close);
    const name = raw.trim();
    cursor = close + 2;
    const written = `{{${raw}}}`;

    if (name === '') {
      fail(
        'empty',
        null,
        open,
        (at) => `Empty variable "${written}" ${at}: write a name between the braces, e.g. {{firstName}}`,
      );
      continue;
    }
    if (!NAME_PATTERN.test(name)) {
      const detail = WHITESPACE.test(name) ? 'a name has no spaces' : 'a name uses letters, digits, "_" and "." only';
      fail('invalid_characters', name, open, (at) => `Invalid variable "${written}" ${at}: ${detail}`);
      continue;
    }

    let slot: Slot | null = null;
    if (hasOwn(BUILTIN_KINDS, name)) {
      slot = { kind: BUILTIN_KINDS[name], path: [], key: name, position: -1 };
    } else if (ATTRIBUTE_PATTERN.test(name)) {
      slot = { kind: ATTRIBUTE, path: name.split('.').slice(1), key: name, position: -1 };
    } else if (extraSet.has(name)) {
      slot = { kind: EXTRA, path: [], key: name, position: -1 };
    } else if (options.allowInternal && name === '__open') {
      slot = { kind: OPEN_URL, path: [], key: name, position: -1 };
    } else if (options.allowInternal && LINK_PATTERN.test(name)) {
      slot = { kind: LINK_URL, path: [], key: name, position: Number(LINK_PATTERN.exec(name)![1]) };
    }

    if (!slot) {
      const guess = suggest(name, extra);
      const hint =
        name === 'attributes'
          ? ' (name a key, e.g. {{attributes.company}})'
          : guess
            ? ` (did you mean "{{${guess}}}"?)`
            : '';
      const allowed = [...ALLOWED_DESCRIPTION, ...extra].join(', ');
      fail('unknown_variable', name, open, (at) => `Unknown variable "{{${name}}}" ${at}${hint}. Allowed: ${allowed}`);
      continue;
    }
    statics.push(source.slice(textStart, open));
    slots.push(slot);
    textStart = cursor;
    if (slot.kind !== OPEN_URL && slot.kind !== LINK_URL && !variables.includes(name)) variables.push(name);
  }
  statics.push(source.slice(textStart));
  return { statics, slots, variables, errors };
}

const ESCAPE_TEST = /[&<>"']/;
const ESCAPE_ALL = /[&<>"']/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const toEntity = (char: string) => ENTITIES[char];

/** HTML-escapes & < > " ' (safe in text and in quoted attributes); returns the same string when nothing needs it. */
export function escapeHtml(value: string): string {
  return ESCAPE_TEST.test(value) ? value.replace(ESCAPE_ALL, toEntity) : value;
}

// Attribute and helper values are JSON: print what a reader would expect, and nothing for what has no text form.
function formatValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : '';
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
      if (Array.isArray(value))
        return value
          .map(formatValue)
          .filter((item) => item !== '')
          .join(', ');
      return '';
    default:
      return '';
  }
}

// Own properties only: `{{attributes.constructor}}` must print nothing, not Object's source.
function lookupPath(root: unknown, path: string[]): unknown {
  let value = root;
  for (let i = 0; i < path.length; i++) {
    if (value === null || typeof value !== 'object' || !hasOwn(value, path[i])) return undefined;
    value = (value as Record<string, unknown>)[path[i]];
  }
  return value;
}

function build(source: string, options: TemplateOptions, parsed: Scan): CompiledTemplate {
  const { statics, slots, variables } = parsed;
  const count = slots.length;
  const escaping = options.escape === 'html';
  const size = 2 * count + 1;

  // One array joined once: measured faster than `+=` ropes as soon as the message is encoded (V8 then has to
  // flatten the rope); statics go in as the same string objects, so only the result is copied.
  const renderParts = (ctx: RenderContext): string[] => {
    const contact = ctx.contact;
    const out: string[] = new Array(size);
    out[0] = statics[0];
    for (let i = 0; i < count; i++) {
      const slot = slots[i];
      let value: string;
      switch (slot.kind) {
        case FIRST_NAME:
          value = contact.firstName ?? '';
          break;
        case LAST_NAME:
          value = contact.lastName ?? '';
          break;
        case EMAIL:
          value = contact.email ?? '';
          break;
        case LOCALE:
          value = contact.locale ?? '';
          break;
        case ATTRIBUTE:
          value = formatValue(lookupPath(contact.attributes, slot.path));
          break;
        case UNSUBSCRIBE_URL:
          value = ctx.urls.unsubscribe;
          break;
        case PREFERENCES_URL:
          value = ctx.urls.preferences ?? ctx.urls.unsubscribe;
          break;
        case MIRROR_URL:
          value = ctx.urls.mirror;
          break;
        case OPEN_URL:
          value = ctx.urls.open;
          break;
        case LINK_URL:
          value = ctx.urls.link(slot.position);
          break;
        default:
          value = ctx.extra && hasOwn(ctx.extra, slot.key) ? formatValue(ctx.extra[slot.key]) : '';
      }
      out[2 * i + 1] = escaping ? escapeHtml(value) : value;
      out[2 * i + 2] = statics[i + 1];
    }
    return out;
  };
  const render = (ctx: RenderContext): string => (count === 0 ? statics[0] : renderParts(ctx).join(''));

  return { source, escape: options.escape, variables, render, renderParts };
}

/** Every problem in a template source, for a validation answer that lists them all. */
export function validateTemplate(source: string, options: TemplateOptions): TemplateError[] {
  return scan(source, options).errors;
}

// V8 keeps a string two bytes per character once any ancestor had a character above U+00FF (html-to-text's output,
// a replace over it): every recipient's message then inherits that form and costs ~60x more to encode as UTF-8.
// A JSON round trip rebuilds the same text, one byte per character where it can be, losslessly (lone surrogates too).
function compactString(value: string): string {
  return JSON.parse(JSON.stringify(value)) as string;
}

/** Compiles a source once; throws the first TemplateError found. */
export function compileTemplate(source: string, options: TemplateOptions): CompiledTemplate {
  source = compactString(source);
  const parsed = scan(source, options);
  if (parsed.errors.length > 0) throw parsed.errors[0];
  return build(source, options, parsed);
}

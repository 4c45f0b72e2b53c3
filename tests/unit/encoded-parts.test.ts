// A message's text parts encoded once per delivery (sending/encoded-parts.ts): whatever the template and the values,
// the message nodemailer builds from them reads, once parsed, exactly as the one it builds from the rendered bodies.
import MailComposer from 'nodemailer/lib/mail-composer';
import { simpleParser } from 'mailparser';
import { quotedPrintablePart } from '../../server/src/sending/encoded-parts';
import { toNodemailerMail } from '../../server/src/sending/messengers/smtp';
import { compileTemplate, type RenderContext } from '../../server/src/sending/template';
import type { OutgoingMessage } from '../../server/src/sending/messengers/types';

/** mulberry32: the same scenarios on every run, and a failing seed can be replayed. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// What makes quoted-printable hard: "=", spaces and tabs (at the end of a piece too), line breaks, 8-bit letters,
// characters of 3 and 4 bytes, long runs with no place to break a line, and the characters of a tracking URL.
const ATOMS = ['=', ' ', '\t', '\n', '\r\n', 'é', 'Zoë', '€', '😀', 'a', 'word ', '&', '<b>', '.', 'x'.repeat(90)];
const VARIABLES = ['{{firstName}}', '{{lastName}}', '{{email}}', '{{unsubscribeUrl}}', '{{attributes.city}}'];

const text = (next: () => number, atoms: number) =>
  Array.from({ length: Math.floor(next() * atoms) }, () => ATOMS[Math.floor(next() * ATOMS.length)]).join('');

const scenario = (seed: number) => {
  const next = random(seed);
  // Some pieces end just short of, at and past a line's length, where the soft break that follows must still fit.
  const edge = 'y'.repeat(60 + (Math.floor(seed / 5) % 25));
  const pieces =
    seed % 5 === 0
      ? [edge, '{{firstName}}', edge]
      : Array.from({ length: 1 + Math.floor(next() * 8) }, (_, i) =>
          i % 2 ? VARIABLES[Math.floor(next() * VARIABLES.length)] : text(next, 40),
        );
  const ctx: RenderContext = {
    contact: {
      email: 'zoë@example.test',
      firstName: text(next, 6),
      lastName: next() < 0.3 ? '' : text(next, 3),
      attributes: { city: text(next, 4) },
    },
    urls: { unsubscribe: `https://news.example.test/u/${seed}.a-b_c=`, mirror: '', open: '', link: () => '' },
  };
  return { source: pieces.join(''), ctx };
};

const parsed = async (mail: ReturnType<typeof toNodemailerMail>) =>
  simpleParser(await new MailComposer(mail).compile().build());

const bodyLines = (raw: string) => raw.split('\r\n\r\n').slice(1).join('\n').split(/\r?\n/);

describe('text parts encoded once per delivery', () => {
  it('parse to the same html and text as the bodies encoded whole, in lines of at most 76 characters', async () => {
    for (let seed = 1; seed <= 300; seed += 1) {
      const { source, ctx } = scenario(seed);
      const html = compileTemplate(source, { escape: 'html' });
      const plain = compileTemplate(source, { escape: 'none' });
      const htmlParts = html.renderParts(ctx);
      const textParts = plain.renderParts(ctx);
      const message: OutgoingMessage = {
        from: 'news@acme.test',
        to: 'zoe@example.test',
        subject: 'Hi',
        html: html.render(ctx),
        text: plain.render(ctx),
        headers: {},
        messageId: `<${seed}@acme.test>`,
      };
      const encodedParts = {
        html: quotedPrintablePart(html, htmlParts, 'text/html'),
        text: quotedPrintablePart(plain, textParts, 'text/plain'),
      };
      expect(htmlParts.join('')).toBe(message.html);

      const whole = await parsed(toNodemailerMail(message));
      const once = await parsed(toNodemailerMail({ ...message, encodedParts }));
      expect({ seed, html: once.html, text: once.text }).toEqual({ seed, html: whole.html, text: whole.text });
      // Where no carriage return was written, exactly the rendered bodies (an empty one is left out of the message).
      if (!source.includes('\r') && !JSON.stringify(ctx.contact).includes('\\r')) {
        const read = { seed, html: once.html || '', text: once.text ?? '' };
        expect(read).toEqual({ seed, html: message.html, text: message.text });
      }
      for (const part of [encodedParts.html, encodedParts.text]) {
        const long = bodyLines(part).filter((line) => line.length > 76);
        expect({ seed, long }).toEqual({ seed, long: [] });
      }
    }
  });

  it('encodes the fixed text once per template: a second recipient reuses it', () => {
    const template = compileTemplate(`<p>${'Caf\u00e9 '.repeat(50)}{{firstName}}</p>`, { escape: 'html' });
    const ctx = (firstName: string): RenderContext => ({
      contact: { email: 'a@example.test', firstName },
      urls: { unsubscribe: '', mirror: '', open: '', link: () => '' },
    });
    const first = quotedPrintablePart(template, template.renderParts(ctx('Ada')), 'text/html');
    const second = quotedPrintablePart(template, template.renderParts(ctx('Zoë')), 'text/html');
    expect(first).toContain('Ada');
    expect(second).toContain('Zo=C3=AB');
    // The fixed text's encoding is the same string up to the value.
    expect(second.slice(0, second.indexOf('Zo=C3=AB'))).toBe(first.slice(0, first.indexOf('Ada')));
  });
});

// A message's text parts encoded once per delivery, not once per recipient. Quoted-printable encoding of the HTML
// and text bodies was most of a message's CPU time (nodemailer encodes each body whole: about 0.7 ms of 1 ms for a
// 20 KB newsletter), yet all but the substituted values is the same text for every recipient. The template's fixed
// text is encoded once, each recipient's values alone, and the pieces are joined with soft line breaks ("=" at the
// end of a line, which a decoder removes), so the part decodes to exactly the rendered body. The encoding itself is
// nodemailer's (nodemailer/lib/qp); the transport sends the part as given (sending/messengers/smtp.ts).
// The file itself: ES modules do not resolve a package's directory to its index.
import { encode, wrap } from 'nodemailer/lib/qp/index.js';
import type { CompiledTemplate } from './template';

const SOFT_BREAK = '=\r\n';
// A piece's last line is followed by the soft break's "=": 75 characters leave the 76 that RFC 2045 allows.
const LINE_LENGTH = 75;

const encodePiece = (piece: string): string => wrap(encode(piece), LINE_LENGTH);

/** Each compiled template's fixed text, encoded on first use: a template is compiled once per delivery. */
const encodedStatics = new WeakMap<CompiledTemplate, string[]>();

/**
 * One recipient's rendering of `template` (`parts`, from its renderParts) as a MIME part: its Content-Type and
 * Content-Transfer-Encoding headers, then the quoted-printable body, which decodes to exactly `parts.join('')`.
 */
export const quotedPrintablePart = (
  template: CompiledTemplate,
  parts: string[],
  contentType: 'text/html' | 'text/plain',
): string => {
  let statics = encodedStatics.get(template);
  if (!statics) {
    statics = parts.map((part, index) => (index % 2 === 0 ? encodePiece(part) : ''));
    encodedStatics.set(template, statics);
  }
  const out = [`Content-Type: ${contentType}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`];
  let empty = true;
  for (let index = 0; index < parts.length; index += 1) {
    const piece = index % 2 === 0 ? statics[index] : parts[index] && encodePiece(parts[index]);
    if (!piece) continue;
    if (!empty) out.push(SOFT_BREAK);
    out.push(piece);
    empty = false;
  }
  return out.join('');
};

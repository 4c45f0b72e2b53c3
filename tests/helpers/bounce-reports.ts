// The bounce and complaint samples of tests/fixtures/bounces, filled with the values of one sent message.
import fs from 'node:fs';
import path from 'node:path';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'bounces');

export interface SentMessage {
  /** The Message-ID header as sent, angle brackets included. */
  MESSAGE_ID: string;
  /** The X-Campaigns-Delivery header (the delivery's documentId). */
  DELIVERY: string;
  FROM: string;
  RECIPIENT: string;
}

/** A sample with the sent message's values in place of its {{placeholders}}, with CRLF line ends as on the wire. */
export const bounceReport = (name: string, sent: SentMessage): string => {
  const values: Record<string, string> = { ...sent, RECIPIENT_LOCAL: sent.RECIPIENT.split('@')[0] };
  return fs
    .readFileSync(path.join(FIXTURES, name), 'utf8')
    .replace(/\{\{([A-Z_]+)\}\}/g, (_all, key: string) => values[key] ?? '')
    .replace(/\r?\n/g, '\r\n');
};

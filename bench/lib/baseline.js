#!/usr/bin/env node
// The baseline of the sending benchmarks: a bare nodemailer pooled loop sending pre-rendered messages, in its own
// process (`node bench/lib/baseline.js <count> <port> <pool>` prints its RESULT; bench/lib/child.js runs it).
// Same pool size and socket option as the plugin's messenger (TCP_NODELAY, see server/src/sending/messengers/smtp.ts),
// 1,000 messages pre-rendered by the plugin's composer sent in turn (same size, links, headers), each with its own
// recipient and Message-ID. Nothing is rendered while timed.
'use strict';
const net = require('net');
const path = require('path');
const { ROOT, reportResult } = require('./child');
const { PUBLIC_URL, TOKEN_KEY, FROM, SUBJECT, messageHtml, contactFor, mb } = require('./newsletter');

const PRERENDERED = 1000;

/** Connects like the plugin's SMTP messenger: a socket with TCP_NODELAY handed to nodemailer. */
const noDelaySocket = (host, port) => (_options, callback) =>
  callback(null, { connection: net.connect({ host, port, noDelay: true }) });

const prerender = () => {
  require(path.join(ROOT, 'tests', 'helpers', 'register-ts.js'));
  const { composeMessage, renderMessage } = require(path.join(ROOT, 'server', 'src', 'sending', 'compose.ts'));
  const { createTokenSigner } = require(path.join(ROOT, 'server', 'src', 'platform', 'tokens.ts'));
  const signer = createTokenSigner([TOKEN_KEY]);
  const composed = composeMessage({ subject: SUBJECT, html: messageHtml(), trackOpens: true, trackLinks: true });
  const messages = [];
  for (let i = 0; i < PRERENDERED; i += 1) {
    const token = (kind, extra = {}) => signer.sign({ kind, deliveryId: 1, deliveryLogId: i + 1, ...extra });
    const unsubscribe = `${PUBLIC_URL}/api/campaigns/u/${token('unsubscribe')}`;
    const rendered = renderMessage(composed, {
      contact: contactFor(i),
      urls: {
        unsubscribe,
        mirror: `${PUBLIC_URL}/api/campaigns/m/${token('mirror')}`,
        open: `${PUBLIC_URL}/api/campaigns/o/${token('open')}`,
        link: (position) => `${PUBLIC_URL}/api/campaigns/c/${token('click', { trackedLinkId: position + 1 })}`,
      },
    });
    messages.push({
      ...rendered,
      headers: {
        'List-Unsubscribe': `<${unsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'X-Campaigns-Delivery': 'baseline',
      },
    });
  }
  return messages;
};

const runBaseline = async (count, port, pool) => {
  const nodemailer = require('nodemailer');
  const messages = prerender();
  const transport = nodemailer.createTransport({
    pool: true,
    host: '127.0.0.1',
    port,
    maxConnections: pool,
    maxMessages: 1000,
    maxRequeues: 0,
    getSocket: noDelaySocket('127.0.0.1', port),
  });
  const from = `"${FROM.name}" <${FROM.email}>`;
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: pool }, async () => {
      while (next < count) {
        const n = next++;
        const message = messages[n % PRERENDERED];
        await transport.sendMail({
          from,
          to: `recipient${n}@bench.example.test`,
          subject: message.subject,
          html: message.html,
          text: message.text,
          headers: message.headers,
          messageId: `<1.${n + 1}.baseline@bench.example.test>`,
          // The plugin chooses the encoding once per delivery (nodemailer would scan every body): so does the baseline.
          textEncoding: 'quoted-printable',
        });
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  transport.close();
  return {
    count,
    seconds,
    perSecond: count / seconds,
    cpuMsPerMessage: (cpu.user + cpu.system) / 1000 / count,
    peakRssMb: mb(process.resourceUsage().maxRSS),
  };
};

if (require.main === module) {
  const [count, port, pool] = process.argv.slice(2).map(Number);
  reportResult(() => runBaseline(count, port, pool));
}

module.exports = { BASELINE_SCRIPT: __filename };

#!/usr/bin/env node
// A local mail catcher for the demo: an SMTP server on 127.0.0.1 that keeps every message, and a page that lists them.
const http = require('http');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const SMTP_PORT = Number(process.env.MAIL_CATCHER_SMTP_PORT || 1025);
const HTTP_PORT = Number(process.env.MAIL_CATCHER_HTTP_PORT || 1080);
const MAX_KEPT = 500;
const messages = [];

const escape = (s) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  disableReverseLookup: true,
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        messages.unshift({
          id: messages.length + 1,
          at: new Date(),
          to: session.envelope.rcptTo.map((r) => r.address).join(', '),
          mail,
        });
        if (messages.length > MAX_KEPT) messages.pop();
        callback();
      })
      .catch(callback);
  },
});

const page = (body) => `<!doctype html><meta charset="utf-8"><title>Mail catcher</title>
<style>body{font:14px system-ui;margin:2rem;color:#32324d}table{border-collapse:collapse;width:100%}td,th{padding:.4rem .6rem;border-bottom:1px solid #eaeaef;text-align:left}a{color:#4945ff}</style>${body}`;

const web = http.createServer((req, res) => {
  const match = /^\/messages\/(\d+)(\/html)?$/.exec(req.url);
  if (match) {
    const message = messages.find((m) => m.id === Number(match[1]));
    if (!message) return res.writeHead(404).end('not found');
    if (match[2]) {
      // The message's HTML in a sandboxed frame: no scripts run.
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "script-src 'none'",
      });
      // Links open in a new tab, since pages such as the unsubscribe page refuse to be shown inside a frame; the base
      // goes in the head, so a doctype before it keeps the page out of quirks mode.
      const html = message.mail.html || `<pre>${escape(message.mail.text)}</pre>`;
      const base = '<base target="_blank">';
      return res.end(/<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (head) => head + base) : base + html);
    }
    const headers = message.mail.headerLines.map((h) => escape(h.line)).join('\n');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(
      page(`<p><a href="/">All messages</a></p><h2>${escape(message.mail.subject)}</h2>
<pre style="white-space:pre-wrap;background:#f6f6f9;padding:1rem">${headers}</pre>
<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" src="/messages/${message.id}/html" style="width:100%;height:70vh;border:1px solid #dcdce4"></iframe>`),
    );
  }
  if (req.url === '/api/messages') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(
      JSON.stringify(
        messages.map((m) => ({ id: m.id, at: m.at, to: m.to, subject: m.mail.subject, messageId: m.mail.messageId })),
      ),
    );
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    page(`<h1>Mail catcher</h1><p>${messages.length} message(s) received on 127.0.0.1:${SMTP_PORT}.</p><table><tr><th>Received</th><th>To</th><th>Subject</th></tr>
${messages.map((m) => `<tr><td>${m.at.toISOString()}</td><td>${escape(m.to)}</td><td><a href="/messages/${m.id}">${escape(m.mail.subject)}</a></td></tr>`).join('')}</table>`),
  );
});

smtp.listen(SMTP_PORT, '127.0.0.1', () => {
  web.listen(HTTP_PORT, '127.0.0.1', () =>
    console.log(`Mail catcher: SMTP on 127.0.0.1:${SMTP_PORT}, messages at http://localhost:${HTTP_PORT}`),
  );
});

const stop = () => {
  smtp.close();
  web.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

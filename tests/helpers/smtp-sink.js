// A minimal, fast SMTP sink on 127.0.0.1 for load tests and the send benchmark: it speaks just enough SMTP for
// nodemailer (greeting at once, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), accepts every message and records
// only what the tests count: the Message-ID, the X-Campaigns-Delivery header, the subject and the envelope recipients. It can
// also shut down as a relay does (shutDown), for the outage tests.
//
// Why not smtp-server here: it waits 100 ms before each greeting and parses every message with mailparser in the
// process that runs the test; this sink answers at once and only scans the header block, so it is never the
// bottleneck of what it measures (a sink on one core takes well over 10,000 20 KB messages per second).
'use strict';
const net = require('net');

const HEADER_LIMIT = 16 * 1024;

/**
 * The value of a header in a raw header block (unfolded), or null. A copy, not a slice: V8 keeps a sliced string's
 * whole parent alive (here the socket chunk the header came in), so a million kept Message-IDs held gigabytes.
 */
const headerValue = (block, name) => {
  const match = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r\\n[ \\t].*)*)`, 'im').exec(block);
  return match ? Buffer.from(match[1].replace(/\r\n[ \t]+/g, ' ').trim(), 'latin1').toString('latin1') : null;
};

/**
 * @param {{ record?: boolean, onMessage?: (message: { messageId: string|null, delivery: string|null, subject: string|null, to: string[] }, count: number) => void }} [options]
 */
const startSmtpSink = (options = {}) => {
  const record = options.record !== false;
  const messages = [];
  let count = 0;
  let bytes = 0;
  const sockets = new Set();
  let down = false;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let mode = 'command';
    let pending = '';
    let rcpt = [];
    let head = '';
    let headDone = false;
    let tail = '';

    const finishMessage = () => {
      count += 1;
      const block = headDone ? head : head.slice(0, HEADER_LIMIT);
      const message = {
        messageId: headerValue(block, 'Message-ID'),
        delivery: headerValue(block, 'X-Campaigns-Delivery'),
        subject: headerValue(block, 'Subject'),
        to: rcpt,
      };
      if (record) messages.push(message);
      if (options.onMessage) options.onMessage(message, count);
      rcpt = [];
      head = '';
      headDone = false;
      tail = '';
    };

    const onCommand = (line) => {
      const verb = line.slice(0, 4).toUpperCase();
      switch (verb) {
        case 'EHLO':
          return socket.write('250-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 104857600\r\n');
        case 'HELO':
          return socket.write('250 sink\r\n');
        case 'MAIL':
          rcpt = [];
          return socket.write('250 2.1.0 Ok\r\n');
        case 'RCPT': {
          const match = /<([^>]*)>/.exec(line);
          rcpt.push(match ? match[1].toLowerCase() : '');
          return socket.write('250 2.1.5 Ok\r\n');
        }
        case 'DATA':
          mode = 'data';
          // The CRLF that ended DATA counts for the terminator of an empty body ("\r\n.\r\n").
          tail = '\r\n';
          return socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        case 'RSET':
          rcpt = [];
          return socket.write('250 2.0.0 Ok\r\n');
        case 'NOOP':
          return socket.write('250 2.0.0 Ok\r\n');
        case 'QUIT':
          socket.end('221 2.0.0 Bye\r\n');
          return undefined;
        default:
          return socket.write('502 5.5.2 Command not recognized\r\n');
      }
    };

    // Data is scanned for the terminator without being kept: only the header block is, up to HEADER_LIMIT.
    const onData = (chunk) => {
      bytes += chunk.length;
      if (!headDone) {
        head += chunk;
        const end = head.indexOf('\r\n\r\n');
        if (end !== -1) {
          head = head.slice(0, end + 2);
          headDone = true;
        } else if (head.length > HEADER_LIMIT) {
          headDone = true;
        }
      }
      const window = tail + chunk;
      const end = window.indexOf('\r\n.\r\n');
      if (end === -1) {
        tail = window.slice(-4);
        return '';
      }
      finishMessage();
      mode = 'command';
      socket.write('250 2.0.0 Ok: queued\r\n');
      return window.slice(end + 5);
    };

    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      if (down) return;
      let rest = chunk;
      while (rest.length) {
        if (mode === 'data') {
          rest = onData(rest);
          continue;
        }
        pending += rest;
        rest = '';
        let newline;
        while (mode === 'command' && (newline = pending.indexOf('\r\n')) !== -1) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 2);
          onCommand(line);
          if (mode === 'data') {
            // A pipelining client may send message data right after DATA.
            rest = pending;
            pending = '';
          }
        }
      }
    });
    socket.write('220 sink ESMTP\r\n');
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve({
        host: '127.0.0.1',
        port: server.address().port,
        messages,
        count: () => count,
        bytes: () => bytes,
        reset: () => {
          messages.length = 0;
          count = 0;
          bytes = 0;
        },
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
        /**
         * Shuts down as a relay does (Postfix's "421 Service shutting down"): new connections are refused, and every
         * open session gets the 421 and is closed, whatever it was doing. A message whose end of data arrived before
         * was accepted and answered 250 first; one still being sent is neither recorded nor accepted.
         */
        shutDown: () =>
          new Promise((done) => {
            down = true;
            for (const socket of sockets) socket.end('421 4.3.2 Service shutting down\r\n');
            server.close(() => done());
          }),
      });
    });
  });
};

module.exports = { startSmtpSink, headerValue };

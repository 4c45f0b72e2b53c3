// The SMTP messenger on worker threads: the same pooled nodemailer transport as sending/messengers/smtp.ts, but MIME
// encoding and socket writes (about 1.5 ms of CPU per 40 KB message) run off Strapi's event loop, which stays free
// for admin and tracking requests, and off Strapi's large heap, whose garbage collection makes the same work
// about 30% dearer on the main thread. The worker is plain JavaScript given as source (no file to bundle or
// compile): it requires nodemailer by the path this module resolved, and answers one reply per request.
import { Worker } from 'worker_threads';
import {
  MessengerClosedError,
  type Messenger,
  type OutgoingMessage,
  type SendResult,
  type VerifyResult,
} from './types';
import { redactPassword } from '../smtp-credentials';
import {
  noteHandover,
  smtpTransportOptions,
  toNodemailerMail,
  withoutPassword,
  type SmtpMessengerOptions,
} from './smtp';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('worker_threads');
const net = require('net');
const nodemailer = require(workerData.nodemailer);
const { host, port } = workerData.transport;
const transporter = nodemailer.createTransport(Object.assign({}, workerData.transport, {
  getSocket: (_options, callback) => callback(null, { connection: net.connect({ host, port, noDelay: true }) }),
}));
transporter.use('stream', ${noteHandover.toString()});
const ERROR_FIELDS = ['code', 'response', 'responseCode', 'command', 'errno', 'syscall', 'address', 'port', 'afterData'];
const serialize = (err) => {
  const out = { name: (err && err.name) || 'Error', message: String((err && err.message) || err) };
  for (const key of ERROR_FIELDS) if (err && err[key] !== undefined) out[key] = err[key];
  return out;
};
const inFlight = new Set();
let closed = false;
parentPort.on('message', (request) => {
  const reply = (body) => parentPort.postMessage(Object.assign({ id: request.id }, body));
  if (request.type === 'send') {
    if (closed) return reply({ error: { name: 'MessengerClosedError', closed: true, message: 'smtp messenger is closed' } });
    const handover = { done: false };
    const sending = transporter.sendMail(Object.assign({}, request.mail, { handover })).then(
      (info) => reply({ result: { messageId: info.messageId, response: info.response } }),
      (err) => {
        if (handover.done && err && typeof err === 'object') err.afterData = true;
        reply({ error: serialize(err) });
      }
    );
    inFlight.add(sending);
    sending.finally(() => inFlight.delete(sending));
  } else if (request.type === 'verify') {
    transporter.verify().then(() => reply({ result: { ok: true } }), (err) => reply({ result: { ok: false, error: String((err && err.message) || err) } }));
  } else if (request.type === 'close') {
    closed = true;
    Promise.allSettled([...inFlight]).then(() => {
      transporter.close();
      reply({ result: true });
    });
  }
});
`;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

const toError = (data: Record<string, unknown>): Error => {
  if (data.closed) return new MessengerClosedError('smtp');
  return Object.assign(new Error(String(data.message)), data);
};

/** Splits `pool` connections over `threads` lanes as evenly as possible (5 over 2: 3 and 2). */
export const splitPool = (pool: number, threads: number): number[] => {
  const lanes = Math.max(1, Math.min(threads, pool));
  return Array.from({ length: lanes }, (_, i) => Math.floor(pool / lanes) + (i < pool % lanes ? 1 : 0));
};

/**
 * `threads` worker threads share the SMTP pool: each has its own nodemailer pool with its share of the
 * connections, and each message goes to the thread with the fewest messages in flight. Several threads let MIME
 * encoding use several cores; the number of connections to the server stays `pool`.
 */
export const createThreadedSmtpMessenger = (options: SmtpMessengerOptions, threads = 1): Messenger => {
  const nodemailerPath = require.resolve('nodemailer');
  const lanes = splitPool(options.pool, threads).map((connections) =>
    createLane(smtpTransportOptions({ ...options, pool: connections }), nodemailerPath),
  );
  let closed = false;

  return {
    name: 'smtp',
    async send(message: OutgoingMessage): Promise<SendResult> {
      if (closed) throw new MessengerClosedError('smtp');
      const mail = toNodemailerMail(message);
      let lane = lanes[0];
      for (const candidate of lanes) if (candidate.load() < lane.load()) lane = candidate;
      return lane.request<SendResult>({ type: 'send', mail }).catch((error) => {
        throw withoutPassword(error, options.auth);
      });
    },
    async verify(): Promise<VerifyResult> {
      const result = await lanes[0].request<VerifyResult>({ type: 'verify' });
      return result.ok ? result : { ok: false, error: redactPassword(result.error, options.auth) };
    },
    async close() {
      closed = true;
      // A shutdown loses nothing: messages already handed to a pool finish (or fail) before its thread ends.
      await Promise.all(lanes.map((lane) => lane.close()));
    },
  };
};

/** One worker thread with its nodemailer pool, started on first use. */
const createLane = (transport: ReturnType<typeof smtpTransportOptions>, nodemailerPath: string) => {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let worker: Worker | null = null;

  // A worker that died (it should not) fails what it had in flight as a connection problem, which the sender
  // retries; the next message starts a new worker.
  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  const start = (): Worker => {
    // A young generation of 8 MB: with V8's default each thread reserved about 46 MB of heap for 10-25 MB in use, 19 MB
    // with it (bench:scale, 100,000 recipients, the same msg/s). Big attachments go to V8's large-object space.
    const created = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { nodemailer: nodemailerPath, transport },
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    created.on('message', (reply: { id: number; result?: unknown; error?: Record<string, unknown> }) => {
      const entry = pending.get(reply.id);
      if (!entry) return;
      pending.delete(reply.id);
      if (reply.error) entry.reject(toError(reply.error));
      else entry.resolve(reply.result);
    });
    const lost = (reason: string) => {
      if (worker === created) worker = null;
      failAll(Object.assign(new Error(`SMTP worker thread stopped: ${reason}`), { code: 'ECONNECTION' }));
    };
    created.on('error', (error) => lost(error.message));
    created.on('exit', (code) => lost(`exit code ${code}`));
    // The pool's sockets keep the worker busy; it never keeps the process alive on its own.
    created.unref();
    return created;
  };

  /** The worker's answer to request `id`, of the request's type. */
  const answer = <T>(id: number): Promise<T> =>
    new Promise<T>((resolve, reject) => pending.set(id, { resolve: (value) => resolve(value as T), reject }));

  // The request is copied to the worker and not kept here (its answer's closure is made apart): a message's body
  // dies young on this thread, however long the relay takes.
  const request = <T>(body: Record<string, unknown>): Promise<T> => {
    if (!worker) worker = start();
    const id = nextId++;
    worker.postMessage({ ...body, id });
    return answer<T>(id);
  };

  return {
    request,
    load: () => pending.size,
    async close() {
      if (!worker) return;
      const current = worker;
      await request({ type: 'close' }).catch(() => undefined);
      worker = null;
      await current.terminate();
    },
  };
};

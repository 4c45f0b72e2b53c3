// A messenger for an email service provider's HTTP API, as an app would write one: each message is POSTed as JSON
// with an API key; the answer's HTTP status is turned into the SMTP-like error the plugin's sender classifies
// (4xx reply codes are soft and retried, 5xx are hard), so failures land in the delivery logs like SMTP ones.

/** The shapes the plugin's messenger registry expects (its `Messenger` interface). */
interface OutgoingMessage {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  html?: string;
  text?: string;
  headers: Record<string, string>;
  messageId: string;
}

export interface EspOptions {
  /** The ESP's send endpoint, e.g. https://api.esp.example/v1/messages */
  url: string;
  apiKey: string;
  timeoutMs?: number;
}

/** An error the sender reads like an SMTP reply: responseCode decides soft or hard, response is logged. */
const espError = (status: number, body: string) => {
  const detail = body.replace(/\s+/g, ' ').trim().slice(0, 500) || 'no details';
  // Rate limits and server errors are temporary (4xx in SMTP terms); a refused API key is our configuration's
  // fault, never the recipient's (like an SMTP AUTH failure); any other 4xx refuses this message for good.
  if (status === 401 || status === 403)
    return Object.assign(new Error(`ESP refused the API key: HTTP ${status} ${detail}`), {
      code: 'EAUTH',
      responseCode: 535,
      response: `535 HTTP ${status} ${detail}`,
    });
  const temporary = status >= 500 || status === 408 || status === 429;
  const responseCode = temporary ? 451 : 554;
  return Object.assign(new Error(`ESP answered HTTP ${status}: ${detail}`), {
    responseCode,
    response: `${responseCode} HTTP ${status} ${detail}`,
  });
};

export const createEspMessenger = (options: EspOptions) => {
  if (!options?.url || !/^https?:\/\//.test(options.url)) throw new Error('url: the ESP endpoint, http(s)://...');
  if (!options.apiKey) throw new Error('apiKey: required');
  const inFlight = new Set<Promise<unknown>>();

  const call = async (body: unknown) => {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    if (!response.ok) throw espError(response.status, text);
    return text ? JSON.parse(text) : {};
  };

  return {
    name: 'http-esp',

    async send(message: OutgoingMessage) {
      const messageId = message.messageId.startsWith('<') ? message.messageId : `<${message.messageId}>`;
      const request = call({
        from: message.from,
        to: message.to,
        replyTo: message.replyTo,
        subject: message.subject,
        html: message.html,
        text: message.text,
        // List-Unsubscribe, List-Unsubscribe-Post and the Message-ID bounces are matched by.
        headers: { ...message.headers, 'Message-ID': messageId },
      });
      inFlight.add(request);
      try {
        const answer = await request;
        return { messageId, response: `ESP accepted ${answer?.id ?? 'the message'}` };
      } finally {
        inFlight.delete(request);
      }
    },

    async verify() {
      try {
        const response = await fetch(options.url, {
          method: 'HEAD',
          headers: { authorization: `Bearer ${options.apiKey}` },
        });
        return response.ok || response.status === 405
          ? { ok: true as const }
          : { ok: false as const, error: `ESP answered HTTP ${response.status}` };
      } catch (error) {
        return { ok: false as const, error: (error as Error).message };
      }
    },

    /** Waits for messages in flight (the plugin refuses new ones once close() was called). */
    async close() {
      await Promise.allSettled([...inFlight]);
    },
  };
};

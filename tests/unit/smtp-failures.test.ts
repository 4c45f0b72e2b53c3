// Send-error classification (failure type, reason, retry) from nodemailer-shaped errors, and the retry backoff.
import {
  backoffDelayMs,
  classifySendError,
  parseEnhancedStatus,
  type SendFailure,
} from '../../server/src/sending/smtp-failures';
import { MessengerClosedError } from '../../server/src/sending/messengers/types';

/** An error shaped as nodemailer's SMTP connection builds it (_formatError): message + code + response + command. */
const nodemailerError = (
  response: string,
  command = 'RCPT TO',
  code = 'EENVELOPE',
  prefix = 'Recipient command failed',
) =>
  Object.assign(new Error(`${prefix}: ${response}`), {
    code,
    response,
    responseCode: Number(response.slice(0, 3)),
    command,
  });
const atData = (response: string) => nodemailerError(response, 'DATA', 'EMESSAGE', 'Message failed');
/** A transport error with no SMTP reply (socket, DNS, timeout), as nodemailer reports it. */
const transportError = (message: string, code?: string, command = 'CONN') =>
  Object.assign(new Error(message), code ? { code, command } : { command });

type Expected = Omit<SendFailure, 'message'>;
const hard = (failureReason: SendFailure['failureReason']): Expected => ({
  failureType: 'hard',
  failureReason,
  retryable: false,
});
const soft = (failureReason: SendFailure['failureReason'], retryable = true): Expected => ({
  failureType: 'soft',
  failureReason,
  retryable,
});

describe('classifySendError: permanent refusals of the address are hard and never retried', () => {
  it.each<[string, unknown, Expected]>([
    [
      'Postfix: 550 5.1.1 user unknown in virtual mailbox table',
      nodemailerError('550 5.1.1 <x@y.test>: Recipient address rejected: User unknown in virtual mailbox table'),
      hard('user_unknown'),
    ],
    [
      'Gmail: multi-line 550-5.1.1 "does not exist"',
      nodemailerError(
        "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser a1-20020a05",
      ),
      hard('user_unknown'),
    ],
    ['no enhanced code: "550 No such user here"', nodemailerError('550 No such user here'), hard('user_unknown')],
    [
      'Microsoft 365: 550 5.4.1 "Recipient address rejected: Access denied" (directory-based edge blocking)',
      nodemailerError(
        '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [AM4PEPF00025F97.eurprd.prod.outlook.com]',
      ),
      hard('user_unknown'),
    ],
    [
      'Outlook.com: 550 5.5.0 "mailbox unavailable"',
      nodemailerError('550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302)'),
      hard('user_unknown'),
    ],
    ['a bare 550 at RCPT TO', nodemailerError('550 Rejected'), hard('user_unknown')],
    [
      '551 user not local',
      nodemailerError('551 User not local; please try <ada@elsewhere.test>'),
      hard('user_unknown'),
    ],
    [
      '553 5.1.3 bad address syntax',
      nodemailerError('553 5.1.3 <ada@@example.test>: Bad recipient address syntax'),
      hard('user_unknown'),
    ],
    [
      '553 "mailbox name not allowed"',
      nodemailerError('553 Requested action not taken: mailbox name not allowed'),
      hard('user_unknown'),
    ],
    [
      '553 5.1.2 domain not found',
      nodemailerError('553 5.1.2 <x@nowhere.test>: Recipient address rejected: Domain not found'),
      hard('invalid_domain'),
    ],
    [
      'qmail: 553 "that domain isn\'t in my list of allowed rcpthosts (#5.7.1)"',
      nodemailerError("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"),
      hard('invalid_domain'),
    ],
    ['a bare 553', nodemailerError('553 Requested action not taken'), hard('invalid_domain')],
    [
      '556 5.1.10 null MX (RFC 7505)',
      nodemailerError('556 5.1.10 Recipient address has null MX'),
      hard('invalid_domain'),
    ],
    [
      '550 5.4.4 unable to route',
      nodemailerError('550 5.4.4 <x@nomx.test>: unable to route: no mail hosts for domain'),
      hard('invalid_domain'),
    ],
    [
      'Gmail: 550 5.2.1 account disabled',
      nodemailerError(
        '550 5.2.1 The email account that you tried to reach is disabled. https://support.google.com/mail/?p=DisabledUser',
      ),
      hard('account_disabled'),
    ],
    ['"inactive" mailbox without enhanced code', nodemailerError('550 Mailbox is inactive'), hard('account_disabled')],
    [
      'Spamhaus block: 554 5.7.1 client host blocked',
      nodemailerError('554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org'),
      hard('refused'),
    ],
    [
      'Gmail: content judged unsolicited at the end of DATA',
      atData('550 5.7.1 Our system has detected that this message is likely unsolicited mail.'),
      hard('refused'),
    ],
    ['Yahoo: 554 5.7.9 policy', atData('554 5.7.9 Message not accepted for policy reasons.'), hard('refused')],
    ['denylist wording', nodemailerError('550 Recipient address rejected: sender is on our denylist'), hard('refused')],
    ['a bare 554', atData('554 Transaction failed'), hard('refused')],
    ['a 5xx that says nothing more, after DATA', atData('550 Rejected'), hard('other')],
  ])('%s', (_name, err, expected) => {
    expect(classifySendError(err)).toMatchObject(expected);
  });
});

describe('classifySendError: temporary refusals are soft and retried', () => {
  it.each<[string, unknown, Expected]>([
    ['451 local problem', nodemailerError('451 4.3.0 Temporary local problem, please try again later'), soft('other')],
    ['450 mailbox busy', nodemailerError('450 4.2.1 Mailbox busy, try again later'), soft('other')],
    [
      'Gmail: 450 4.2.1 receiving mail too fast (not a disabled account)',
      nodemailerError(
        '450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages',
      ),
      soft('other'),
    ],
    [
      'Gmail: 452 4.2.2 over quota',
      nodemailerError('452 4.2.2 The email account that you tried to reach is over quota.'),
      soft('mailbox_full'),
    ],
    [
      '452 insufficient system storage',
      nodemailerError('452 Requested action not taken: insufficient system storage'),
      soft('mailbox_full'),
    ],
    [
      '421 service not available',
      nodemailerError('421 4.4.2 Too many concurrent connections, closing'),
      soft('not_connected'),
    ],
    ['421 bare', nodemailerError('421 Service not available'), soft('not_connected')],
    [
      'Gmail: 421 4.7.0 rate of unsolicited mail',
      nodemailerError(
        '421 4.7.0 Our system has detected an unusual rate of unsolicited mail originating from your IP address.',
      ),
      soft('refused'),
    ],
    [
      'greylisting',
      nodemailerError('451 4.7.1 <x@y.test>: Recipient address rejected: Greylisted, see http://postgrey'),
      soft('other'),
    ],
    [
      '450 4.1.2 domain not found (DNS hiccup at the receiver)',
      nodemailerError('450 4.1.2 <x@nowhere.test>: Recipient address rejected: Domain not found'),
      soft('invalid_domain'),
    ],
    ['451 4.4.7 delivery time expired', atData('451 4.4.7 Delivery time expired'), soft('unreachable')],
  ])('%s', (_name, err, expected) => {
    expect(classifySendError(err)).toMatchObject(expected);
  });
});

describe('classifySendError: a full mailbox is soft even when refused with a 5xx (as Adobe Campaign treats it)', () => {
  it.each<[string, unknown]>([
    ['552 5.2.2 mailbox full', nodemailerError('552 5.2.2 <x@y.test>: Mailbox full')],
    ['552 exceeded storage allocation', atData('552 Requested mail action aborted: exceeded storage allocation')],
    ['550 over quota without enhanced code', nodemailerError('550 User is over quota')],
  ])('%s', (_name, err) => {
    expect(classifySendError(err)).toMatchObject(soft('mailbox_full'));
  });
});

describe('classifySendError: what concerns us, not the address, is never hard', () => {
  it.each<[string, unknown, Expected]>([
    [
      'our credentials refused (535)',
      nodemailerError('535 5.7.8 Authentication credentials invalid', 'AUTH PLAIN', 'EAUTH', 'Invalid login'),
      soft('not_connected', false),
    ],
    [
      'missing credentials (no reply)',
      transportError('Missing credentials for "PLAIN"', 'EAUTH', 'API'),
      soft('not_connected'),
    ],
    [
      'our sender refused at MAIL FROM',
      nodemailerError(
        '550 5.7.1 <news@acme.test>: Sender address rejected: not owned by user',
        'MAIL FROM',
        'EENVELOPE',
        'Mail command failed',
      ),
      soft('refused', false),
    ],
    [
      'Postfix refuses our sender domain at RCPT TO (smtpd_delay_reject), temporarily',
      nodemailerError('450 4.1.8 <news@acme.test>: Sender address rejected: Domain not found'),
      soft('refused'),
    ],
    [
      '5.1.8 bad sender domain',
      nodemailerError('553 5.1.8 <news@acme.test>: Sender domain does not exist'),
      soft('refused', false),
    ],
    [
      'a server that greets with 554 and hangs up',
      Object.assign(transportError('Connection closed unexpectedly: 554 No SMTP service here', 'ECONNECTION', 'CONN'), {
        response: '554 No SMTP service here',
        responseCode: 554,
      }),
      soft('not_connected', false),
    ],
    [
      'our IP refused in the greeting, with the reply kept',
      Object.assign(transportError('Server terminates connection', 'ECONNECTION', 'EHLO'), {
        response: '554 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org',
        responseCode: 554,
      }),
      soft('refused', false),
    ],
    [
      'message too large (5.3.4)',
      atData('552 5.3.4 Message size exceeds fixed maximum message size'),
      soft('other', false),
    ],
    [
      'message too large (client-side SIZE check)',
      transportError('Message size larger than allowed 10240', 'EMESSAGE', 'MAIL FROM'),
      soft('other', false),
    ],
  ])('%s', (_name, err, expected) => {
    expect(classifySendError(err)).toMatchObject(expected);
  });
});

describe('classifySendError: no SMTP reply at all', () => {
  it.each<[string, unknown, Expected]>([
    [
      'server down (ECONNREFUSED, reported by nodemailer as ESOCKET)',
      transportError('connect ECONNREFUSED 127.0.0.1:2525', 'ESOCKET'),
      soft('not_connected'),
    ],
    [
      'connection dropped mid-session',
      transportError('Connection closed unexpectedly', 'ECONNECTION'),
      soft('not_connected'),
    ],
    ['connection timeout', transportError('Connection timeout', 'ETIMEDOUT'), soft('not_connected')],
    ['no greeting', transportError('Greeting never received', 'ETIMEDOUT'), soft('not_connected')],
    [
      'TLS failure',
      transportError('Error initiating TLS - unable to verify the first certificate', 'ETLS'),
      soft('not_connected'),
    ],
    ['DNS: relay host not found', transportError('getaddrinfo ENOTFOUND smtp.acme.test', 'EDNS'), soft('unreachable')],
    [
      'plain Node error: EHOSTUNREACH',
      Object.assign(new Error('connect EHOSTUNREACH 10.0.0.9:25'), { code: 'EHOSTUNREACH' }),
      soft('unreachable'),
    ],
    ['pool closed while queued (no code)', new Error('Connection pool was closed'), soft('not_connected')],
    [
      'connection closed while sending, no re-send',
      new Error('Reached maximum number of retries after connection was closed'),
      soft('not_connected'),
    ],
    [
      'address nodemailer cannot use',
      transportError('Invalid recipient "ada@example.test\\r\\n"', 'EENVELOPE', 'API'),
      hard('user_unknown'),
    ],
    ['a messenger closed by a shutdown', new MessengerClosedError('smtp'), soft('other')],
    ['an unexpected bug', new TypeError("Cannot read properties of undefined (reading 'html')"), soft('other')],
    ['a thrown string', 'boom', soft('other')],
    ['null', null, soft('other')],
  ])('%s', (_name, err, expected) => {
    expect(classifySendError(err)).toMatchObject(expected);
  });
});

describe('classifySendError: input shapes and the logged message', () => {
  it('reads a plain object as well as an Error (an error serialised by a queue or a worker)', () => {
    const serialised = JSON.parse(
      JSON.stringify({ responseCode: 550, response: '550 5.1.1 <x@y.test>: User unknown' }),
    );

    expect(classifySendError(serialised)).toMatchObject(hard('user_unknown'));
  });

  it('finds the reply code in the response text when responseCode is missing', () => {
    expect(classifySendError({ response: '452 4.2.2 Mailbox full', message: 'x' })).toMatchObject(soft('mailbox_full'));
  });

  it('logs the server reply on one line', () => {
    const err = nodemailerError('550-5.1.1 The email account does not exist.\n550 5.1.1 Please check the address.');

    expect(classifySendError(err).message).toBe(
      '550-5.1.1 The email account does not exist. 550 5.1.1 Please check the address.',
    );
  });

  it('logs the error message when there was no reply, and bounds its length', () => {
    expect(classifySendError(new Error('x'.repeat(5000))).message).toHaveLength(1000);
    expect(classifySendError(transportError('Connection timeout', 'ETIMEDOUT')).message).toBe('Connection timeout');
  });
});

describe('parseEnhancedStatus', () => {
  it.each<[string, ReturnType<typeof parseEnhancedStatus>]>([
    ['550 5.1.1 <x@y>: User unknown', { klass: 5, subject: 1, detail: 1 }],
    ['550-5.1.1 first line\n550 5.1.1 last line', { klass: 5, subject: 1, detail: 1 }],
    ['Recipient command failed: 452 4.2.2 Over quota', { klass: 4, subject: 2, detail: 2 }],
    ['556 5.1.10 null MX', { klass: 5, subject: 1, detail: 10 }],
    ['554 Client host [192.0.2.1] blocked', null],
    ["553 that domain isn't in my list of allowed rcpthosts (#5.7.1)", null],
    ['250 2.0.0 Ok', null],
  ])('%s', (text, expected) => {
    expect(parseEnhancedStatus(text)).toEqual(expected);
  });
});

describe('backoffDelayMs', () => {
  it.each<[number, number]>([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [9, 256000],
    [10, 300000],
    [50, 300000],
    [5000, 300000],
    [Number.POSITIVE_INFINITY, 300000],
    [0, 1000],
    [-3, 1000],
    [2.7, 2000],
    [Number.NaN, 1000],
  ])('retry %d waits %d ms by default (1 s, doubling, capped at 5 min)', (attempt, expected) => {
    expect(backoffDelayMs(attempt)).toBe(expected);
  });

  it('takes its base and cap from the caller', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(attempt, 500, 3000))).toEqual([500, 1000, 2000, 3000, 3000]);
  });

  it('never waits with a zero base', () => {
    expect(backoffDelayMs(7, 0)).toBe(0);
  });
});

describe('classifySendError: what a failure says of the relay (outage, login, sender) rather than the recipient', () => {
  const relayOf = (err: unknown) => classifySendError(err).relay ?? null;
  it.each<[string, unknown, SendFailure['relay'] | null]>([
    ['connection refused', transportError('connect ECONNREFUSED 127.0.0.1:2525', 'ESOCKET'), 'outage'],
    ['connection dropped', transportError('Connection closed unexpectedly', 'ECONNECTION'), 'outage'],
    ['timeout', transportError('Timeout', 'ETIMEDOUT'), 'outage'],
    ['host not found', transportError('getaddrinfo ENOTFOUND smtp.example.test', 'EDNS'), 'outage'],
    ['TLS failed', transportError('Client network socket disconnected before secure TLS connection', 'ETLS'), 'outage'],
    ['421 at the greeting', nodemailerError('421 4.3.2 Service shutting down', 'CONN', 'EPROTOCOL'), 'outage'],
    ['421 at RCPT TO closes the channel too', nodemailerError('421 4.3.2 Server shutting down'), 'outage'],
    [
      '451 from a messenger with no SMTP command',
      Object.assign(new Error('ESP answered HTTP 500'), { responseCode: 451, response: '451 HTTP 500' }),
      null,
    ],
    ['454 TLS not available', nodemailerError('454 4.7.0 TLS not available', 'STARTTLS', 'ETLS'), 'outage'],
    ['451 after DATA', atData('451 4.3.0 Local error in processing'), 'outage'],
    ['login refused', nodemailerError('535 5.7.8 Authentication credentials invalid', 'AUTH PLAIN', 'EAUTH'), 'login'],
    ['sender refused', nodemailerError('553 5.1.8 Sender address rejected: Domain not found', 'MAIL FROM'), 'sender'],
    [
      'sender refused at RCPT TO (Postfix)',
      nodemailerError('554 5.7.1 <news@acme.test>: Sender address rejected: Access denied'),
      'sender',
    ],
    ['greylisting is the recipient', nodemailerError('451 4.7.1 Greylisted, please try again'), null],
    ['a full mailbox is the recipient', nodemailerError('452 4.2.2 Mailbox full'), null],
    ['an unknown user is the recipient', nodemailerError('550 5.1.1 User unknown'), null],
    ['spam is the message', atData('554 5.7.1 Message refused as spam'), null],
    ['a bug is not the relay', new Error('render failed'), null],
  ])('%s', (_name, err, relay) => {
    expect(relayOf(err)).toBe(relay);
  });
});

describe('classifySendError: a domain that says we send too fast is throttled, neither the relay nor the recipient', () => {
  it.each<[string, unknown, boolean, SendFailure['relay'] | null]>([
    [
      'Gmail 4.7.28 rate limited',
      nodemailerError(
        '421 4.7.28 Our system has detected an unusual rate of unsolicited mail. To protect our users, mail has been rate limited.',
      ),
      true,
      null,
    ],
    [
      'Yahoo TSS04',
      nodemailerError(
        '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints',
      ),
      true,
      null,
    ],
    ['Outlook server busy', nodemailerError('451 4.7.500 Server busy. Please try again later.'), true, null],
    [
      'the relay closing its own connections',
      nodemailerError('421 4.4.2 Too many concurrent connections, closing'),
      false,
      'outage',
    ],
    ['greylisting', nodemailerError('451 4.7.1 Greylisted, please try again'), false, null],
    ['rate text outside RCPT TO', nodemailerError('421 4.7.0 rate limited', 'MAIL FROM'), false, 'outage'],
  ])('%s', (_name, err, throttled, relay) => {
    const failure = classifySendError(err);
    expect(Boolean(failure.throttled)).toBe(throttled);
    expect(failure.relay ?? null).toBe(relay);
  });
});

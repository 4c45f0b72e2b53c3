// Classification of tracking hits against real-world user agents, the timing rule, and click-burst detection.
import type { FlagReason } from '../../shared/constants';
import {
  APPLE_PRIVACY_PROTECTION_CLIENT,
  ClickBurstDetector,
  classifyHit,
  createHitClassifier,
  type HitClassification,
} from '../../server/src/tracking/classify';

const UA = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  firefoxUbuntu: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  chromeMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  chromeOs:
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  androidChrome:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
  androidChromeReduced:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  androidTablet:
    'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  androidGmailWebView:
    'Mozilla/5.0 (Linux; Android 14; Pixel 7 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36',
  iphoneSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  ipadSafari:
    'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  outlookWindows: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
  outlookWordEngine:
    'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; Microsoft Outlook 16.0.5413; ms-office; MSOffice 16)',
  outlookMsOffice: 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)',
  outlookMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Microsoft Outlook/16.84',
  outlookIos: 'Outlook-iOS/709.2189947.prod.iphone (3.24.0)',
  thunderbirdWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Thunderbird/115.0',
  thunderbirdLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.0',
  appleMailMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  iosMail:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  ipadMail: 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  gmailProxy: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  yahooProxy: 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html',
  applePrefetch: 'Mozilla/5.0',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  curl: 'curl/8.5.0',
  pythonRequests: 'python-requests/2.31.0',
  barracuda: 'Mozilla/5.0 (compatible; Barracuda Sentinel (EE))',
  officeExistenceDiscovery: 'Microsoft Office Existence Discovery',
  proofpoint:
    'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.113 Safari/537.36 ProofpointURLDefense',
  bingPreview:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.1938.76 Safari/537.36 BingPreview/1.0b',
  headlessChrome:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36',
};

const person = (device: HitClassification['device'], os: string | null, client: string | null): HitClassification => ({
  device,
  os,
  client,
  isBot: false,
  isMachineOpen: false,
  flagReason: null,
});
const bot = (
  device: HitClassification['device'],
  os: string | null,
  client: string | null,
  flagReason: FlagReason,
): HitClassification => ({
  ...person(device, os, client),
  isBot: true,
  flagReason,
});
const applePrefetch: HitClassification = {
  device: 'unknown',
  os: null,
  client: APPLE_PRIVACY_PROTECTION_CLIENT,
  isBot: false,
  isMachineOpen: true,
  flagReason: 'applePrivacyProtection',
};

describe('classifyHit: an open, by user agent', () => {
  it.each<[string, string | undefined, HitClassification]>([
    ['Chrome on Windows', UA.chromeWindows, person('desktop', 'Windows', 'Chrome')],
    ['Firefox on Windows', UA.firefoxWindows, person('desktop', 'Windows', 'Firefox')],
    ['Firefox on Ubuntu', UA.firefoxUbuntu, person('desktop', 'Ubuntu', 'Firefox')],
    ['Edge on Windows', UA.edgeWindows, person('desktop', 'Windows', 'Edge')],
    ['Safari on macOS', UA.safariMac, person('desktop', 'macOS', 'Safari')],
    ['Chrome on macOS', UA.chromeMac, person('desktop', 'macOS', 'Chrome')],
    ['Chrome on a Chromebook', UA.chromeOs, person('desktop', 'Chrome OS', 'Chrome')],
    ['Chrome on an Android phone', UA.androidChrome, person('mobile', 'Android', 'Chrome')],
    ['Chrome on Android with the reduced user agent', UA.androidChromeReduced, person('mobile', 'Android', 'Chrome')],
    ['Chrome on an Android tablet', UA.androidTablet, person('tablet', 'Android', 'Chrome')],
    ['the Gmail Android app web view', UA.androidGmailWebView, person('mobile', 'Android', 'Chrome WebView')],
    ['Safari on an iPhone', UA.iphoneSafari, person('mobile', 'iOS', 'Safari')],
    ['Safari on an iPad', UA.ipadSafari, person('tablet', 'iOS', 'Safari')],
    ['Outlook for Windows', UA.outlookWindows, person('desktop', 'Windows', 'Outlook')],
    ['Outlook rendering with the Word engine', UA.outlookWordEngine, person('desktop', 'Windows', 'Outlook')],
    ['Outlook with a bare ms-office agent', UA.outlookMsOffice, person('unknown', null, 'Outlook')],
    ['Outlook for Mac', UA.outlookMac, person('desktop', 'macOS', 'Outlook')],
    ['Outlook for iOS', UA.outlookIos, person('mobile', 'iOS', 'Outlook')],
    ['Thunderbird on Windows', UA.thunderbirdWindows, person('desktop', 'Windows', 'Thunderbird')],
    ['Thunderbird on Linux', UA.thunderbirdLinux, person('desktop', 'Linux', 'Thunderbird')],
    ['Apple Mail on macOS', UA.appleMailMac, person('desktop', 'macOS', 'Apple Mail')],
    ['Mail on an iPhone', UA.iosMail, person('mobile', 'iOS', 'iOS Mail')],
    ['Mail on an iPad', UA.ipadMail, person('tablet', 'iOS', 'iOS Mail')],
    ['the Gmail image proxy', UA.gmailProxy, person('unknown', null, 'Gmail')],
    ['the Yahoo Mail image proxy', UA.yahooProxy, person('unknown', null, 'Yahoo Mail')],
    ['Googlebot', UA.googlebot, bot('unknown', null, null, 'botUserAgent')],
    ['curl', UA.curl, bot('unknown', null, null, 'botUserAgent')],
    ['python-requests', UA.pythonRequests, bot('unknown', null, null, 'botUserAgent')],
    ['an empty user agent', '', bot('unknown', null, null, 'noUserAgent')],
    ['a blank user agent', '   ', bot('unknown', null, null, 'noUserAgent')],
    ['no user agent at all', undefined, bot('unknown', null, null, 'noUserAgent')],
    ['a Barracuda link scanner', UA.barracuda, bot('unknown', null, null, 'linkScanner')],
    ["Office's link existence check", UA.officeExistenceDiscovery, bot('unknown', null, null, 'linkScanner')],
    ['a Proofpoint URL Defense scanner', UA.proofpoint, bot('desktop', 'Windows', null, 'linkScanner')],
    ['Bing link preview', UA.bingPreview, bot('desktop', 'Windows', null, 'botUserAgent')],
    ['headless Chrome', UA.headlessChrome, bot('desktop', 'Linux', null, 'headlessBrowser')],
    [
      'PhantomJS',
      'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1',
      bot('desktop', 'Linux', null, 'headlessBrowser'),
    ],
  ])('an open by %s is classified as shown', (_, userAgent, expected) => {
    expect(classifyHit({ type: 'open', userAgent, ip: '203.0.113.9' })).toEqual(expected);
  });
});

describe('classifyHit: Apple Mail Privacy Protection', () => {
  it.each<[string, string, string]>([
    ['the bare "Mozilla/5.0" agent', UA.applePrefetch, '203.0.113.9'],
    ['the bare agent with surrounding spaces', '  Mozilla/5.0 ', '203.0.113.9'],
    ["a normal agent from Apple's network", UA.safariMac, '17.58.101.4'],
    ["a normal agent from Apple's network seen by a dual-stack socket", UA.appleMailMac, '::ffff:17.1.2.3'],
    ["no agent at all from Apple's network", '', '17.0.0.1'],
  ])('an open with %s is a machine open, not a bot and not a person', (_, userAgent, ip) => {
    expect(classifyHit({ type: 'open', userAgent, ip })).toEqual(applePrefetch);
  });

  it("a normal agent from just outside Apple's network is a person", () => {
    expect(classifyHit({ type: 'open', userAgent: UA.safariMac, ip: '18.0.0.1' })).toEqual(
      person('desktop', 'macOS', 'Safari'),
    );
  });

  it("a click from Apple's network is a person's click: only opens are prefetched", () => {
    expect(
      classifyHit({ type: 'click', userAgent: UA.iphoneSafari, ip: '17.58.101.4', secondsSinceSent: 600 }),
    ).toEqual(person('mobile', 'iOS', 'Safari'));
  });

  it('a click with the bare "Mozilla/5.0" agent is a bot, not a machine open', () => {
    expect(classifyHit({ type: 'click', userAgent: UA.applePrefetch, secondsSinceSent: 600 })).toEqual(
      bot('unknown', null, null, 'botUserAgent'),
    );
  });
});

describe('classifyHit: the timing rule', () => {
  it.each<[string, Parameters<typeof classifyHit>[0], boolean]>([
    ['a click 3 s after sending', { type: 'click', userAgent: UA.chromeWindows, secondsSinceSent: 3 }, true],
    ['a click 0 s after sending', { type: 'click', userAgent: UA.chromeWindows, secondsSinceSent: 0 }, true],
    ['a click 10 s after sending', { type: 'click', userAgent: UA.chromeWindows, secondsSinceSent: 10 }, false],
    ['a click an hour after sending', { type: 'click', userAgent: UA.chromeWindows, secondsSinceSent: 3600 }, false],
    [
      'a click whose send time is unknown',
      { type: 'click', userAgent: UA.chromeWindows, secondsSinceSent: null },
      false,
    ],
    ['a click without send time', { type: 'click', userAgent: UA.chromeWindows }, false],
    [
      'a click 20 s after sending with a 30 s window',
      { type: 'click', userAgent: UA.chromeWindows, secondsSinceSent: 20, scannerWindowSeconds: 30 },
      true,
    ],
    [
      'a click 2 s after sending with the window turned off',
      { type: 'click', userAgent: UA.chromeWindows, secondsSinceSent: 2, scannerWindowSeconds: 0 },
      false,
    ],
    ['a quick click through the Gmail proxy', { type: 'click', userAgent: UA.gmailProxy, secondsSinceSent: 2 }, true],
    ['a quick click in Outlook', { type: 'click', userAgent: UA.outlookWindows, secondsSinceSent: 2 }, true],
    ['an open 1 s after sending', { type: 'open', userAgent: UA.chromeWindows, secondsSinceSent: 1 }, false],
    [
      'an unsubscribe page view 1 s after sending',
      { type: 'unsubscribe', userAgent: UA.chromeWindows, secondsSinceSent: 1 },
      false,
    ],
    ['a mirror view 1 s after sending', { type: 'mirror', userAgent: UA.chromeWindows, secondsSinceSent: 1 }, false],
  ])('%s: bot is %p', (_, input, isBot) => {
    const result = classifyHit(input);

    expect(result.isBot).toBe(isBot);
    expect(result.isMachineOpen).toBe(false);
  });

  it('a scanner flagged by timing keeps the device and client its agent claims, so reports can still break it down', () => {
    expect(classifyHit({ type: 'click', userAgent: UA.chromeWindows, secondsSinceSent: 1 })).toEqual(
      bot('desktop', 'Windows', 'Chrome', 'scannerWindow'),
    );
  });

  it('a known bot clicking within the window is flagged for its user agent, the rule a reader checks first', () => {
    expect(classifyHit({ type: 'click', userAgent: UA.googlebot, secondsSinceSent: 1 }).flagReason).toBe(
      'botUserAgent',
    );
  });

  it('a person clicking after the window has no flag and no reason', () => {
    expect(classifyHit({ type: 'click', userAgent: UA.chromeWindows, secondsSinceSent: 60 }).flagReason).toBeNull();
  });
});

describe('classifyHit: headless and automated browsers are bots, never an email client', () => {
  const chrome = 'AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
  it.each<[string, string]>([
    ['HeadlessChrome', UA.headlessChrome],
    [
      'HeadlessChrome on Windows (new headless mode of Puppeteer and Playwright)',
      `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36`,
    ],
    [
      'PhantomJS',
      'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1',
    ],
    ['SlimerJS', 'Mozilla/5.0 (X11; Linux x86_64; rv:60.0) Gecko/20100101 SlimerJS/1.0.0'],
    ['Puppeteer', `Mozilla/5.0 (X11; Linux x86_64) ${chrome} Puppeteer`],
    ['Playwright', `Mozilla/5.0 (X11; Linux x86_64) ${chrome} Playwright/1.44.0`],
    ['Selenium', 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0 Selenium/4.20'],
    ['WebDriver', `Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${chrome} WebDriver`],
    ['Chrome-Lighthouse', `Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${chrome} Chrome-Lighthouse`],
    ['Cypress', `Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${chrome} Cypress/13.8.1`],
    ['HtmlUnit', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0 HtmlUnit'],
  ])('an open by %s is a headless browser bot with no client', (_, userAgent) => {
    const result = classifyHit({ type: 'open', userAgent, ip: '203.0.113.9' });

    expect(result).toMatchObject({ isBot: true, isMachineOpen: false, flagReason: 'headlessBrowser', client: null });
  });

  it('a click by a headless browser long after sending is still a bot, for its user agent', () => {
    const userAgent = `Mozilla/5.0 (X11; Linux x86_64) ${chrome} Puppeteer`;
    expect(classifyHit({ type: 'click', userAgent, secondsSinceSent: 3600 })).toMatchObject({
      isBot: true,
      flagReason: 'headlessBrowser',
    });
  });

  it('the Chrome a person reads with is not taken for a headless one', () => {
    expect(classifyHit({ type: 'open', userAgent: UA.chromeWindows })).toMatchObject({
      isBot: false,
      flagReason: null,
      client: 'Chrome',
    });
  });
});

describe('createHitClassifier', () => {
  it('gives the same answers when its user agent cache is tiny and keeps evicting', () => {
    const classify = createHitClassifier({ cacheSize: 2 });
    const agents = [UA.chromeWindows, UA.iosMail, UA.googlebot, UA.gmailProxy, UA.chromeWindows, UA.outlookMac];

    for (const userAgent of [...agents, ...agents]) {
      expect(classify({ type: 'open', userAgent })).toEqual(classifyHit({ type: 'open', userAgent }));
    }
  });

  it('a cached answer is a fresh object: changing one result does not change the next', () => {
    const first = classifyHit({ type: 'open', userAgent: UA.safariMac });
    first.client = 'changed';

    expect(classifyHit({ type: 'open', userAgent: UA.safariMac }).client).toBe('Safari');
  });
});

describe('ClickBurstDetector', () => {
  const LOG = 101;

  it('a scanner clicking every link of a three-link message within a second is caught on the last link', () => {
    const detector = new ClickBurstDetector();

    expect([
      detector.observe(LOG, 1, 1_000, 3),
      detector.observe(LOG, 2, 1_300, 3),
      detector.observe(LOG, 3, 1_600, 3),
      detector.observe(LOG, 1, 1_900, 3),
    ]).toEqual([false, false, true, true]);
  });

  it('a person clicking every link over a minute is not a burst', () => {
    const detector = new ClickBurstDetector();

    expect([
      detector.observe(LOG, 1, 0, 3),
      detector.observe(LOG, 2, 20_000, 3),
      detector.observe(LOG, 3, 60_000, 3),
    ]).toEqual([false, false, false]);
  });

  it('clicks that fell out of the window no longer count', () => {
    const detector = new ClickBurstDetector({ windowMs: 5_000 });

    expect([
      detector.observe(LOG, 1, 0, 3),
      detector.observe(LOG, 2, 1_000, 3),
      detector.observe(LOG, 3, 5_500, 3),
    ]).toEqual([false, false, false]);
  });

  it('two quick clicks on both links of a two-link message are a burst', () => {
    const detector = new ClickBurstDetector();

    expect([detector.observe(LOG, 1, 0, 2), detector.observe(LOG, 2, 200, 2)]).toEqual([false, true]);
  });

  it('a quick click on the only link of a message is never a burst', () => {
    const detector = new ClickBurstDetector();

    expect(detector.observe(LOG, 1, 0, 1)).toBe(false);
  });

  it('repeated clicks on the same link are not a burst', () => {
    const detector = new ClickBurstDetector();

    expect([0, 100, 200, 300, 400].map((at) => detector.observe(LOG, 1, at, 3))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('clicking most but not all links at once is not a burst', () => {
    const detector = new ClickBurstDetector();

    expect([1, 2, 3, 4].map((link, i) => detector.observe(LOG, link, i * 100, 5))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('clicks of different recipients are never added together', () => {
    const detector = new ClickBurstDetector();

    expect([detector.observe(1, 1, 0, 2), detector.observe(2, 2, 100, 2)]).toEqual([false, false]);
  });

  it('test sends (deliveryLogId 0) are never a burst, however they are clicked', () => {
    const detector = new ClickBurstDetector();

    expect([detector.observe(0, 1, 0, 2), detector.observe(0, 2, 100, 2)]).toEqual([false, false]);
    expect(detector.size).toBe(0);
  });

  it('memory stays bounded: at most maxEntries recipients are remembered, the stalest dropped first', () => {
    const detector = new ClickBurstDetector({ maxEntries: 100 });

    for (let log = 1; log <= 1_000; log += 1) detector.observe(log, 1, 1_000, 3);
    detector.observe(1_000, 2, 1_001, 2);

    expect(detector.size).toBe(100);
    expect(detector.observe(1_000, 3, 1_002, 3)).toBe(true);
  });

  it('recipients quiet for longer than the window are forgotten', () => {
    const detector = new ClickBurstDetector({ windowMs: 5_000 });

    for (let log = 1; log <= 50; log += 1) detector.observe(log, 1, 0, 3);
    detector.observe(999, 1, 10_000, 3);

    expect(detector.size).toBe(1);
  });
});

// Classification of tracking hits (device, OS, mail client, bot, machine open) and click-burst detection.
// Hits are flagged, never dropped: reports choose whether to show bots and machine opens.

import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';
import type { DeviceType, FlagReason, TrackingEventType } from '../../../shared/constants';
import { isInCidr } from '../platform/ip';

export interface HitInput {
  type: TrackingEventType;
  userAgent?: string;
  ip?: string;
  /** Seconds between the message being sent and this hit; null or absent when unknown. */
  secondsSinceSent?: number | null;
  /** A click sooner than this after sending is a link scanner, not a person. Default 10. */
  scannerWindowSeconds?: number;
}

export interface HitClassification {
  device: DeviceType;
  os: string | null;
  client: string | null;
  isBot: boolean;
  /** An open made by software on the recipient's behalf (Apple Mail Privacy Protection prefetch). */
  isMachineOpen: boolean;
  /** Why isBot or isMachineOpen is set (null when neither is): shown beside the event in the tracking logs. */
  flagReason: FlagReason | null;
}

export interface HitClassifierOptions {
  /** How many distinct user agents keep their parsed form (parsing one costs ~60-90 µs, a lookup well under 1). */
  cacheSize?: number;
}

export const DEFAULT_SCANNER_WINDOW_SECONDS = 10;
export const APPLE_PRIVACY_PROTECTION_CLIENT = 'Apple Mail (Privacy Protection)';

// ua-parser-js reads no further than 500 characters; a longer header only costs memory in the cache.
const MAX_USER_AGENT_LENGTH = 512;
// Apple Mail Privacy Protection fetches every remote image on arrival from Apple's own network, with this bare UA.
const APPLE_NETWORK = '17.0.0.0/8';
const APPLE_PREFETCH_USER_AGENT = 'Mozilla/5.0';

// Security gateways that fetch every link of an incoming message to scan it, and which isbot does not know.
const LINK_SCANNER_PATTERN = new RegExp(
  [
    'barracuda|mimecast|proofpoint|messagelabs|symantec|trend ?micro|forcepoint|fortiguard|sophos|ironport|appriver',
    'zscaler|microsoft office existence discovery',
  ].join('|'),
  'i',
);

// Headless and automated browsers (test runners, crawlers, page audits): software, not a person reading mail. Some
// are known to isbot, not all (Puppeteer, WebDriver); they are told apart so the tracking logs can say which.
const HEADLESS_PATTERN =
  /HeadlessChrome|\bHeadless\b|PhantomJS|SlimerJS|Puppeteer|Playwright|Selenium|WebDriver|Chrome-Lighthouse|Cypress|HtmlUnit|\bjsdom\b/i;

// Mail clients fetch images for a person reading the message: never bots, whatever isbot thinks. The third item is
// the OS the client's own user agent implies, for when ua-parser-js finds none ("Outlook-iOS/709... (3.24.0)").
const MAIL_CLIENT_PATTERNS: [RegExp, string, string?][] = [
  [/Outlook-iOS/i, 'Outlook', 'iOS'],
  [/Outlook-?Android/i, 'Outlook', 'Android'],
  [/Microsoft Outlook|\bms-office\b|\bMSOffice\b/i, 'Outlook'],
  [/\bThunderbird\//, 'Thunderbird'],
];

// ua-parser-js 1.x (MIT) names some systems differently from 2.x (AGPL, which we do not use): reports keep the
// current names, so stored values do not change with the parser's version.
const OS_NAMES: Record<string, string> = { 'Mac OS': 'macOS', 'Chromium OS': 'Chrome OS' };

const DESKTOP_OS = new Set(
  [
    'Windows|macOS|Chrome OS|Linux|Ubuntu|Kubuntu|Xubuntu|Debian|Fedora|Mint|Arch|Manjaro|CentOS|RedHat|SUSE|Gentoo',
    'Slackware|Mageia|Mandriva|PCLinuxOS|elementary OS|Deepin|Raspbian|FreeBSD|OpenBSD|NetBSD|DragonFly|GhostBSD',
    'PC-BSD|Solaris|Unix|Haiku',
  ]
    .join('|')
    .split('|'),
);

/** What the user agent alone says; cached per user agent string. */
interface UserAgentFacts {
  device: DeviceType;
  os: string | null;
  client: string | null;
  /** A headless browser, isbot or a known link scanner; a recognised mail client or mail proxy is never one. */
  isBot: boolean;
  /** Which of those it is (null when not a bot). */
  botReason: FlagReason | null;
}

const toDevice = (deviceType: string | undefined, os: string | null, browser: string | null): DeviceType => {
  if (deviceType === 'mobile' || deviceType === 'wearable') return 'mobile';
  if (deviceType === 'tablet') return 'tablet';
  if (deviceType !== undefined) return 'unknown'; // TVs, consoles, headsets: not what "device" reports are about
  return (os !== null && DESKTOP_OS.has(os)) || (os === null && browser !== null) ? 'desktop' : 'unknown';
};

/**
 * Apple's Mail apps render with WebKit and, unlike Safari and in-app browsers, add neither "Version/" nor "Safari/";
 * ua-parser-js then only knows the engine, which it reports as the browser "WebKit".
 */
const isAppleMailApp = (userAgent: string, browser: string | null): boolean =>
  /AppleWebKit\//.test(userAgent) &&
  !/Safari\/|Version\//.test(userAgent) &&
  (browser === null || browser === 'WebKit');

const parseUserAgent = (userAgent: string): UserAgentFacts => {
  if (userAgent === '') return { device: 'unknown', os: null, client: null, isBot: true, botReason: 'noUserAgent' };
  // Gmail and Yahoo fetch images through their proxies when a person opens the message: a real open, device unknown.
  const person = { isBot: false, botReason: null };
  if (userAgent.includes('GoogleImageProxy')) return { device: 'unknown', os: null, client: 'Gmail', ...person };
  if (userAgent.includes('YahooMailProxy')) return { device: 'unknown', os: null, client: 'Yahoo Mail', ...person };

  const parser = new UAParser(userAgent);
  const browser = parser.getBrowser().name ?? null;
  const osName = parser.getOS().name;
  const os = osName === undefined ? null : (OS_NAMES[osName] ?? osName);
  const device = toDevice(parser.getDevice().type, os, browser);

  const mailClient = MAIL_CLIENT_PATTERNS.find(([pattern]) => pattern.test(userAgent));
  if (mailClient) return { device, os: os ?? mailClient[2] ?? null, client: mailClient[1], ...person };
  if (os === 'macOS' && isAppleMailApp(userAgent, browser)) return { device, os, client: 'Apple Mail', ...person };
  if (os === 'iOS' && /Mobile\//.test(userAgent) && isAppleMailApp(userAgent, browser)) {
    return { device, os, client: 'iOS Mail', ...person };
  }

  // Reports group by browser product; the device column already says whether it was a phone.
  // A bot (a headless browser, an automation tool, a link scanner posing as Chrome) is no one's mail client: the
  // client report, with bots included, must not list "Chrome Headless" beside Gmail and Outlook.
  // The most specific rule names the reason: isbot knows some headless browsers and scanners too.
  const botReason: FlagReason | null = HEADLESS_PATTERN.test(userAgent)
    ? 'headlessBrowser'
    : LINK_SCANNER_PATTERN.test(userAgent)
      ? 'linkScanner'
      : isbot(userAgent)
        ? 'botUserAgent'
        : null;
  const isBot = botReason !== null;
  const client = browser === null || isBot ? null : browser.replace(/^Mobile /, '');
  return { device, os, client, isBot, botReason };
};

/** A classifier with its own user agent cache; `classifyHit` is the shared default one. */
export const createHitClassifier = ({ cacheSize = 10_000 }: HitClassifierOptions = {}) => {
  const cache = new Map<string, UserAgentFacts>();

  const factsOf = (userAgent: string): UserAgentFacts => {
    let facts = cache.get(userAgent);
    if (facts === undefined) {
      facts = parseUserAgent(userAgent);
      // First in, first out: cheaper than LRU bookkeeping, and common user agents come straight back.
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
      if (cacheSize > 0) cache.set(userAgent, facts);
    }
    return facts;
  };

  return (input: HitInput): HitClassification => {
    const userAgent = typeof input.userAgent === 'string' ? input.userAgent.trim().slice(0, MAX_USER_AGENT_LENGTH) : '';

    if (input.type === 'open') {
      const fromAppleNetwork = typeof input.ip === 'string' && isInCidr(input.ip, APPLE_NETWORK);
      if (userAgent === APPLE_PREFETCH_USER_AGENT || fromAppleNetwork) {
        // The image was fetched on arrival, not when read: neither a person's open nor a bot.
        return {
          device: 'unknown',
          os: null,
          client: APPLE_PRIVACY_PROTECTION_CLIENT,
          isBot: false,
          isMachineOpen: true,
          flagReason: 'applePrivacyProtection',
        };
      }
    }

    const facts = factsOf(userAgent);
    const scannerWindow = input.scannerWindowSeconds ?? DEFAULT_SCANNER_WINDOW_SECONDS;
    // Security gateways follow every link as the message arrives; nobody reads and clicks that fast.
    const clickedTooSoon =
      input.type === 'click' &&
      typeof input.secondsSinceSent === 'number' &&
      !Number.isNaN(input.secondsSinceSent) &&
      input.secondsSinceSent < scannerWindow;

    return {
      device: facts.device,
      os: facts.os,
      client: facts.client,
      isBot: facts.isBot || clickedTooSoon,
      isMachineOpen: false,
      // The user agent first: a known bot is one whenever it clicks.
      flagReason: facts.botReason ?? (clickedTooSoon ? 'scannerWindow' : null),
    };
  };
};

export type HitClassifier = ReturnType<typeof createHitClassifier>;

export const classifyHit: HitClassifier = createHitClassifier();

export interface ClickBurstOptions {
  /** Clicks further apart than this are not one burst. Default 5,000 ms. */
  windowMs?: number;
  /** Fewest distinct links a burst needs, so one quick click on a one-link message is never a scanner. Default 2. */
  minDistinctLinks?: number;
  /** Most recipients remembered at once; the least recently active are forgotten first. Default 100,000. */
  maxEntries?: number;
}

interface RecentClicks {
  lastAt: number;
  /** trackedLinkId -> time of its latest click */
  links: Map<number, number>;
}

/**
 * Spots link scanners by what they do rather than what they say: a scanner follows every link of a message within
 * seconds, a person does not. It remembers only the current process's recent clicks, so with several replicas a
 * burst split across them goes unseen; the per-click timing rule of classifyHit still applies there.
 */
export class ClickBurstDetector {
  private readonly windowMs: number;
  private readonly minDistinctLinks: number;
  private readonly maxEntries: number;
  // Map order is recency order: an observed recipient is re-inserted, so the stalest sit at the front.
  private readonly recipients = new Map<number, RecentClicks>();
  // When the stale front is next dropped. A Map keeps a deleted entry's slot until it grows or is rehashed, and every
  // re-insertion leaves one at the front, so each walk from the front steps over thousands of them with many
  // recipients clicking (bench/README.md, what a click's rollups cost): walked once per tenth of the window instead.
  private nextForgetAt = -Infinity;

  constructor({ windowMs = 5_000, minDistinctLinks = 2, maxEntries = 100_000 }: ClickBurstOptions = {}) {
    this.windowMs = windowMs;
    this.minDistinctLinks = Math.max(2, minDistinctLinks);
    this.maxEntries = Math.max(1, maxEntries);
  }

  /**
   * Records a click and tells whether it belongs to a burst: every tracked link of the message (and at least
   * `minDistinctLinks` distinct ones) clicked by this recipient within the window. Clicks of a burst before the one
   * that completes it return false; the caller may flag them afterwards.
   */
  observe(deliveryLogId: number, trackedLinkId: number, atMs: number, totalTrackedLinks: number): boolean {
    // Test sends all share deliveryLogId 0 and are never recorded: mixing them would invent bursts.
    if (deliveryLogId <= 0 || !Number.isFinite(atMs)) return false;
    if (atMs >= this.nextForgetAt) {
      this.forgetOlderThan(atMs - this.windowMs);
      this.nextForgetAt = atMs + this.windowMs / 10;
    }

    let recent = this.recipients.get(deliveryLogId);
    if (recent === undefined) {
      recent = { lastAt: atMs, links: new Map() };
    } else {
      this.recipients.delete(deliveryLogId);
      for (const [linkId, at] of recent.links) if (at < atMs - this.windowMs) recent.links.delete(linkId);
    }
    recent.lastAt = Math.max(recent.lastAt, atMs);
    recent.links.set(trackedLinkId, Math.max(recent.links.get(trackedLinkId) ?? atMs, atMs));
    this.recipients.set(deliveryLogId, recent);
    while (this.recipients.size > this.maxEntries)
      this.recipients.delete(this.recipients.keys().next().value as number);

    return recent.links.size >= Math.max(totalTrackedLinks, this.minDistinctLinks);
  }

  /** How many recipients are remembered (for tests and monitoring). */
  get size(): number {
    return this.recipients.size;
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [deliveryLogId, recent] of this.recipients) {
      if (recent.lastAt >= cutoff) break;
      this.recipients.delete(deliveryLogId);
    }
  }
}

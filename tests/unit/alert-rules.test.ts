// Delivery alert criteria: which facts raise which alert, with which dedupe day, as tables of cases.
import { configSchema } from '../../shared/config-schema';
import {
  alertRoles,
  dedupeKey,
  formatPercent,
  periodicAlerts,
  transitionAlerts,
  type ActivityFacts,
  type AlertsConfig,
  type DeliveryFacts,
} from '../../server/src/monitoring/alert-rules';
import {
  computeIndicators,
  emptyIndicatorCounts,
  type IndicatorCounts,
} from '../../server/src/reporting/indicator-formulas';

const NOW = new Date('2026-03-10T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

const alertsConfig = (overrides: Record<string, unknown> = {}): AlertsConfig =>
  configSchema.parse({ alerts: overrides }).alerts;
const allOn = alertsConfig({ criteria: { deliveryStarted: { enabled: true }, deliveryFinished: { enabled: true } } });

const delivery = (overrides: Partial<DeliveryFacts>): DeliveryFacts => ({
  id: 7,
  name: 'Spring news',
  status: 'sending',
  scheduledAt: null,
  sendAfter: null,
  startedAt: minutesAgo(60),
  preparedAt: minutesAgo(59),
  finishedAt: null,
  updatedAt: minutesAgo(1),
  sendRate: null,
  lastError: null,
  ...overrides,
});

const activity = (counts: Partial<IndicatorCounts>, sentInWindow = 0, duePending = 0): ActivityFacts => ({
  indicators: computeIndicators({ ...emptyIndicatorCounts(), ...counts }),
  sentInWindow,
  duePending,
});

const criteriaOf = (alerts: Array<{ criterion: string }>) => alerts.map((alert) => alert.criterion).sort();

describe('alert defaults', () => {
  it('follow Adobe Campaign: problems on (5 % bounce ratios, 30 minutes start delay), started / finished notices off', () => {
    const config = alertsConfig();

    expect(config.enabled).toBe(true);
    expect(alertRoles(config)).toEqual(['strapi-super-admin']);
    expect(alertRoles(alertsConfig({ roles: [] }))).toEqual([]);
    expect(config.criteria.softBounceRatio).toEqual({ enabled: true, percent: 5 });
    expect(config.criteria.hardBounceRatio).toEqual({ enabled: true, percent: 5 });
    expect(config.criteria.scheduledNotStarted).toEqual({ enabled: true, delayMinutes: 30 });
    expect(config.criteria.throughputBelow).toEqual({ enabled: true, perMinute: 10 });
    expect(config.criteria.deliveryFailed.enabled && config.criteria.preparationFailed.enabled).toBe(true);
    expect(config.criteria.deliveryStarted.enabled || config.criteria.deliveryFinished.enabled).toBe(false);
  });
});

describe('transitionAlerts', () => {
  it.each<[string, Partial<DeliveryFacts>, string[]]>([
    [
      'failed after preparation: delivery failed (and it had started)',
      { status: 'failed', finishedAt: minutesAgo(1) },
      ['deliveryFailed', 'deliveryStarted'],
    ],
    [
      'failed before preparation: preparation failed only',
      { status: 'failed', preparedAt: null, finishedAt: minutesAgo(1) },
      ['preparationFailed'],
    ],
    ['sending, started a minute ago', { status: 'sending', startedAt: minutesAgo(1) }, ['deliveryStarted']],
    [
      'sent: started and finished',
      { status: 'sent', startedAt: minutesAgo(20), finishedAt: minutesAgo(1) },
      ['deliveryFinished', 'deliveryStarted'],
    ],
    ['preparing: not started yet', { status: 'preparing', startedAt: minutesAgo(1), preparedAt: null }, []],
    [
      'cancelled before preparation: nothing',
      { status: 'cancelled', preparedAt: null, finishedAt: minutesAgo(1), startedAt: minutesAgo(2) },
      [],
    ],
    ['draft: nothing', { status: 'draft', startedAt: null, preparedAt: null }, []],
    [
      'transitions older than the 2 hour lookback: nothing',
      { status: 'sent', startedAt: minutesAgo(300), finishedAt: minutesAgo(180) },
      [],
    ],
    [
      'failed without finishedAt: judged on updatedAt',
      { status: 'failed', finishedAt: null, startedAt: minutesAgo(300), updatedAt: minutesAgo(3) },
      ['deliveryFailed'],
    ],
  ])('%s', (_name, facts, expected) => {
    expect(criteriaOf(transitionAlerts(delivery(facts), allOn, NOW))).toEqual(expected);
  });

  it('belongs to the day of the transition, so a check after midnight does not raise it again', () => {
    const lateEvening = new Date('2026-03-09T23:59:00Z');
    const [alert] = transitionAlerts(
      delivery({ status: 'failed', finishedAt: lateEvening }),
      alertsConfig(),
      new Date('2026-03-10T00:05:00Z'),
    );

    expect(alert.criterion).toBe('deliveryFailed');
    expect(dedupeKey(alert.criterion, alert.deliveryId, alert.day)).toBe('deliveryFailed:7:2026-03-09');
  });

  it('a failure message names the delivery and the error the sender recorded', () => {
    const [alert] = transitionAlerts(
      delivery({
        status: 'failed',
        preparedAt: null,
        finishedAt: minutesAgo(1),
        lastError: 'The message cannot be composed: unknown variable {{nope}}',
      }),
      alertsConfig(),
      NOW,
    );

    expect(alert.message).toBe(
      'Delivery "Spring news" could not be prepared: The message cannot be composed: unknown variable {{nope}}',
    );
  });

  it('the finished alert carries a summary of the indicators', () => {
    const indicators = computeIndicators({
      ...emptyIndicatorCounts(),
      targeted: 10,
      sent: 8,
      failedHard: 2,
      uniqueOpens: 4,
      uniqueClicks: 2,
    });
    const [finished] = transitionAlerts(
      delivery({ status: 'sent', startedAt: minutesAgo(300), finishedAt: minutesAgo(1) }),
      allOn,
      NOW,
      indicators,
    );

    expect(finished.message).toContain('Delivered: 8 (80 %)');
    expect(finished.message).toContain('Unique opens: 4 (open rate 50 %)');
    expect(finished.message).toContain('Bounces: 2 (20 %): hard 2, soft 0');
  });

  it.each<[string, Record<string, unknown>]>([
    ['the criterion is off', { criteria: { deliveryFailed: { enabled: false } } }],
    ['alerts are off altogether', { enabled: false }],
  ])('raises nothing when %s', (_name, overrides) => {
    expect(
      transitionAlerts(delivery({ status: 'failed', finishedAt: minutesAgo(1) }), alertsConfig(overrides), NOW),
    ).toEqual([]);
  });
});

describe('periodicAlerts: bounce ratios', () => {
  it.each<[string, Partial<DeliveryFacts>, Partial<IndicatorCounts>, string[]]>([
    ['6 % soft bounces of 100 processed', {}, { sent: 94, failedSoft: 6 }, ['softBounceRatio']],
    ['exactly 5 % is not above 5 %', {}, { sent: 95, failedSoft: 5 }, []],
    [
      '6 % hard: failures and bounces together',
      {},
      { sent: 94, failedHard: 2, bounced: 4, bouncedHard: 4 },
      ['hardBounceRatio'],
    ],
    ['both above', {}, { sent: 80, failedHard: 10, failedSoft: 10 }, ['hardBounceRatio', 'softBounceRatio']],
    ['a bounce of unknown type counts as hard', {}, { sent: 90, bounced: 10 }, ['hardBounceRatio']],
    ['too few processed while sending (50 < minProcessed 100)', {}, { sent: 40, failedHard: 10 }, []],
    [
      'few processed, but the delivery ended',
      { status: 'sent', finishedAt: minutesAgo(30) },
      { sent: 4, failedHard: 1 },
      ['hardBounceRatio'],
    ],
    ['nothing processed yet', {}, { pending: 100 }, []],
  ])('%s', (_name, facts, counts, expected) => {
    expect(criteriaOf(periodicAlerts(delivery(facts), activity(counts, 1000, 0), alertsConfig(), NOW))).toEqual(
      expected,
    );
  });

  it('says the ratio, the counts and the threshold', () => {
    const [alert] = periodicAlerts(delivery({}), activity({ sent: 185, failedSoft: 15 }, 1000), alertsConfig(), NOW);

    expect(alert.message).toBe(
      'Delivery "Spring news": soft bounces are 7.5 % of processed messages (15 of 200), above the 5 % threshold.',
    );
    expect(alert.day).toBe('2026-03-10');
  });

  it('uses the configured threshold', () => {
    const config = alertsConfig({ criteria: { hardBounceRatio: { percent: 20 } } });

    expect(periodicAlerts(delivery({}), activity({ sent: 85, failedHard: 15 }, 1000), config, NOW)).toEqual([]);
  });
});

describe('periodicAlerts: scheduled delivery not started', () => {
  it.each<[string, Partial<DeliveryFacts>, string[]]>([
    [
      'scheduled 31 minutes ago, still scheduled',
      { status: 'scheduled', scheduledAt: minutesAgo(31), startedAt: null },
      ['scheduledNotStarted'],
    ],
    ['scheduled 29 minutes ago', { status: 'scheduled', scheduledAt: minutesAgo(29), startedAt: null }, []],
    [
      'scheduled 45 minutes ago, still preparing',
      { status: 'preparing', scheduledAt: minutesAgo(45), startedAt: minutesAgo(44), preparedAt: null },
      ['scheduledNotStarted'],
    ],
    [
      'sent at once 40 minutes ago and still preparing',
      { status: 'preparing', scheduledAt: null, startedAt: minutesAgo(40), preparedAt: null },
      ['scheduledNotStarted'],
    ],
    [
      'staggered behind another large delivery',
      { status: 'preparing', scheduledAt: minutesAgo(45), sendAfter: new Date(NOW.getTime() + 60_000) },
      [],
    ],
    [
      'scheduled for later',
      { status: 'scheduled', scheduledAt: new Date(NOW.getTime() + 3_600_000), startedAt: null },
      [],
    ],
  ])('%s', (_name, facts, expected) => {
    expect(criteriaOf(periodicAlerts(delivery(facts), null, alertsConfig(), NOW))).toEqual(expected);
  });
});

describe('periodicAlerts: throughput below the floor', () => {
  it.each<[string, Partial<DeliveryFacts>, number, number, string[]]>([
    ['45 sent in 5 minutes (9 / min) with recipients waiting', {}, 45, 500, ['throughputBelow']],
    ['50 sent in 5 minutes (10 / min): at the floor', {}, 50, 500, []],
    ['nobody waiting (retries not due yet)', {}, 0, 0, []],
    ['started 4 minutes ago: too early to judge', { startedAt: minutesAgo(4) }, 0, 500, []],
    ['staggered start 2 minutes ago', { sendAfter: minutesAgo(2) }, 0, 500, []],
    ['rate capped at 0.1 / s (6 / min) on purpose', { sendRate: 0.1 }, 20, 500, []],
    ['paused', { status: 'paused' }, 0, 500, []],
  ])('%s', (_name, facts, sentInWindow, duePending, expected) => {
    const result = periodicAlerts(
      delivery(facts),
      activity({ sent: 10 }, sentInWindow, duePending),
      alertsConfig(),
      NOW,
    );
    expect(criteriaOf(result)).toEqual(expected);
  });
});

describe('formatPercent', () => {
  it.each([
    [0.075, '7.5 %'],
    [0.05, '5 %'],
    [1, '100 %'],
    [0.12345, '12.35 %'],
    [0, '0 %'],
  ])('%d is %s', (ratio, expected) => {
    expect(formatPercent(ratio)).toBe(expected);
  });
});

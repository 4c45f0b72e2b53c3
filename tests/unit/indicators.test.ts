// Indicator formulas (Adobe Campaign definitions), checked against hand-computed tables.
import {
  computeIndicators,
  emptyIndicatorCounts,
  rate,
  type IndicatorCounts,
} from '../../server/src/reporting/indicator-formulas';

const counts = (overrides: Partial<IndicatorCounts>): IndicatorCounts => ({ ...emptyIndicatorCounts(), ...overrides });

describe('rate', () => {
  it.each([
    [0, 0, 0],
    [5, 0, 0],
    [1, 3, 0.3333],
    [2, 3, 0.6667],
    [1, 32, 0.0313], // 0.03125 rounds half up
    [1, 8, 0.125],
    [7, 7, 1],
  ])('%i / %i is %d, rounded to 4 decimals and 0 when nothing was counted', (numerator, denominator, expected) => {
    expect(rate(numerator, denominator)).toBe(expected);
  });
});

describe('computeIndicators', () => {
  it('a delivery with nothing counted yet shows zero everywhere, never NaN', () => {
    const result = computeIndicators(emptyIndicatorCounts());

    for (const [name, value] of Object.entries(result)) {
      expect([name, value]).toEqual([name, 0]);
    }
  });

  it('a typical delivery: processed, delivered, bounces and every rate as computed by hand', () => {
    const result = computeIndicators(
      counts({
        targeted: 1000,
        excluded: 50,
        sent: 900,
        failedHard: 20,
        failedSoft: 10,
        bounced: 20,
        bouncedHard: 15,
        bouncedSoft: 5,
        uniqueOpens: 300,
        uniqueClicks: 90,
        uniqueUnsubscriptions: 9,
        uniqueMirrorViews: 12,
        opens: 450,
        clicks: 130,
        unsubscriptions: 9,
        mirrorViews: 15,
      }),
    );

    expect(result).toEqual({
      targeted: 1000,
      excluded: 50,
      pending: 0,
      processed: 950, // 900 + 30 + 20
      unknown: 0,
      sent: 900,
      delivered: 900,
      failed: 30,
      failedHard: 20,
      failedSoft: 10,
      bounced: 20,
      bouncedHard: 15,
      bouncedSoft: 5,
      bounces: 50,
      hardBounces: 35,
      softBounces: 15,
      uniqueOpens: 300,
      uniqueClicks: 90,
      uniqueUnsubscriptions: 9,
      uniqueMirrorViews: 12,
      opens: 450,
      clicks: 130,
      unsubscriptions: 9,
      mirrorViews: 15,
      deliveredRate: 0.9474, // 900 / 950
      bounceRate: 0.0526, // 50 / 950
      hardBounceRate: 0.0368, // 35 / 950
      softBounceRate: 0.0158, // 15 / 950
      openRate: 0.3333, // 300 / 900
      clickThroughRate: 0.1, // 90 / 900
      reactivity: 0.3, // 90 / 300
      unsubscriptionRate: 0.01, // 9 / 900
    });
  });

  type Case = [string, Partial<IndicatorCounts>, Partial<ReturnType<typeof computeIndicators>>];
  it.each<Case>([
    [
      'every message bounced (type unknown): nothing delivered, bounce rate 100 %, all hard',
      { targeted: 10, bounced: 10 },
      {
        processed: 10,
        delivered: 0,
        bounces: 10,
        bouncedHard: 10,
        bouncedSoft: 0,
        deliveredRate: 0,
        bounceRate: 1,
        hardBounceRate: 1,
        softBounceRate: 0,
        openRate: 0,
        clickThroughRate: 0,
        reactivity: 0,
        unsubscriptionRate: 0,
      },
    ],
    [
      'every message failed softly after its retries: bounce rate 100 %, all soft',
      { targeted: 4, failedSoft: 4 },
      { processed: 4, delivered: 0, bounces: 4, softBounces: 4, hardBounces: 0, bounceRate: 1, softBounceRate: 1 },
    ],
    [
      'pending and excluded recipients are not processed and weigh on no rate',
      { targeted: 100, excluded: 10, pending: 80, sent: 10, uniqueOpens: 5 },
      { processed: 10, delivered: 10, deliveredRate: 1, bounceRate: 0, openRate: 0.5 },
    ],
    [
      'only the hard part of the bounces is known: the rest is soft',
      { sent: 90, bounced: 10, bouncedHard: 4 },
      { bouncedHard: 4, bouncedSoft: 6, hardBounceRate: 0.04, softBounceRate: 0.06, bounceRate: 0.1 },
    ],
    [
      'only the soft part of the bounces is known: the rest is hard',
      { sent: 90, bounced: 10, bouncedSoft: 3 },
      { bouncedHard: 7, bouncedSoft: 3, hardBounceRate: 0.07, softBounceRate: 0.03 },
    ],
    [
      'both parts known but short of the total: the unclassified remainder counts as hard',
      { sent: 90, bounced: 10, bouncedHard: 2, bouncedSoft: 3 },
      { bouncedHard: 7, bouncedSoft: 3 },
    ],
    [
      'every opener clicked (unique opens include clickers): reactivity is exactly 100 %',
      { sent: 3, uniqueOpens: 1, uniqueClicks: 1, opens: 4, clicks: 2 },
      { openRate: 0.3333, clickThroughRate: 0.3333, reactivity: 1, opens: 4, clicks: 2 },
    ],
    [
      'opens without a click: reactivity 0',
      { sent: 3, uniqueOpens: 2 },
      { openRate: 0.6667, clickThroughRate: 0, reactivity: 0 },
    ],
    [
      'unsubscription rate counts each unsubscribed message once, whatever the repeated events',
      { sent: 200, uniqueOpens: 20, uniqueUnsubscriptions: 3, unsubscriptions: 5 },
      { unsubscriptionRate: 0.015, unsubscriptions: 5 },
    ],
  ])('%s', (_name, input, expected) => {
    expect(computeIndicators(counts(input))).toMatchObject(expected);
  });

  it.each<[string, Partial<IndicatorCounts>, number]>([
    [
      'a reader who clicked without loading the pixel adds one implied open',
      { opens: 3, uniqueOpens: 3, uniquePixelOpens: 2 },
      4,
    ],
    ['readers who all loaded the pixel add nothing', { opens: 5, uniqueOpens: 2, uniquePixelOpens: 2 }, 5],
    ['only reactions, no pixel load (images blocked everywhere)', { opens: 0, uniqueOpens: 4, uniquePixelOpens: 0 }, 4],
    ['nothing yet', { opens: 0, uniqueOpens: 0, uniquePixelOpens: 0 }, 0],
    [
      'unique opens short of the pixel openers (columns filled after an upgrade): never below the pixel loads',
      { opens: 5, uniqueOpens: 1, uniquePixelOpens: 3 },
      5,
    ],
  ])('total opens, %s: count(open) + unique(reaction) - unique(open)', (_name, input, opens) => {
    const result = computeIndicators(counts({ sent: 10, ...input }));
    expect(result.opens).toBe(opens);
    expect(result.opens).toBeGreaterThanOrEqual(result.uniqueOpens);
  });

  it('total opens are the pixel loads alone when the messages with a pixel load are not known', () => {
    expect(computeIndicators(counts({ sent: 10, opens: 2, uniqueOpens: 5 })).opens).toBe(2);
  });

  it('refuses a negative count of messages with a pixel load', () => {
    expect(() => computeIndicators(counts({ uniquePixelOpens: -1 }))).toThrow(RangeError);
  });

  it('counts an unknown message (in doubt after a crash) as processed, neither delivered nor failed', () => {
    const result = computeIndicators(counts({ targeted: 100, sent: 95, failedHard: 2, unknown: 3 }));
    expect(result).toMatchObject({
      processed: 100,
      unknown: 3,
      delivered: 95,
      failed: 2,
      deliveredRate: 0.95,
      bounceRate: 0.02,
    });
  });
  it('with consistent counts every rate stays within [0, 1]', () => {
    const result = computeIndicators(
      counts({ sent: 7, failedHard: 1, bounced: 2, uniqueOpens: 7, uniqueClicks: 7, uniqueUnsubscriptions: 7 }),
    );
    const rates = [
      result.deliveredRate,
      result.bounceRate,
      result.hardBounceRate,
      result.softBounceRate,
      result.openRate,
      result.clickThroughRate,
      result.reactivity,
      result.unsubscriptionRate,
    ];

    for (const value of rates) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
  });

  it.each<[string, Partial<IndicatorCounts>]>([
    ['a negative count', { sent: -1 }],
    ['a fractional count', { uniqueOpens: 1.5 }],
    ['a count that is not a number', { clicks: Number.NaN }],
    ['a hard / soft split larger than the bounces', { bounced: 3, bouncedHard: 2, bouncedSoft: 2 }],
    ['a hard part larger than the bounces', { bounced: 1, bouncedHard: 2 }],
  ])('refuses %s: a broken query must not turn into a plausible dashboard', (_name, input) => {
    expect(() => computeIndicators(counts(input))).toThrow(RangeError);
  });
});

// The statistics and the split of A/B tests (shared/ab-test.ts, sending/ab-tests.ts judge()).
import { abTestSchema, cellOf, metricCounts, normalCdf, twoProportionTest, type AbTest } from '../../shared/ab-test';
import { judge } from '../../server/src/sending/ab-tests';

describe('the two-proportion z-test', () => {
  it('gives the textbook values: 45/100 against 30/100 is z = 2.19, p = 0.0285', () => {
    const result = twoProportionTest({ successes: 45, trials: 100 }, { successes: 30, trials: 100 })!;
    expect(result.z).toBeCloseTo(2.1909, 3);
    expect(result.pValue).toBeCloseTo(0.02846, 4);
    expect(result.confidence).toBeCloseTo(0.97154, 4);
  });

  it('gives the textbook values: 351/605 against 41/195 is z = 8.99 (Penn State STAT 415)', () => {
    const result = twoProportionTest({ successes: 351, trials: 605 }, { successes: 41, trials: 195 })!;
    expect(result.z).toBeCloseTo(8.9859, 3);
    expect(result.pValue).toBeLessThan(1e-6);
  });

  it('finds 12% against 10% of 1,000 each not significant: z = 1.43, p = 0.153', () => {
    const result = twoProportionTest({ successes: 120, trials: 1000 }, { successes: 100, trials: 1000 })!;
    expect(result.z).toBeCloseTo(1.4293, 3);
    expect(result.pValue).toBeCloseTo(0.1529, 3);
    expect(result.confidence).toBeLessThan(0.95);
  });

  it('is symmetric, and says nothing without trials or without variance', () => {
    const ab = twoProportionTest({ successes: 30, trials: 100 }, { successes: 45, trials: 100 })!;
    expect(ab.z).toBeCloseTo(-2.1909, 3);
    expect(ab.pValue).toBeCloseTo(0.02846, 4);
    expect(twoProportionTest({ successes: 50, trials: 500 }, { successes: 50, trials: 500 })!.pValue).toBeCloseTo(1);
    expect(twoProportionTest({ successes: 0, trials: 0 }, { successes: 3, trials: 10 })).toBeNull();
    expect(twoProportionTest({ successes: 0, trials: 10 }, { successes: 0, trials: 10 })).toBeNull();
  });

  it('has the normal distribution function of the tables', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4);
    expect(normalCdf(-1.645)).toBeCloseTo(0.05, 4);
  });
});

describe('the metrics and the split', () => {
  it('counts opens and clicks among the sent, clicks per open among the opened', () => {
    const counts = { sent: 100, opened: 40, clicked: 10 };
    expect(metricCounts('opens', counts)).toEqual({ successes: 40, trials: 100 });
    expect(metricCounts('clicks', counts)).toEqual({ successes: 10, trials: 100 });
    expect(metricCounts('clicksPerOpen', counts)).toEqual({ successes: 10, trials: 40 });
  });

  it('puts the share of the audience in cells that differ by one at most, the others in the rest', () => {
    const sizes = [0, 0, 0];
    let rest = 0;
    for (let rank = 0; rank < 1001; rank += 1) {
      const cell = cellOf(rank, 1001, 20, 3);
      if (cell === null) rest += 1;
      else sizes[cell] += 1;
    }
    expect(sizes).toEqual([67, 67, 66]);
    expect(rest).toBe(801);
  });

  it('names the leader and its confidence, and calls a small difference not significant', () => {
    const test: AbTest = { subjects: ['B'], share: 20, metric: 'opens', waitMinutes: 60, autoSend: true };
    const row = (variant: number, sent: number, opened: number) => ({
      variant,
      recipients: sent,
      sent,
      opened,
      clicked: 0,
      pending: 0,
      lastSentAt: new Date(1000 + variant),
    });
    const clear = judge(test, ['A', 'B'], [row(0, 100, 30), row(1, 100, 45)]);
    expect(clear.leader).toBe(1);
    expect(clear.variants.map((v) => v.significant)).toEqual([true, true]);
    expect(clear.variants[1].confidence).toBeCloseTo(0.9715, 3);
    expect(clear.testSentAt).toEqual(new Date(1001));
    const close = judge(test, ['A', 'B'], [row(0, 1000, 120), row(1, 1000, 100)]);
    expect(close.leader).toBe(0);
    expect(close.variants.map((v) => v.significant)).toEqual([false, false]);
    const unfinished = judge(test, ['A', 'B'], [{ ...row(0, 10, 1), pending: 1 }, row(1, 10, 1)]);
    expect(unfinished.testSentAt).toBeNull();
  });

  it('refuses a test with one variant, five, or no share', () => {
    const base = { subjects: ['B'], share: 20, metric: 'opens', waitMinutes: 60, autoSend: true };
    expect(abTestSchema.safeParse(base).success).toBe(true);
    expect(abTestSchema.safeParse({ ...base, subjects: [] }).success).toBe(false);
    expect(abTestSchema.safeParse({ ...base, subjects: ['B', 'C', 'D', 'E'] }).success).toBe(false);
    expect(abTestSchema.safeParse({ ...base, share: 0 }).success).toBe(false);
    expect(abTestSchema.safeParse({ ...base, metric: 'revenue' }).success).toBe(false);
  });
});

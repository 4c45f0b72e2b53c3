// A/B tests of a delivery's subject: the settings an editor gives (checked by the API and the delivery editor alike),
// the winning metrics, and the two-proportion z-test the dashboard reports each variant's confidence with.
import { z } from 'zod';

export const AB_METRICS = ['opens', 'clicks', 'clicksPerOpen'] as const;
export type AbMetric = (typeof AB_METRICS)[number];

/** The most variants a test has, the delivery's own subject (variant A) included. */
export const MAX_VARIANTS = 4;
/** The confidence from which a difference is called significant. */
export const SIGNIFICANT_CONFIDENCE = 0.95;

const subjectSchema = z.string().trim().min(1, 'a variant needs a subject').max(998);

/**
 * Variant A is the delivery's own subject; `subjects` are the others (B, C, D). `share` is the percentage of the
 * audience the test goes to, split evenly between the variants; the winner goes to the rest `waitMinutes` after the
 * test's last message, by itself when `autoSend`, else when an editor picks it.
 */
export const abTestSchema = z
  .object({
    subjects: z
      .array(subjectSchema)
      .min(1, 'give at least one other subject')
      .max(MAX_VARIANTS - 1, `at most ${MAX_VARIANTS} variants`),
    share: z.number().int().min(2, 'at least 2%').max(100, 'at most 100%'),
    metric: z.enum(AB_METRICS),
    waitMinutes: z
      .number()
      .int()
      .min(1, 'at least one minute')
      .max(14 * 24 * 60, 'at most 14 days'),
    autoSend: z.boolean(),
  })
  .strict();

export type AbTest = z.infer<typeof abTestSchema>;

/** The letter a variant is shown with: 0 is A. */
export const variantLetter = (variant: number) => String.fromCharCode(65 + variant);

/** What a metric counts among what: its successes and its trials, from a variant's counts. */
export const metricCounts = (
  metric: AbMetric,
  counts: { sent: number; opened: number; clicked: number },
): { successes: number; trials: number } => {
  if (metric === 'opens') return { successes: counts.opened, trials: counts.sent };
  if (metric === 'clicks') return { successes: counts.clicked, trials: counts.sent };
  return { successes: Math.min(counts.clicked, counts.opened), trials: counts.opened };
};

/** The standard normal distribution function (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
export const normalCdf = (x: number): number => {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
};

/**
 * The two-proportion z-test with a pooled proportion: z, the two-sided p-value and the confidence (1 - p) that the
 * two rates differ. Null when a side has no trials or the pooled rate is 0 or 1 (no variance: nothing to tell).
 */
export const twoProportionTest = (
  a: { successes: number; trials: number },
  b: { successes: number; trials: number },
): { z: number; pValue: number; confidence: number } | null => {
  if (a.trials <= 0 || b.trials <= 0) return null;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (!(se > 0)) return null;
  const z = (a.successes / a.trials - b.successes / b.trials) / se;
  const pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  return { z, pValue, confidence: 1 - pValue };
};

/** The test cell of the recipient at `rank` in the delivery's random order, or null for the rest. */
export const cellOf = (rank: number, total: number, share: number, variants: number): number | null => {
  const testSize = Math.round((total * share) / 100);
  return rank < testSize ? rank % variants : null;
};

/** "Pick variant X" (0 is A), or the leader when none is given ("Send the winner now"). */
export const abWinnerBody = z
  .object({
    variant: z
      .number()
      .int()
      .min(0)
      .max(MAX_VARIANTS - 1)
      .optional(),
  })
  .strict();

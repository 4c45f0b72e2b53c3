// GET /deliveries/:id/ab-test and POST /deliveries/:id/ab-test/winner (server/src/sending/ab-tests.ts).
import type { AbTest } from '../ab-test';

export interface VariantResult {
  /** 0 is variant A, the delivery's own subject. */
  variant: number;
  subject: string;
  /** Recipients in its test cell, messages sent, still pending. */
  recipients: number;
  sent: number;
  pending: number;
  /** Unique human opens and clicks. */
  opened: number;
  clicked: number;
  /** The winning metric's rate. */
  rate: number;
  /** The leader against its closest follower, any other variant against the leader: 1 - p of a two-proportion test. */
  confidence: number | null;
  significant: boolean;
}

export interface AbTestResults {
  test: AbTest;
  variants: VariantResult[];
  /** The variant with the best rate now. */
  leader: number;
  winner: number | null;
  winnerAt: string | null;
  /** Recipients outside the test: they get the winner. */
  rest: number;
  /** When the test's last message left (null while it is being sent). */
  testSentAt: string | null;
  /** When the winner goes out by itself (null when an editor picks it). */
  decidesAt: string | null;
}

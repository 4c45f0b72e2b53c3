// A suppressed address as the admin API answers it (GET /suppressions).
import type { SuppressionReason } from '../constants';

export interface SuppressionRow {
  documentId: string;
  email: string;
  reason: SuppressionReason;
  /** The delivery whose message the person reacted to (unsubscribe link, bounce, complaint), when there was one. */
  deliveryId: number | null;
  note: string | null;
  createdAt: string;
}

// A contact's data on request: everything the plugin holds about one person (GET /contacts/:id/data), and what an
// erasure answers (POST /contacts/:id/erase). The export is a download; these types are its shape.
import type { ContactStatus, SuppressionReason } from '../constants';

export interface ContactDataExport {
  exportedAt: string;
  profile: {
    documentId: string;
    email: string;
    firstName: string | null;
    lastName: string | null;
    locale: string | null;
    attributes: Record<string, unknown> | null;
    status: ContactStatus;
    statusReason: string | null;
    statusChangedAt: string | null;
    createdAt: string;
    updatedAt: string;
  };
  lists: Array<{ documentId: string; name: string }>;
  consents: Array<{
    action: string;
    lists: unknown;
    source: string | null;
    wording: string | null;
    ip: string | null;
    userAgent: string | null;
    locale: string | null;
    occurredAt: string;
  }>;
  /** The address's entry in the suppression list, or null when it may be mailed. */
  suppression: { reason: SuppressionReason; createdAt: string } | null;
  deliveryLogs: Array<{
    delivery: string | null;
    subject: string | null;
    email: string;
    status: string;
    exclusionReason: string | null;
    failureReason: string | null;
    createdAt: string;
    sentAt: string | null;
    firstOpenedAt: string | null;
    firstClickedAt: string | null;
    unsubscribedAt: string | null;
    bouncedAt: string | null;
    complainedAt: string | null;
  }>;
  trackingEvents: Array<{
    type: string;
    at: string;
    delivery: string | null;
    linkUrl: string | null;
    userAgent: string | null;
    ip: string | null;
    device: string | null;
    os: string | null;
    client: string | null;
  }>;
}

/** The typed confirmation an erasure needs: the contact's address, as the admin typed it. */
export interface ContactEraseInput {
  email: string;
}

export interface ContactEraseResult {
  documentId: string;
  deliveryLogs: number;
  trackingEvents: number;
  consents: number;
}

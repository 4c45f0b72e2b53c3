// The bounce mailbox's admin API answers (server/src/tracking/bounce-mailbox.ts).

/** POST /campaigns/settings/verify-bounce-mailbox */
export interface MailboxVerifyResult {
  ok: boolean;
  /** Why not, in words an admin can act on (the password never appears). */
  error?: string;
}

/** A message moved to the review folder: it names no message we sent, or could not be read. */
export interface MailboxReviewEntry {
  /** The message's Date header (ISO), or when the server received it. */
  date: string | null;
  from: string | null;
  subject: string | null;
  /** Why it was not recorded. */
  reason: string;
  /** The folder it was moved to. */
  folder: string;
  /** When it was moved (ISO). */
  movedAt: string;
}

/** GET /campaigns/bounce-mailbox/review: newest first. */
export interface MailboxReviewResponse {
  data: MailboxReviewEntry[];
}

/** What one reading of the mailbox did (POST /campaigns/bounce-mailbox/run). */
export interface MailboxRunReport {
  /** Why nothing was read: the mailbox is off, or a reading is already under way in this process. */
  skipped?: 'disabled' | 'running';
  read: number;
  /** Bounces and complaints recorded on their delivery logs. */
  recorded: number;
  /** Well-formed reports with nothing to record (a delay warning, a success notice). */
  nothingToRecord: number;
  /** Moved to the review folder. */
  review: number;
  /** Left in the folder for the next reading (the database could not record them). */
  failed: number;
}

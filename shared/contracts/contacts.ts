import type { ContactStatus } from '../constants';
import type { ListQuery } from './common';

export interface Contact {
  id: number;
  documentId: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  attributes: Record<string, unknown> | null;
  status: ContactStatus;
  statusReason: string | null;
  statusChangedAt: string | null;
  /** Set by the retention task: no human open or click in the last retention.inactiveAfterDeliveries deliveries. */
  inactive: boolean;
  inactiveSince: string | null;
  lists: Array<{ id: number; documentId: string; name: string }>;
  createdAt: string;
  updatedAt: string;
}

export interface ContactInput {
  email?: string;
  firstName?: string | null;
  lastName?: string | null;
  locale?: string | null;
  attributes?: Record<string, unknown> | null;
  status?: ContactStatus;
  /** documentIds of the lists the contact belongs to (replaces the current set). */
  lists?: string[];
}

export interface ContactBulkDeleteResult {
  deleted: number;
}

export interface ContactListQuery extends ListQuery {
  status?: ContactStatus;
  /** documentId of a list */
  list?: string;
  /** The name of an attribute, whose value must read `attributeValue` (as text). */
  attribute?: string;
  attributeValue?: string;
}

/** The contacts of GET /contacts/export: the list's filters without its pages. */
export type ContactExportQuery = Omit<ContactListQuery, 'page' | 'pageSize' | 'sort'>;

export interface ContactImportRowError {
  line: number;
  email: string | null;
  reason: string;
}

export interface ContactImportJob {
  id: string;
  status: 'running' | 'done' | 'failed';
  fileName: string | null;
  /** The encoding the file was read with (from its byte order mark, the `encoding` field, or UTF-8); null until known. */
  encoding: string | null;
  list: { documentId: string; name: string } | null;
  startedAt: string;
  finishedAt: string | null;
  /** Bytes of the file read so far and in all: the progress bar. */
  bytesRead: number;
  bytesTotal: number;
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  duplicatesInFile: number;
  failed: number;
  /** The first 1,000 row errors; `failed` counts them all. */
  errors: ContactImportRowError[];
  error: string | null;
}

/** One item of a bulk sync's answer, in the order of the request. */
export interface ContactSyncItemResult {
  index: number;
  email: string | null;
  outcome: 'created' | 'updated' | 'unchanged' | 'invalid' | 'failed';
  /** The contact's id, for every item written. */
  documentId?: string;
  error?: string;
}

export interface ContactSyncResponse {
  data: ContactSyncItemResult[];
  meta: { created: number; updated: number; unchanged: number; invalid: number; failed: number };
}

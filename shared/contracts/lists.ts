import type { ContactStatus } from '../constants';
import type { ListQuery } from './common';

export interface ContactList {
  id: number;
  documentId: string;
  name: string;
  description: string | null;
  /** Offered on public sign-up forms. */
  public: boolean;
  /** Form sign-ups join once confirmed by email. */
  doubleOptIn: boolean;
  /** Members, and members who can receive mail. */
  contacts: number;
  subscribed: number;
  /** Members by status, counted for all the lists of a page in one query (server/src/db/lists.ts). */
  byStatus: Record<ContactStatus, number>;
  createdAt: string;
  updatedAt: string;
}

export interface ListInput {
  name?: string;
  description?: string | null;
  public?: boolean;
  doubleOptIn?: boolean;
}

export type ListListQuery = ListQuery;

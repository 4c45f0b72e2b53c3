import type { ListQuery } from './common';

export interface ContactList {
  id: number;
  documentId: string;
  name: string;
  description: string | null;
  /** Members, and members who can receive mail. */
  contacts: number;
  subscribed: number;
  createdAt: string;
  updatedAt: string;
}

export interface ListInput {
  name?: string;
  description?: string | null;
}

export type ListListQuery = ListQuery;

import { listQuerySchema } from './common';

export const listListQuery = listQuerySchema(['name', 'createdAt', 'updatedAt'], 'name:asc');

export { listCreateBody, listUpdateBody } from '../../../shared/audience-input';

// Shapes shared by the admin API's answers.
export interface Pagination {
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
}

export interface ListResponse<T> {
  data: T[];
  meta: { pagination: Pagination };
}

export interface ItemResponse<T> {
  data: T;
}

export interface ListQuery {
  page: number;
  pageSize: number;
  search?: string;
  sort: string;
}

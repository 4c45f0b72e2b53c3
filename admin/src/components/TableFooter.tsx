// Under every paged table: how many rows in all, and the page links when there is more than one page.
import type { ReactNode } from 'react';
import { Flex, NextLink, Pagination, PreviousLink, Typography } from '@strapi/design-system';
import { useT } from '../hooks/useT';

interface TableFooterProps {
  summary: ReactNode;
  page: number;
  pageCount: number;
  onPageChange: (page: number) => void;
  testId?: string;
}

export const TableFooter = ({ summary, page, pageCount, onPageChange, testId }: TableFooterProps) => {
  const t = useT();
  return (
    <Flex paddingTop={4} justifyContent="space-between">
      <Typography textColor="neutral600" data-testid={testId}>
        {summary}
      </Typography>
      {pageCount > 1 && (
        <Pagination activePage={page} pageCount={pageCount}>
          <PreviousLink onClick={() => onPageChange(Math.max(1, page - 1))}>
            {t('common.previous', 'Previous')}
          </PreviousLink>
          <NextLink onClick={() => onPageChange(Math.min(pageCount, page + 1))}>{t('common.next', 'Next')}</NextLink>
        </Pagination>
      )}
    </Flex>
  );
};

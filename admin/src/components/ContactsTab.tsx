import {
  Badge,
  Box,
  EmptyStateLayout,
  Flex,
  Loader,
  Searchbar,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import { useContacts } from '../api/client';
import { TableFooter } from './TableFooter';
import { useT } from '../hooks/useT';
import { useUrlFilters } from '../hooks/useUrlFilters';

const STATUS_VARIANT: Record<string, 'success' | 'secondary' | 'danger' | 'warning'> = {
  subscribed: 'success',
  unsubscribed: 'secondary',
  bounced: 'danger',
  quarantined: 'warning',
};

export const ContactsTab = () => {
  const t = useT();
  const {
    filters: { search },
    setFilter,
    page,
    setPage,
  } = useUrlFilters(['search'] as const);
  const { data, isLoading, isError } = useContacts({ page, pageSize: 20, search });

  return (
    <Box paddingTop={4}>
      <Box paddingBottom={4} width="320px">
        <Searchbar
          name="search"
          value={search}
          onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilter('search')(e.target.value)}
          onClear={() => setFilter('search')('')}
          clearLabel={t('common.clear', 'Clear')}
          placeholder={t('contacts.search', 'Search by email or name')}
        >
          {t('contacts.search', 'Search by email or name')}
        </Searchbar>
      </Box>
      {isLoading ? (
        <Flex justifyContent="center" padding={8}>
          <Loader />
        </Flex>
      ) : isError || !data ? (
        <Page.Error />
      ) : data.data.length === 0 ? (
        <EmptyStateLayout
          content={
            search
              ? t('contacts.empty.search', 'No contact matches "{search}"', { search })
              : t('contacts.empty', 'No contacts yet')
          }
        />
      ) : (
        <>
          <Table colCount={4} rowCount={data.data.length + 1}>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">{t('contacts.column.email', 'Email')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('contacts.column.name', 'Name')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('contacts.column.status', 'Status')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('contacts.column.lists', 'Lists')}</Typography>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {data.data.map((contact) => (
                <Tr key={contact.documentId}>
                  <Td>
                    <Typography>{contact.email}</Typography>
                  </Td>
                  <Td>
                    <Typography>{[contact.firstName, contact.lastName].filter(Boolean).join(' ')}</Typography>
                  </Td>
                  <Td>
                    {/* The reason says why, e.g. a suppressed address that came back unsubscribed (server/src/audience/suppressions.ts). */}
                    <Flex direction="column" alignItems="flex-start" gap={1}>
                      <Badge variant={STATUS_VARIANT[contact.status]}>{contact.status}</Badge>
                      {contact.statusReason ? (
                        <Typography variant="pi" textColor="neutral600">
                          {contact.statusReason}
                        </Typography>
                      ) : null}
                    </Flex>
                  </Td>
                  <Td>
                    <Typography>{contact.lists.map((l) => l.name).join(', ')}</Typography>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
          <TableFooter
            summary={t('contacts.count', '{count, plural, one {# contact} other {# contacts}}', {
              count: data.meta.pagination.total,
            })}
            page={page}
            pageCount={data.meta.pagination.pageCount}
            onPageChange={setPage}
          />
        </>
      )}
    </Box>
  );
};

import { useState } from 'react';
import { Badge, Box, EmptyStateLayout, Flex, Loader, Searchbar, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useContacts } from '../api/client';
import { getTranslation } from '../utils/getTranslation';
import { TableFooter } from './TableFooter';

const STATUS_VARIANT: Record<string, 'success' | 'secondary' | 'danger' | 'warning'> = {
  subscribed: 'success',
  unsubscribed: 'secondary',
  bounced: 'danger',
  quarantined: 'warning',
};

export const ContactsTab = () => {
  const { formatMessage } = useIntl();
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const { data, isLoading, isError } = useContacts({ page, pageSize: 20, search });

  return (
    <Box paddingTop={4}>
      <Box paddingBottom={4} width="320px">
        <Searchbar
          name="search"
          value={search}
          onChange={(e: any) => { setSearch(e.target.value); setPage(1); }}
          onClear={() => setSearch('')}
          clearLabel={formatMessage({ id: getTranslation('common.clear'), defaultMessage: 'Clear' })}
          placeholder={formatMessage({ id: getTranslation('contacts.search'), defaultMessage: 'Search by email or name' })}
        >
          {formatMessage({ id: getTranslation('contacts.search'), defaultMessage: 'Search by email or name' })}
        </Searchbar>
      </Box>
      {isLoading ? (
        <Flex justifyContent="center" padding={8}><Loader /></Flex>
      ) : isError || !data ? (
        <Page.Error />
      ) : data.data.length === 0 ? (
        <EmptyStateLayout content={formatMessage({ id: getTranslation('contacts.empty'), defaultMessage: 'No contacts yet' })} />
      ) : (
        <>
          <Table colCount={4} rowCount={data.data.length + 1}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">{formatMessage({ id: getTranslation('contacts.column.email'), defaultMessage: 'Email' })}</Typography></Th>
                <Th><Typography variant="sigma">{formatMessage({ id: getTranslation('contacts.column.name'), defaultMessage: 'Name' })}</Typography></Th>
                <Th><Typography variant="sigma">{formatMessage({ id: getTranslation('contacts.column.status'), defaultMessage: 'Status' })}</Typography></Th>
                <Th><Typography variant="sigma">{formatMessage({ id: getTranslation('contacts.column.lists'), defaultMessage: 'Lists' })}</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {data.data.map((contact) => (
                <Tr key={contact.documentId}>
                  <Td><Typography>{contact.email}</Typography></Td>
                  <Td><Typography>{[contact.firstName, contact.lastName].filter(Boolean).join(' ')}</Typography></Td>
                  <Td>
                    {/* The reason says why, e.g. a suppressed address that came back unsubscribed (server/src/services/suppressions.ts). */}
                    <Flex direction="column" alignItems="flex-start" gap={1}>
                      <Badge variant={STATUS_VARIANT[contact.status]}>{contact.status}</Badge>
                      {contact.statusReason ? <Typography variant="pi" textColor="neutral600">{contact.statusReason}</Typography> : null}
                    </Flex>
                  </Td>
                  <Td><Typography>{contact.lists.map((l) => l.name).join(', ')}</Typography></Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
          <TableFooter
            summary={formatMessage({ id: getTranslation('contacts.count'), defaultMessage: '{count, plural, one {# contact} other {# contacts}}' }, { count: data.meta.pagination.total })}
            page={page}
            pageCount={data.meta.pagination.pageCount}
            onPageChange={setPage}
          />
        </>
      )}
    </Box>
  );
};

import { Box, EmptyStateLayout, Flex, Loader, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useLists } from '../api/client';
import { getTranslation } from '../utils/getTranslation';

export const ListsTab = () => {
  const { formatMessage } = useIntl();
  const { data, isLoading, isError } = useLists({ page: 1, pageSize: 100 });
  if (isLoading) return <Flex justifyContent="center" padding={8}><Loader /></Flex>;
  if (isError || !data) return <Page.Error />;
  if (!data.data.length) {
    return <Box paddingTop={4}><EmptyStateLayout content={formatMessage({ id: getTranslation('lists.empty'), defaultMessage: 'No lists yet' })} /></Box>;
  }
  return (
    <Box paddingTop={4}>
      <Table colCount={3} rowCount={data.data.length + 1}>
        <Thead>
          <Tr>
            <Th><Typography variant="sigma">{formatMessage({ id: getTranslation('lists.column.name'), defaultMessage: 'Name' })}</Typography></Th>
            <Th><Typography variant="sigma">{formatMessage({ id: getTranslation('lists.column.contacts'), defaultMessage: 'Contacts' })}</Typography></Th>
            <Th><Typography variant="sigma">{formatMessage({ id: getTranslation('lists.column.subscribed'), defaultMessage: 'Subscribed' })}</Typography></Th>
          </Tr>
        </Thead>
        <Tbody>
          {data.data.map((list) => (
            <Tr key={list.documentId}>
              <Td><Typography fontWeight="bold">{list.name}</Typography></Td>
              <Td><Typography>{list.contacts}</Typography></Td>
              <Td><Typography>{list.subscribed}</Typography></Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </Box>
  );
};

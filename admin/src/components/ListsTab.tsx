import {
  Box,
  EmptyStateLayout,
  Flex,
  Loader,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import { useLists } from '../api/client';
import { useT } from '../hooks/useT';

export const ListsTab = () => {
  const t = useT();
  const { data, isLoading, isError } = useLists({ page: 1, pageSize: 100 });
  if (isLoading)
    return (
      <Flex justifyContent="center" padding={8}>
        <Loader />
      </Flex>
    );
  if (isError || !data) return <Page.Error />;
  if (!data.data.length) {
    return (
      <Box paddingTop={4}>
        <EmptyStateLayout content={t('lists.empty', 'No lists yet')} />
      </Box>
    );
  }
  return (
    <Box paddingTop={4}>
      <Table colCount={3} rowCount={data.data.length + 1}>
        <Thead>
          <Tr>
            <Th>
              <Typography variant="sigma">{t('lists.column.name', 'Name')}</Typography>
            </Th>
            <Th>
              <Typography variant="sigma">{t('lists.column.contacts', 'Contacts')}</Typography>
            </Th>
            <Th>
              <Typography variant="sigma">{t('lists.column.subscribed', 'Subscribed')}</Typography>
            </Th>
          </Tr>
        </Thead>
        <Tbody>
          {data.data.map((list) => (
            <Tr key={list.documentId}>
              <Td>
                <Typography fontWeight="bold">{list.name}</Typography>
              </Td>
              <Td>
                <Typography>{list.contacts}</Typography>
              </Td>
              <Td>
                <Typography>{list.subscribed}</Typography>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </Box>
  );
};

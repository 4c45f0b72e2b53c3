// Settings > Campaigns > Suppression list: the addresses that get no more messages (unsubscribed, hard bounces,
// complaints, added by hand), searched and filtered in the URL, added or imported, exported as CSV, and lifted by an
// admin with the settings action.
import { useState } from 'react';
import {
  Badge,
  Box,
  Button,
  Dialog,
  EmptyStateLayout,
  Flex,
  IconButton,
  Loader,
  Searchbar,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Download, Plus, Trash } from '@strapi/icons';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { SUPPRESSION_REASONS } from '../../../shared/constants';
import type { SuppressionRow } from '../../../shared/contracts/suppressions';
import { useSuppressionMutations, useSuppressions } from '../api/suppressions';
import { toSearch, useCsvDownload } from '../api/client';
import { AddSuppressionsDialog } from '../components/suppressions/AddSuppressionsDialog';
import { TableFooter } from '../components/TableFooter';
import { useCampaignsPermissions } from '../hooks/useCampaignsPermissions';
import { useT } from '../hooks/useT';
import { useUrlFilters } from '../hooks/useUrlFilters';
import { apiProblemOf } from '../utils/errors';
import { formatDateTime } from '../utils/format';

const ALL = 'all';

export const SuppressionsPage = () => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { canSend, canSettings } = useCampaignsPermissions();
  const { filters, setFilter, page, setPage } = useUrlFilters(['search', 'reason'] as const);
  const { data, isLoading, isError } = useSuppressions({ page, pageSize: 20, ...filters });
  const { lift } = useSuppressionMutations();
  const download = useCsvDownload();
  const [adding, setAdding] = useState(false);
  const [lifting, setLifting] = useState<SuppressionRow | null>(null);
  const reasonLabel = (reason: string) => t(`suppressions.reason.${reason}`, reason);
  const filtered = Boolean(filters.search || filters.reason);

  const exportCsv = () =>
    download(`/campaigns/suppressions?${toSearch({ ...filters, format: 'csv' })}`, 'suppressions.csv').catch((error) =>
      toggleNotification({ type: 'danger', message: apiProblemOf(error).message }),
    );

  return (
    <Page.Main>
      <Page.Title>{t('suppressions.page', 'Suppression list')}</Page.Title>
      <Layouts.Header
        title={t('suppressions.page', 'Suppression list')}
        subtitle={t(
          'suppressions.subtitle',
          'Addresses that get no more messages, even when their contact is deleted and added again',
        )}
        primaryAction={
          canSend ? (
            <Button startIcon={<Plus />} onClick={() => setAdding(true)}>
              {t('suppressions.add', 'Suppress addresses')}
            </Button>
          ) : undefined
        }
        secondaryAction={
          <Button variant="tertiary" startIcon={<Download />} onClick={exportCsv}>
            {t('suppressions.export', 'Export CSV')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex gap={4} paddingBottom={4} alignItems="flex-end">
          <Box width="320px">
            <Searchbar
              name="search"
              value={filters.search}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilter('search')(e.target.value)}
              onClear={() => setFilter('search')('')}
              clearLabel={t('common.clear', 'Clear')}
              placeholder={t('suppressions.search', 'Search by address')}
            >
              {t('suppressions.search', 'Search by address')}
            </Searchbar>
          </Box>
          <Box width="240px">
            <SingleSelect
              aria-label={t('suppressions.column.reason', 'Reason')}
              value={filters.reason || ALL}
              onChange={(value: string | number) => setFilter('reason')(value === ALL ? '' : String(value))}
            >
              <SingleSelectOption value={ALL}>{t('suppressions.reason.all', 'Every reason')}</SingleSelectOption>
              {SUPPRESSION_REASONS.map((reason) => (
                <SingleSelectOption key={reason} value={reason}>
                  {reasonLabel(reason)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Box>
        </Flex>
        {isLoading ? (
          <Flex justifyContent="center" padding={8}>
            <Loader>{t('suppressions.loading', 'Loading the suppression list')}</Loader>
          </Flex>
        ) : isError || !data ? (
          <Page.Error />
        ) : data.data.length === 0 ? (
          <EmptyStateLayout
            content={
              filtered
                ? t('suppressions.empty.filtered', 'No suppressed address matches these filters.')
                : t('suppressions.empty', 'No address is suppressed yet.')
            }
          />
        ) : (
          <>
            <Table colCount={5} rowCount={data.data.length + 1}>
              <Thead>
                <Tr>
                  <Th>
                    <Typography variant="sigma">{t('suppressions.column.email', 'Address')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('suppressions.column.reason', 'Reason')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('suppressions.column.note', 'Note')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('suppressions.column.since', 'Since')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('common.actions', 'Actions')}</Typography>
                  </Th>
                </Tr>
              </Thead>
              <Tbody>
                {data.data.map((row) => (
                  <Tr key={row.documentId}>
                    <Td>
                      <Typography>{row.email}</Typography>
                    </Td>
                    <Td>
                      <Badge>{reasonLabel(row.reason)}</Badge>
                    </Td>
                    <Td>
                      <Typography textColor="neutral600">{row.note ?? ''}</Typography>
                    </Td>
                    <Td>
                      <Typography>{formatDateTime(row.createdAt)}</Typography>
                    </Td>
                    <Td>
                      {canSettings && (
                        <IconButton
                          label={t('suppressions.lift', 'Lift the suppression of {email}', { email: row.email })}
                          variant="ghost"
                          onClick={() => setLifting(row)}
                        >
                          <Trash />
                        </IconButton>
                      )}
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
            <TableFooter
              summary={t('suppressions.count', '{count, plural, one {# address} other {# addresses}}', {
                count: data.meta.pagination.total,
              })}
              page={page}
              pageCount={data.meta.pagination.pageCount}
              onPageChange={setPage}
            />
          </>
        )}
      </Layouts.Content>
      {adding && <AddSuppressionsDialog onClose={() => setAdding(false)} />}
      <Dialog.Root open={lifting !== null} onOpenChange={(open) => !open && setLifting(null)}>
        <Dialog.Content>
          <Dialog.Header>{t('suppressions.lift.title', 'Lift this suppression?')}</Dialog.Header>
          <Dialog.Body>
            {t(
              'suppressions.lift.body',
              '{email} can be reached again once its contact is set back to subscribed. Only do this when the person asked for it.',
              { email: lifting?.email ?? '' },
            )}
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button variant="tertiary">{t('suppressions.lift.keep', 'Keep it suppressed')}</Button>
            </Dialog.Cancel>
            <Dialog.Action>
              <Button
                variant="danger-light"
                onClick={() =>
                  lifting &&
                  lift.mutate(lifting.documentId, {
                    onError: (error) => toggleNotification({ type: 'danger', message: apiProblemOf(error).message }),
                  })
                }
              >
                {t('suppressions.lift.confirm', 'Lift the suppression')}
              </Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </Page.Main>
  );
};

// Each recipient of a delivery (status, failure, attempts, sent time, reactions), or only the excluded ones and why.
import { useState } from 'react';
import {
  Badge,
  Box,
  Button,
  EmptyStateLayout,
  Flex,
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
import { Download } from '@strapi/icons';
import { Page, useNotification } from '@strapi/strapi/admin';
import { DELIVERY_LOG_STATUSES, EXCLUSION_REASONS, FAILURE_REASONS, FAILURE_TYPES } from '../../../../shared/constants';
import type { Delivery, DeliveryLog } from '../../../../shared/contracts/deliveries';
import { deliveryLogsUrl, useCsvDownload, useDeliveryLogs } from '../../api/client';
import { apiProblemOf } from '../../utils/errors';
import { formatDateTime } from '../../utils/format';
import { TableFooter } from '../TableFooter';
import { isSending } from '../../../../shared/lifecycle';
import { useT } from '../../hooks/useT';
import { useUrlFilters } from '../../hooks/useUrlFilters';

const PAGE_SIZE = 20;

const STATUS_VARIANT: Record<string, 'success' | 'secondary' | 'danger' | 'warning' | 'neutral'> = {
  sent: 'success',
  pending: 'secondary',
  failed: 'danger',
  bounced: 'danger',
  excluded: 'warning',
  unknown: 'warning',
};

export const humanize = (value: string | null | undefined) => (value ? value.replace(/_/g, ' ') : '–');

interface FilterProps {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
}

export const FilterSelect = ({ label, value, options, onChange }: FilterProps) => {
  const t = useT();
  return (
    <Box width="200px">
      <SingleSelect
        aria-label={label}
        placeholder={label}
        value={value}
        onChange={(v) => onChange(String(v))}
        onClear={value ? () => onChange('') : undefined}
        clearLabel={t('common.clear', 'Clear')}
      >
        {options.map((option) => (
          <SingleSelectOption key={option} value={option}>
            {humanize(option)}
          </SingleSelectOption>
        ))}
      </SingleSelect>
    </Box>
  );
};

export const CsvButton = ({ url, filename }: { url: string; filename: string }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const download = useCsvDownload();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="secondary"
      startIcon={<Download />}
      loading={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await download(url, filename);
        } catch (error) {
          toggleNotification({ type: 'danger', message: apiProblemOf(error).message });
        } finally {
          setBusy(false);
        }
      }}
    >
      {t('common.exportCsv', 'Export CSV')}
    </Button>
  );
};

export const DeliveryLogsTab = ({ delivery, mode }: { delivery: Delivery; mode: 'logs' | 'exclusions' }) => {
  const t = useT();
  const {
    filters: inUrl,
    setFilter,
    page,
    setPage,
  } = useUrlFilters(['search', 'status', 'failureType', 'failureReason', 'exclusionReason'] as const, `${mode}.`);
  const { search, status, failureType, failureReason, exclusionReason } = inUrl;
  const exclusions = mode === 'exclusions';
  const filters = exclusions
    ? { search, status: 'excluded', exclusionReason }
    : { search, status, failureType, failureReason };
  const live = isSending(delivery.status);
  const { data, isLoading, isError } = useDeliveryLogs(
    delivery.documentId,
    { page, pageSize: PAGE_SIZE, ...filters },
    live,
  );
  const filtered = Object.entries(filters).some(([key, value]) => value && !(exclusions && key === 'status'));

  const column = (id: string, defaultMessage: string) => (
    <Th>
      <Typography variant="sigma">{t(`logs.column.${id}`, defaultMessage)}</Typography>
    </Th>
  );

  const rows = (log: DeliveryLog) =>
    exclusions ? (
      <Tr key={log.id}>
        <Td>
          <Typography>{log.email}</Typography>
        </Td>
        <Td>
          <Badge variant="warning">{humanize(log.exclusionReason)}</Badge>
        </Td>
      </Tr>
    ) : (
      <Tr key={log.id}>
        <Td>
          <Typography>{log.email}</Typography>
        </Td>
        <Td>
          <Badge variant={STATUS_VARIANT[log.status] ?? 'neutral'}>{log.status}</Badge>
        </Td>
        <Td>
          <Typography>{log.failureType ?? '–'}</Typography>
        </Td>
        <Td>
          <Typography title={log.failureMessage ?? undefined}>
            {log.failureReason
              ? humanize(log.failureReason)
              : log.exclusionReason
                ? humanize(log.exclusionReason)
                : '–'}
          </Typography>
        </Td>
        <Td>
          <Typography>{log.attempts}</Typography>
        </Td>
        <Td>
          <Typography textColor="neutral600">{formatDateTime(log.sentAt)}</Typography>
        </Td>
        <Td>
          <Typography>{log.opens}</Typography>
        </Td>
        <Td>
          <Typography>{log.clicks}</Typography>
        </Td>
      </Tr>
    );

  return (
    <Box paddingTop={4}>
      <Flex paddingBottom={4} gap={3} wrap="wrap" justifyContent="space-between">
        <Flex gap={3} wrap="wrap">
          <Box width="260px">
            <Searchbar
              name="search"
              value={search}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilter('search')(e.target.value)}
              onClear={() => setFilter('search')('')}
              clearLabel={t('common.clear', 'Clear')}
              placeholder={t('logs.search', 'Search by email')}
            >
              {t('logs.search', 'Search by email')}
            </Searchbar>
          </Box>
          {exclusions ? (
            <FilterSelect
              label={t('logs.filter.exclusionReason', 'Reason')}
              value={exclusionReason}
              options={EXCLUSION_REASONS}
              onChange={setFilter('exclusionReason')}
            />
          ) : (
            <>
              <FilterSelect
                label={t('logs.filter.status', 'Status')}
                value={status}
                options={DELIVERY_LOG_STATUSES}
                onChange={setFilter('status')}
              />
              <FilterSelect
                label={t('logs.filter.failureType', 'Failure type')}
                value={failureType}
                options={FAILURE_TYPES}
                onChange={setFilter('failureType')}
              />
              <FilterSelect
                label={t('logs.filter.failureReason', 'Failure reason')}
                value={failureReason}
                options={FAILURE_REASONS}
                onChange={setFilter('failureReason')}
              />
            </>
          )}
        </Flex>
        <CsvButton
          url={deliveryLogsUrl(delivery.documentId, { ...filters, format: 'csv' })}
          filename={`${exclusions ? 'exclusions' : 'delivery-logs'}.csv`}
        />
      </Flex>
      {isLoading ? (
        <Flex justifyContent="center" padding={8}>
          <Loader />
        </Flex>
      ) : isError || !data ? (
        <Page.Error />
      ) : data.data.length === 0 ? (
        <EmptyStateLayout
          content={
            filtered
              ? t('logs.empty.filtered', 'No recipient matches these filters')
              : exclusions
                ? t('logs.exclusions.empty', 'Nobody was left out of this delivery')
                : t('logs.empty', 'No recipients yet: they appear once the delivery is prepared')
          }
        />
      ) : (
        <>
          <Table colCount={exclusions ? 2 : 8} rowCount={data.data.length + 1}>
            <Thead>
              <Tr>
                {column('email', 'Email')}
                {exclusions ? (
                  column('exclusionReason', 'Reason')
                ) : (
                  <>
                    {column('status', 'Status')}
                    {column('failureType', 'Failure type')}
                    {column('reason', 'Reason')}
                    {column('attempts', 'Attempts')}
                    {column('sentAt', 'Sent')}
                    {column('opens', 'Opens')}
                    {column('clicks', 'Clicks')}
                  </>
                )}
              </Tr>
            </Thead>
            <Tbody>{data.data.map(rows)}</Tbody>
          </Table>
          <TableFooter
            summary={t('logs.count', '{count, plural, one {# recipient} other {# recipients}}', {
              count: data.meta.pagination.total,
            })}
            page={page}
            pageCount={data.meta.pagination.pageCount}
            onPageChange={setPage}
            testId="logs-total"
          />
        </>
      )}
    </Box>
  );
};

// Every tracking event of a delivery: when, what, which link, on which device and client, and whether it was a bot or
// a machine open; with filters and a CSV export.
import {
  Badge,
  Box,
  EmptyStateLayout,
  Flex,
  Loader,
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
import { Page } from '@strapi/strapi/admin';
import { DEVICE_TYPES, TRACKING_EVENT_TYPES } from '../../../../shared/constants';
import type { Delivery } from '../../../../shared/contracts/deliveries';
import { trackingLogsUrl, useDeliveryLinks, useTrackingLogs } from '../../api/client';
import { formatDateTime } from '../../utils/format';
import { CsvButton, FilterSelect, humanize } from './DeliveryLogsTab';
import { TableFooter } from '../TableFooter';
import { EventFlags } from './EventFlags';
import { isLive } from '../../../../shared/lifecycle';
import { useT } from '../../hooks/useT';
import { useUrlFilters } from '../../hooks/useUrlFilters';

const PAGE_SIZE = 25;
const TYPE_VARIANT: Record<string, 'primary' | 'success' | 'warning' | 'secondary'> = {
  open: 'primary',
  click: 'success',
  unsubscribe: 'warning',
  mirror: 'secondary',
};

export const TrackingLogsTab = ({ delivery }: { delivery: Delivery }) => {
  const t = useT();
  const { filters, setFilter, page, setPage } = useUrlFilters([
    'type',
    'device',
    'link',
    'isBot',
    'isMachineOpen',
  ] as const);
  const { type, device, link, isBot, isMachineOpen } = filters;
  const live = isLive(delivery.status);
  const { data, isLoading, isError } = useTrackingLogs(
    delivery.documentId,
    { page, pageSize: PAGE_SIZE, ...filters },
    live,
  );
  const links = useDeliveryLinks(delivery.documentId);
  const filtered = Object.values(filters).some(Boolean);

  const flagSelect = (label: string, value: string, onChange: (v: string) => void, yes: string, no: string) => (
    <Box width="200px">
      <SingleSelect
        aria-label={label}
        placeholder={label}
        value={value}
        onChange={(v) => onChange(String(v))}
        onClear={value ? () => onChange('') : undefined}
        clearLabel={t('common.clear', 'Clear')}
      >
        <SingleSelectOption value="true">{yes}</SingleSelectOption>
        <SingleSelectOption value="false">{no}</SingleSelectOption>
      </SingleSelect>
    </Box>
  );

  const column = (id: string, defaultMessage: string) => (
    <Th>
      <Typography variant="sigma">{t(`tracking.column.${id}`, defaultMessage)}</Typography>
    </Th>
  );

  return (
    <Box paddingTop={4}>
      <Flex paddingBottom={4} gap={3} wrap="wrap" justifyContent="space-between">
        <Flex gap={3} wrap="wrap">
          <FilterSelect
            label={t('tracking.filter.type', 'Event')}
            value={type}
            options={TRACKING_EVENT_TYPES}
            onChange={setFilter('type')}
          />
          <FilterSelect
            label={t('tracking.filter.device', 'Device')}
            value={device}
            options={DEVICE_TYPES}
            onChange={setFilter('device')}
          />
          <Box width="260px">
            <SingleSelect
              aria-label={t('tracking.filter.link', 'Link')}
              placeholder={t('tracking.filter.link', 'Link')}
              value={link}
              onChange={(v) => setFilter('link')(String(v))}
              onClear={link ? () => setFilter('link')('') : undefined}
              clearLabel={t('common.clear', 'Clear')}
            >
              {(links.data?.data ?? [])
                .filter((l) => l.kind === 'tracked')
                .map((l) => (
                  <SingleSelectOption
                    key={l.documentId}
                    value={l.documentId}
                  >{`${l.position + 1}. ${l.label || l.url}`}</SingleSelectOption>
                ))}
            </SingleSelect>
          </Box>
          {flagSelect(
            t('tracking.filter.bots', 'Bots'),
            isBot,
            setFilter('isBot'),
            t('tracking.filter.bots.only', 'Only bots'),
            t('tracking.filter.bots.none', 'Without bots'),
          )}
          {flagSelect(
            t('tracking.filter.machine', 'Machine opens'),
            isMachineOpen,
            setFilter('isMachineOpen'),
            t('tracking.filter.machine.only', 'Only machine opens'),
            t('tracking.filter.machine.none', 'Without machine opens'),
          )}
        </Flex>
        <CsvButton
          url={trackingLogsUrl(delivery.documentId, { ...filters, format: 'csv' })}
          filename="tracking-logs.csv"
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
              ? t('tracking.empty.filtered', 'No event matches these filters')
              : t('tracking.empty', 'No opens or clicks recorded yet')
          }
        />
      ) : (
        <>
          <Table colCount={7} rowCount={data.data.length + 1}>
            <Thead>
              <Tr>
                {column('at', 'Time')}
                {column('type', 'Event')}
                {column('email', 'Recipient')}
                {column('link', 'Link')}
                {column('device', 'Device')}
                {column('client', 'Client')}
                {column('flags', 'Flags')}
              </Tr>
            </Thead>
            <Tbody>
              {data.data.map((event) => (
                <Tr key={event.id}>
                  <Td>
                    <Typography textColor="neutral600">{formatDateTime(event.at)}</Typography>
                  </Td>
                  <Td>
                    <Badge variant={TYPE_VARIANT[event.type]}>{event.type}</Badge>
                  </Td>
                  <Td>
                    <Typography>{event.email ?? t('tracking.anonymous', 'anonymous')}</Typography>
                  </Td>
                  <Td>
                    <Box maxWidth="280px">
                      <Typography ellipsis tag="div" title={event.link?.url}>
                        {event.link ? event.link.label || event.link.url : '–'}
                      </Typography>
                    </Box>
                  </Td>
                  <Td>
                    <Typography>{humanize(event.device)}</Typography>
                  </Td>
                  <Td>
                    <Typography>{[event.client, event.os].filter(Boolean).join(' · ') || '–'}</Typography>
                  </Td>
                  <Td>
                    <EventFlags event={event} />
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
          <TableFooter
            summary={t('tracking.count', '{count, plural, one {# event} other {# events}}', {
              count: data.meta.pagination.total,
            })}
            page={page}
            pageCount={data.meta.pagination.pageCount}
            onPageChange={setPage}
            testId="tracking-total"
          />
        </>
      )}
    </Box>
  );
};

// The deliveries list: status, progress, sent, open and click rates; filters and search; create, edit, duplicate, delete.
import { useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  EmptyStateLayout,
  Flex,
  IconButton,
  Link,
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
  VisuallyHidden,
} from '@strapi/design-system';
import { Duplicate, Pencil, Plus, Trash } from '@strapi/icons';
import { ConfirmDialog, Page, useNotification } from '@strapi/strapi/admin';
import { NavLink, useNavigate } from 'react-router-dom';
import { DELIVERY_STATUSES } from '../../../shared/constants';
import type { Delivery, DeliveryInput } from '../../../shared/contracts/deliveries';
import { useDeliveries, useDeliveryMutations, useIndicators } from '../api/client';
import { useCampaignsPermissions } from '../hooks/useCampaignsPermissions';
import { apiProblemOf } from '../utils/errors';
import { formatDateTime, formatNumber, formatPercent, progressOf } from '../utils/format';
import { paths } from '../utils/paths';
import { DeliveryStatusBadge, useStatusLabel } from './DeliveryStatusBadge';
import { Progress } from './Progress';
import { TableFooter } from './TableFooter';
import { isActive, isEditable, isSending, isStarted } from '../../../shared/lifecycle';
import { useT } from '../hooks/useT';
import { useUrlFilters } from '../hooks/useUrlFilters';

const PAGE_SIZE = 20;

/** The fields a copy keeps: everything the editor wrote, as a new draft. */
export const duplicateInput = (
  delivery: Delivery,
  name: string,
): DeliveryInput & { name: string; subject: string } => ({
  name,
  subject: delivery.subject,
  fromName: delivery.fromName,
  fromEmail: delivery.fromEmail,
  replyTo: delivery.replyTo,
  html: delivery.html,
  text: delivery.text,
  lists: delivery.lists.map((list) => list.documentId),
  audienceFilter: delivery.audienceFilter,
  audienceSegments: delivery.audienceSegments,
  trackOpens: delivery.trackOpens,
  trackLinks: delivery.trackLinks,
  linkTracking: delivery.linkTracking,
  sendRate: delivery.sendRate,
});

const Rates = ({ delivery }: { delivery: Delivery }) => {
  const started = isStarted(delivery.status);
  const { data } = useIndicators(delivery.documentId, { enabled: started, live: isSending(delivery.status) });
  const indicators = data?.data;
  return (
    <>
      <Td>
        <Typography>{formatNumber(delivery.counters.sent)}</Typography>
      </Td>
      <Td>
        <Typography>{started && indicators ? formatPercent(indicators.openRate) : '–'}</Typography>
      </Td>
      <Td>
        <Typography>{started && indicators ? formatPercent(indicators.clickThroughRate) : '–'}</Typography>
      </Td>
    </>
  );
};

const DeliveryRow = ({
  delivery,
  canSend,
  onDelete,
}: {
  delivery: Delivery;
  canSend: boolean;
  onDelete: (delivery: Delivery) => void;
}) => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { create } = useDeliveryMutations();
  const progress = progressOf(delivery.counters);

  const duplicate = async () => {
    try {
      const copy = await create.mutateAsync(
        duplicateInput(delivery, t('deliveries.copyOf', 'Copy of {name}', { name: delivery.name })),
      );
      navigate(paths.editDelivery(copy.documentId));
    } catch (error) {
      toggleNotification({ type: 'danger', message: apiProblemOf(error).message });
    }
  };

  return (
    <Tr>
      <Td>
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Link tag={NavLink} to={paths.delivery(delivery.documentId)}>
            {delivery.name}
          </Link>
          <Typography variant="pi" textColor="neutral600">
            {delivery.lists.map((list) => list.name).join(', ') || '–'}
          </Typography>
        </Flex>
      </Td>
      <Td>
        <DeliveryStatusBadge status={delivery.status} />
      </Td>
      <Td>
        <Flex gap={2}>
          <Progress value={progress} width="96px" label={t('deliveries.column.progress', 'Progress')} />
          <Typography variant="pi" textColor="neutral600">
            {formatPercent(progress, 0)}
          </Typography>
        </Flex>
      </Td>
      <Rates delivery={delivery} />
      <Td>
        <Typography textColor="neutral600">
          {formatDateTime(delivery.startedAt ?? delivery.scheduledAt ?? delivery.updatedAt)}
        </Typography>
      </Td>
      <Td>
        {canSend && (
          <Flex gap={1} justifyContent="flex-end">
            {isEditable(delivery.status) && (
              <IconButton
                tag={NavLink}
                to={paths.editDelivery(delivery.documentId)}
                label={t('deliveries.edit', 'Edit {name}', { name: delivery.name })}
                variant="ghost"
              >
                <Pencil />
              </IconButton>
            )}
            <IconButton
              onClick={duplicate}
              disabled={create.isLoading}
              label={t('deliveries.duplicate', 'Duplicate {name}', { name: delivery.name })}
              variant="ghost"
            >
              <Duplicate />
            </IconButton>
            {!isActive(delivery.status) && (
              <IconButton
                onClick={() => onDelete(delivery)}
                label={t('deliveries.delete', 'Delete {name}', { name: delivery.name })}
                variant="ghost"
              >
                <Trash />
              </IconButton>
            )}
          </Flex>
        )}
      </Td>
    </Tr>
  );
};

export const DeliveriesTab = () => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { canSend } = useCampaignsPermissions();
  const statusLabel = useStatusLabel();
  const {
    filters: { search, status },
    setFilter,
    page,
    setPage,
  } = useUrlFilters(['search', 'status'] as const);
  const [toDelete, setToDelete] = useState<Delivery | null>(null);
  const { data, isLoading, isError, refetch } = useDeliveries({ page, pageSize: PAGE_SIZE, search, status });
  const { remove } = useDeliveryMutations();
  const filtered = Boolean(search || status);

  const confirmDelete = async () => {
    if (!toDelete) return;
    try {
      await remove.mutateAsync(toDelete.documentId);
      toggleNotification({
        type: 'success',
        message: t('deliveries.deleted', 'Deleted {name}', { name: toDelete.name }),
      });
    } catch (error) {
      toggleNotification({ type: 'danger', message: apiProblemOf(error).message });
    }
    setToDelete(null);
  };

  const column = (id: string, defaultMessage: string) => (
    <Th>
      <Typography variant="sigma">{t(`deliveries.column.${id}`, defaultMessage)}</Typography>
    </Th>
  );

  return (
    <Box paddingTop={4}>
      <Flex paddingBottom={4} gap={3} wrap="wrap">
        <Box width="320px">
          <Searchbar
            name="search"
            value={search}
            onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilter('search')(e.target.value)}
            onClear={() => setFilter('search')('')}
            clearLabel={t('common.clear', 'Clear')}
            placeholder={t('deliveries.search', 'Search by name')}
          >
            {t('deliveries.search', 'Search by name')}
          </Searchbar>
        </Box>
        <Box width="200px">
          <SingleSelect
            aria-label={t('deliveries.filter.status', 'Status')}
            placeholder={t('deliveries.filter.allStatuses', 'All statuses')}
            value={status}
            onChange={(value) => setFilter('status')(String(value))}
            onClear={status ? () => setFilter('status')('') : undefined}
            clearLabel={t('common.clear', 'Clear')}
          >
            {DELIVERY_STATUSES.map((s) => (
              <SingleSelectOption key={s} value={s}>
                {statusLabel(s)}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Box>
      </Flex>
      {isLoading ? (
        <Flex justifyContent="center" padding={8}>
          <Loader />
        </Flex>
      ) : isError || !data ? (
        <Page.Error
          action={
            <Button variant="secondary" onClick={() => refetch()}>
              {t('common.retry', 'Retry')}
            </Button>
          }
        />
      ) : data.data.length === 0 ? (
        <EmptyStateLayout
          content={
            filtered
              ? t('deliveries.empty.filtered', 'No delivery matches these filters')
              : t('deliveries.empty', 'No deliveries yet')
          }
          action={
            !filtered && canSend ? (
              <Button variant="secondary" startIcon={<Plus />} onClick={() => navigate(paths.newDelivery)}>
                {t('deliveries.createFirst', 'Create your first delivery')}
              </Button>
            ) : undefined
          }
        />
      ) : (
        <>
          <Table colCount={8} rowCount={data.data.length + 1}>
            <Thead>
              <Tr>
                {column('name', 'Delivery')}
                {column('status', 'Status')}
                {column('progress', 'Progress')}
                {column('sent', 'Sent')}
                {column('openRate', 'Open rate')}
                {column('clickRate', 'Click rate')}
                {column('date', 'Started')}
                <Th>
                  <VisuallyHidden>{t('common.actions', 'Actions')}</VisuallyHidden>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {data.data.map((delivery) => (
                <DeliveryRow key={delivery.documentId} delivery={delivery} canSend={canSend} onDelete={setToDelete} />
              ))}
            </Tbody>
          </Table>
          <TableFooter
            summary={t('deliveries.count', '{count, plural, one {# delivery} other {# deliveries}}', {
              count: data.meta.pagination.total,
            })}
            page={page}
            pageCount={data.meta.pagination.pageCount}
            onPageChange={setPage}
          />
        </>
      )}
      <Dialog.Root open={Boolean(toDelete)} onOpenChange={(open) => !open && setToDelete(null)}>
        <ConfirmDialog onConfirm={confirmDelete}>
          {t('deliveries.delete.confirm', 'Delete "{name}" with its logs and tracking events? This cannot be undone.', {
            name: toDelete?.name ?? '',
          })}
        </ConfirmDialog>
      </Dialog.Root>
    </Box>
  );
};

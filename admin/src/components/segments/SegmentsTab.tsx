// The saved engagement segments: each opens its editor (conditions, and who they select now); deleting one asks
// first, and the server refuses while a delivery still has to read it.
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
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import { Page, useNotification } from '@strapi/strapi/admin';
import { NavLink, useNavigate } from 'react-router-dom';
import type { Segment } from '../../../../shared/segments';
import { useSegmentMutations, useSegments } from '../../api/segments';
import { useCampaignsPermissions } from '../../hooks/useCampaignsPermissions';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';
import { formatDateTime } from '../../utils/format';
import { paths } from '../../utils/paths';

export const SegmentsTab = () => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { canSend } = useCampaignsPermissions();
  const { data, isLoading, isError, refetch } = useSegments();
  const { remove } = useSegmentMutations();
  const [deleting, setDeleting] = useState<Segment | null>(null);

  if (isLoading)
    return (
      <Flex justifyContent="center" padding={8}>
        <Loader>{t('segments.list.loading', 'Loading segments')}</Loader>
      </Flex>
    );
  if (isError || !data)
    return (
      <Page.Error
        action={
          <Button variant="secondary" onClick={() => refetch()}>
            {t('common.retry', 'Retry')}
          </Button>
        }
      />
    );
  return (
    <Box paddingTop={4}>
      {canSend && (
        <Flex justifyContent="flex-end" paddingBottom={4}>
          <Button startIcon={<Plus />} variant="secondary" onClick={() => navigate(paths.segment('new'))}>
            {t('segments.create', 'Create segment')}
          </Button>
        </Flex>
      )}
      {!data.data.length ? (
        <EmptyStateLayout
          content={t(
            'segments.list.empty',
            'No segments yet: choose contacts by what they did, such as who did not open your last three newsletters.',
          )}
        />
      ) : (
        <Table colCount={4} rowCount={data.data.length + 1}>
          <Thead>
            <Tr>
              <Th>
                <Typography variant="sigma">{t('segments.column.name', 'Name')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('segments.column.conditions', 'Conditions')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('segments.column.updated', 'Changed')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('segments.column.actions', 'Actions')}</Typography>
              </Th>
            </Tr>
          </Thead>
          <Tbody>
            {data.data.map((segment) => (
              <Tr key={segment.documentId}>
                <Td>
                  <Link tag={NavLink} to={paths.segment(segment.documentId)}>
                    {segment.name}
                  </Link>
                </Td>
                <Td>
                  <Typography>
                    {segment.rules.match === 'all'
                      ? t(
                          'segments.column.conditions.all',
                          '{count, plural, one {# condition} other {all of # conditions}}',
                          {
                            count: segment.rules.conditions.length,
                          },
                        )
                      : t(
                          'segments.column.conditions.any',
                          '{count, plural, one {# condition} other {any of # conditions}}',
                          {
                            count: segment.rules.conditions.length,
                          },
                        )}
                  </Typography>
                </Td>
                <Td>
                  <Typography>{formatDateTime(segment.updatedAt)}</Typography>
                </Td>
                <Td>
                  {canSend && (
                    <IconButton
                      label={t('segments.delete', 'Delete {name}', { name: segment.name })}
                      variant="ghost"
                      onClick={() => setDeleting(segment)}
                    >
                      <Trash />
                    </IconButton>
                  )}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      <Dialog.Root open={deleting !== null} onOpenChange={(open) => !open && setDeleting(null)}>
        <Dialog.Content>
          <Dialog.Header>{t('segments.delete.title', 'Delete this segment?')}</Dialog.Header>
          <Dialog.Body>
            {t('segments.delete.body', '"{name}" goes; its contacts and the deliveries already sent to it stay.', {
              name: deleting?.name ?? '',
            })}
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
            </Dialog.Cancel>
            <Dialog.Action>
              <Button
                variant="danger-light"
                onClick={() =>
                  deleting &&
                  remove.mutate(deleting.documentId, {
                    onSuccess: () =>
                      toggleNotification({ type: 'success', message: t('segments.deleted', 'Segment deleted') }),
                    onError: (error) => toggleNotification({ type: 'danger', message: apiProblemOf(error).message }),
                  })
                }
              >
                {t('segments.delete.confirm', 'Delete segment')}
              </Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </Box>
  );
};

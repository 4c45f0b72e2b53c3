// The layouts: the starters and the admins' own, each opening its editor, starting a delivery or deleted after a
// confirmation that names it.
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
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Pencil, Plus, Trash, Mail } from '@strapi/icons';
import { Page, useNotification } from '@strapi/strapi/admin';
import { useNavigate } from 'react-router-dom';
import type { LayoutSummary } from '../../../../shared/contracts/authoring';
import { useLayoutMutations, useLayouts } from '../../api/layouts';
import { useCampaignsPermissions } from '../../hooks/useCampaignsPermissions';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';
import { paths } from '../../utils/paths';

export const LayoutsTab = () => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { canSend } = useCampaignsPermissions();
  const { data, isLoading, isError } = useLayouts();
  const { create, remove, newDelivery } = useLayoutMutations();
  const [deleting, setDeleting] = useState<LayoutSummary | null>(null);

  const fail = (error: unknown) => toggleNotification({ type: 'danger', message: apiProblemOf(error).message });
  const createLayout = () =>
    create.mutate(
      { name: t('layouts.untitled', 'New layout') },
      { onSuccess: (layout) => navigate(paths.layout(layout.documentId)), onError: fail },
    );
  const startDelivery = (layout: LayoutSummary) =>
    newDelivery.mutate(layout, {
      onSuccess: (delivery) => navigate(paths.editDelivery(delivery.documentId)),
      onError: fail,
    });

  if (isLoading)
    return (
      <Flex justifyContent="center" padding={8}>
        <Loader>{t('layouts.loading', 'Loading layouts')}</Loader>
      </Flex>
    );
  if (isError || !data) return <Page.Error />;
  return (
    <Box paddingTop={4}>
      {canSend && (
        <Flex justifyContent="flex-end" paddingBottom={4}>
          <Button startIcon={<Plus />} variant="secondary" onClick={createLayout} loading={create.isLoading}>
            {t('layouts.create', 'Create layout')}
          </Button>
        </Flex>
      )}
      {!data.length ? (
        <EmptyStateLayout
          content={t('layouts.empty', 'No layouts yet: create one to give your newsletters a look of their own.')}
        />
      ) : (
        <Table colCount={4} rowCount={data.length + 1}>
          <Thead>
            <Tr>
              <Th>
                <Typography variant="sigma">{t('layouts.column.name', 'Name')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('layouts.column.description', 'Description')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('layouts.column.updated', 'Updated')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('layouts.column.actions', 'Actions')}</Typography>
              </Th>
            </Tr>
          </Thead>
          <Tbody>
            {data.map((layout) => (
              <Tr key={layout.documentId}>
                <Td>
                  <Flex gap={2}>
                    <Typography fontWeight="bold">{layout.name}</Typography>
                    {layout.starter && <Badge>{t('layouts.starter', 'Starter')}</Badge>}
                  </Flex>
                </Td>
                <Td>
                  <Typography textColor="neutral600">{layout.description ?? ''}</Typography>
                </Td>
                <Td>
                  <Typography>{new Date(layout.updatedAt).toLocaleDateString()}</Typography>
                </Td>
                <Td>
                  {canSend && (
                    <Flex gap={1}>
                      <IconButton
                        label={t('layouts.newDelivery', 'New delivery from {name}', { name: layout.name })}
                        onClick={() => startDelivery(layout)}
                      >
                        <Mail />
                      </IconButton>
                      <IconButton
                        label={t('layouts.edit', 'Edit {name}', { name: layout.name })}
                        onClick={() => navigate(paths.layout(layout.documentId))}
                      >
                        <Pencil />
                      </IconButton>
                      <IconButton
                        label={t('layouts.delete', 'Delete {name}', { name: layout.name })}
                        onClick={() => setDeleting(layout)}
                      >
                        <Trash />
                      </IconButton>
                    </Flex>
                  )}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      <Dialog.Root open={deleting !== null} onOpenChange={(open) => !open && setDeleting(null)}>
        <Dialog.Content>
          <Dialog.Header>{t('layouts.delete.title', 'Delete this layout?')}</Dialog.Header>
          <Dialog.Body>
            {t(
              'layouts.delete.body',
              'Deliveries already sent keep the layout as it was. Drafts that use "{name}" switch to the first layout.',
              { name: deleting?.name ?? '' },
            )}
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button variant="tertiary">{t('layouts.delete.keep', 'Keep it')}</Button>
            </Dialog.Cancel>
            <Dialog.Action>
              <Button
                variant="danger-light"
                onClick={() => deleting && remove.mutate(deleting.documentId, { onError: fail })}
              >
                {t('layouts.delete.confirm', 'Delete layout')}
              </Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </Box>
  );
};

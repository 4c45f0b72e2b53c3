// The lists with their members by status (one query for the page: server/src/db/lists.ts); created, renamed, and
// deleted after a confirmation that says how many contacts are in them. A list's name opens its contacts; badges say
// which lists sign-up forms offer and which ask for a confirmation (double opt-in).
import { useState } from 'react';
import {
  Badge,
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
import { Download, Pencil, Plus, Trash } from '@strapi/icons';
import { Page, useNotification } from '@strapi/strapi/admin';
import { NavLink } from 'react-router-dom';
import { CONTACT_STATUSES } from '../../../shared/constants';
import type { ContactList } from '../../../shared/contracts/lists';
import { useCsvDownload, useLists } from '../api/client';
import { useListMutations } from '../api/audience';
import { ListFormDialog } from './audience/ListFormDialog';
import { useContactStatusLabel } from './audience/contact-status';
import { useCampaignsPermissions } from '../hooks/useCampaignsPermissions';
import { useT } from '../hooks/useT';
import { apiProblemOf } from '../utils/errors';
import { paths } from '../utils/paths';

export const ListsTab = () => {
  const t = useT();
  const statusLabel = useContactStatusLabel();
  const { toggleNotification } = useNotification();
  const { canSend } = useCampaignsPermissions();
  const { data, isLoading, isError, refetch } = useLists({ page: 1, pageSize: 100, sort: 'name:asc' });
  const { remove } = useListMutations();
  const downloadCsv = useCsvDownload();
  const [editing, setEditing] = useState<ContactList | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ContactList | null>(null);

  const destroy = (list: ContactList) =>
    remove.mutate(list.documentId, {
      onSuccess: () => toggleNotification({ type: 'success', message: t('lists.deleted', 'List deleted') }),
      onError: (error) => toggleNotification({ type: 'danger', message: apiProblemOf(error).message }),
    });

  if (isLoading)
    return (
      <Flex justifyContent="center" padding={8}>
        <Loader>{t('lists.loading', 'Loading lists')}</Loader>
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
          <Button startIcon={<Plus />} variant="secondary" onClick={() => setEditing('new')}>
            {t('lists.new', 'Create list')}
          </Button>
        </Flex>
      )}
      {!data.data.length ? (
        <EmptyStateLayout content={t('lists.empty', 'No lists yet')} />
      ) : (
        <Table colCount={CONTACT_STATUSES.length + 3} rowCount={data.data.length + 1}>
          <Thead>
            <Tr>
              <Th>
                <Typography variant="sigma">{t('lists.column.name', 'Name')}</Typography>
              </Th>
              <Th>
                <Typography variant="sigma">{t('lists.column.contacts', 'Contacts')}</Typography>
              </Th>
              {CONTACT_STATUSES.map((status) => (
                <Th key={status}>
                  <Typography variant="sigma">{statusLabel(status)}</Typography>
                </Th>
              ))}
              <Th>
                <Typography variant="sigma">{t('lists.column.actions', 'Actions')}</Typography>
              </Th>
            </Tr>
          </Thead>
          <Tbody>
            {data.data.map((list) => (
              <Tr key={list.documentId}>
                <Td>
                  <Flex direction="column" alignItems="flex-start">
                    <Link tag={NavLink} to={`${paths.home}?tab=contacts&list=${list.documentId}`}>
                      {list.name}
                    </Link>
                    {list.description ? (
                      <Typography variant="pi" textColor="neutral600">
                        {list.description}
                      </Typography>
                    ) : null}
                    {list.public || list.doubleOptIn ? (
                      <Flex gap={1} paddingTop={1}>
                        {list.public && <Badge>{t('lists.badge.public', 'Sign-up forms')}</Badge>}
                        {list.doubleOptIn && <Badge>{t('lists.badge.doubleOptIn', 'Double opt-in')}</Badge>}
                      </Flex>
                    ) : null}
                  </Flex>
                </Td>
                <Td>
                  <Typography fontWeight="bold">{list.contacts}</Typography>
                </Td>
                {CONTACT_STATUSES.map((status) => (
                  <Td key={status}>
                    <Typography>{list.byStatus[status]}</Typography>
                  </Td>
                ))}
                <Td>
                  <Flex gap={1}>
                    <IconButton
                      label={t('lists.export', 'Export {name} as CSV', { name: list.name })}
                      variant="ghost"
                      onClick={() =>
                        downloadCsv(`/campaigns/contacts/export?list=${list.documentId}`, 'contacts.csv').catch(
                          (error: unknown) =>
                            toggleNotification({ type: 'danger', message: apiProblemOf(error).message }),
                        )
                      }
                    >
                      <Download />
                    </IconButton>
                    {canSend && (
                      <>
                        <IconButton
                          label={t('lists.edit', 'Rename {name}', { name: list.name })}
                          variant="ghost"
                          onClick={() => setEditing(list)}
                        >
                          <Pencil />
                        </IconButton>
                        <IconButton
                          label={t('lists.delete', 'Delete {name}', { name: list.name })}
                          variant="ghost"
                          onClick={() => setDeleting(list)}
                        >
                          <Trash />
                        </IconButton>
                      </>
                    )}
                  </Flex>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {editing && <ListFormDialog list={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <Dialog.Root open={deleting !== null} onOpenChange={(open) => !open && setDeleting(null)}>
        <Dialog.Content>
          <Dialog.Header>{t('lists.delete.title', 'Delete this list?')}</Dialog.Header>
          <Dialog.Body>
            {t(
              'lists.delete.body',
              '"{name}" holds {count, plural, =0 {no contact} one {# contact} other {# contacts}}. The contacts stay; only the list goes.',
              { name: deleting?.name ?? '', count: deleting?.contacts ?? 0 },
            )}
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
            </Dialog.Cancel>
            <Dialog.Action>
              <Button variant="danger-light" onClick={() => deleting && destroy(deleting)}>
                {t('lists.delete.confirm', 'Delete list')}
              </Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </Box>
  );
};

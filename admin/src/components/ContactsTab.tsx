// The contacts: searched and filtered by status, list and an attribute's value (kept in the URL), added by hand, each opening its page,
// deleted one by one on their page or here as a selection after a confirmation that says how many.
import { useState } from 'react';
import {
  Box,
  Button,
  Checkbox,
  Dialog,
  EmptyStateLayout,
  Flex,
  Link,
  Loader,
  Searchbar,
  SingleSelect,
  SingleSelectOption,
  Table,
  TextInput,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { Download, Plus, Trash, Upload } from '@strapi/icons';
import { Page, useNotification } from '@strapi/strapi/admin';
import { NavLink, useNavigate } from 'react-router-dom';
import { CONTACT_STATUSES, type ContactStatus } from '../../../shared/constants';
import { toSearch, useContacts, useCsvDownload, useLists } from '../api/client';
import { useContactMutations } from '../api/audience';
import { TableFooter } from './TableFooter';
import { ContactStatusBadge } from './audience/ContactStatusBadge';
import { NewContactDialog } from './audience/NewContactDialog';
import { useContactStatusLabel } from './audience/contact-status';
import { useCampaignsPermissions } from '../hooks/useCampaignsPermissions';
import { useT } from '../hooks/useT';
import { useUrlFilters } from '../hooks/useUrlFilters';
import { apiProblemOf } from '../utils/errors';
import { paths } from '../utils/paths';

const isStatus = (value: string): value is ContactStatus => (CONTACT_STATUSES as readonly string[]).includes(value);

export const ContactsTab = () => {
  const t = useT();
  const statusLabel = useContactStatusLabel();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { canSend } = useCampaignsPermissions();
  const {
    filters: { search, status, list, attribute, attributeValue },
    setFilter,
    page,
    setPage,
  } = useUrlFilters(['search', 'status', 'list', 'attribute', 'attributeValue'] as const);
  // An attribute filter needs a valid name (letters, digits, _) before it is asked of the server.
  const attributeFilter = /^[A-Za-z0-9_]+$/.test(attribute) ? { attribute, attributeValue } : {};
  const { data, isLoading, isError, refetch } = useContacts({
    page,
    pageSize: 20,
    search,
    status: isStatus(status) ? status : undefined,
    list,
    ...attributeFilter,
  });
  const lists = useLists({ page: 1, pageSize: 100, sort: 'name:asc' });
  const { removeMany } = useContactMutations();
  const downloadCsv = useCsvDownload();
  const [adding, setAdding] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);

  const shown = data?.data ?? [];
  const allShownSelected = shown.length > 0 && shown.every((contact) => selected.includes(contact.documentId));
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => (on ? [...current, id] : current.filter((other) => other !== id)));
  const filtered = Boolean(search || status || list || attribute);

  const deleteSelected = () =>
    removeMany.mutate(selected, {
      onSuccess: ({ deleted }) => {
        setSelected([]);
        toggleNotification({
          type: 'success',
          message: t('contacts.bulkDelete.done', '{count, plural, one {# contact} other {# contacts}} deleted', {
            count: deleted,
          }),
        });
      },
      onError: (error) => toggleNotification({ type: 'danger', message: apiProblemOf(error).message }),
    });

  return (
    <Box paddingTop={4}>
      <Flex paddingBottom={4} gap={3} wrap="wrap" alignItems="flex-end">
        <Box width="320px">
          <Searchbar
            name="search"
            value={search}
            onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilter('search')(e.target.value)}
            onClear={() => setFilter('search')('')}
            clearLabel={t('common.clear', 'Clear')}
            placeholder={t('contacts.search', 'Search by email or name')}
          >
            {t('contacts.search', 'Search by email or name')}
          </Searchbar>
        </Box>
        <Box width="200px">
          <SingleSelect
            aria-label={t('contacts.filter.status', 'Status')}
            placeholder={t('contacts.filter.allStatuses', 'All statuses')}
            value={status}
            onChange={(value) => setFilter('status')(String(value))}
            onClear={status ? () => setFilter('status')('') : undefined}
            clearLabel={t('common.clear', 'Clear')}
          >
            {CONTACT_STATUSES.map((s) => (
              <SingleSelectOption key={s} value={s}>
                {statusLabel(s)}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Box>
        <Box width="220px">
          <SingleSelect
            aria-label={t('contacts.filter.list', 'List')}
            placeholder={t('contacts.filter.allLists', 'All lists')}
            value={list}
            onChange={(value) => setFilter('list')(String(value))}
            onClear={list ? () => setFilter('list')('') : undefined}
            clearLabel={t('common.clear', 'Clear')}
          >
            {(lists.data?.data ?? []).map((l) => (
              <SingleSelectOption key={l.documentId} value={l.documentId}>
                {l.name}
              </SingleSelectOption>
            ))}
          </SingleSelect>
        </Box>
        <Box width="160px">
          <TextInput
            aria-label={t('contacts.filter.attribute', 'Attribute')}
            placeholder={t('contacts.filter.attribute', 'Attribute')}
            value={attribute}
            onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilter('attribute')(e.target.value.trim())}
          />
        </Box>
        <Box width="160px">
          <TextInput
            aria-label={t('contacts.filter.attributeValue', 'Attribute value')}
            placeholder={t('contacts.filter.attributeValue', 'Attribute value')}
            value={attributeValue}
            disabled={!attribute}
            onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFilter('attributeValue')(e.target.value)}
          />
        </Box>
        <Flex marginLeft="auto" gap={2}>
          <Button
            variant="tertiary"
            startIcon={<Download />}
            onClick={() =>
              downloadCsv(
                `/campaigns/contacts/export?${toSearch({ search, status, list, ...attributeFilter })}`,
                'contacts.csv',
              ).catch((error: unknown) => toggleNotification({ type: 'danger', message: apiProblemOf(error).message }))
            }
          >
            {filtered ? t('contacts.export.filtered', 'Export these contacts') : t('contacts.export', 'Export CSV')}
          </Button>
          {canSend && (
            <Flex gap={2}>
              {selected.length > 0 && (
                <Button variant="danger-light" startIcon={<Trash />} onClick={() => setConfirming(true)}>
                  {t('contacts.bulkDelete', 'Delete {count, plural, one {# contact} other {# contacts}}', {
                    count: selected.length,
                  })}
                </Button>
              )}
              <Button variant="tertiary" startIcon={<Upload />} onClick={() => navigate(paths.importContacts)}>
                {t('contacts.import', 'Import CSV')}
              </Button>
              <Button variant="secondary" startIcon={<Plus />} onClick={() => setAdding(true)}>
                {t('contacts.new', 'Add contact')}
              </Button>
            </Flex>
          )}
        </Flex>
      </Flex>
      {isLoading ? (
        <Flex justifyContent="center" padding={8}>
          <Loader>{t('contacts.loading', 'Loading contacts')}</Loader>
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
            !filtered
              ? t('contacts.empty', 'No contacts yet')
              : search && !status && !list && !attribute
                ? t('contacts.empty.search', 'No contact matches "{search}"', { search })
                : t('contacts.empty.filtered', 'No contact matches these filters')
          }
        />
      ) : (
        <>
          <Table colCount={canSend ? 5 : 4} rowCount={data.data.length + 1}>
            <Thead>
              <Tr>
                {canSend && (
                  <Th>
                    <Checkbox
                      aria-label={t('contacts.select.all', 'Select every contact of this page')}
                      checked={allShownSelected}
                      onCheckedChange={(on) =>
                        setSelected((current) =>
                          on === true
                            ? [...new Set([...current, ...shown.map((c) => c.documentId)])]
                            : current.filter((id) => !shown.some((c) => c.documentId === id)),
                        )
                      }
                    />
                  </Th>
                )}
                <Th>
                  <Typography variant="sigma">{t('contacts.column.email', 'Email')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('contacts.column.name', 'Name')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('contacts.column.status', 'Status')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('contacts.column.lists', 'Lists')}</Typography>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {data.data.map((contact) => (
                <Tr key={contact.documentId}>
                  {canSend && (
                    <Td>
                      <Checkbox
                        aria-label={t('contacts.select', 'Select {email}', { email: contact.email })}
                        checked={selected.includes(contact.documentId)}
                        onCheckedChange={(on) => toggle(contact.documentId, on === true)}
                      />
                    </Td>
                  )}
                  <Td>
                    <Link tag={NavLink} to={paths.contact(contact.documentId)}>
                      {contact.email}
                    </Link>
                  </Td>
                  <Td>
                    <Typography>{[contact.firstName, contact.lastName].filter(Boolean).join(' ')}</Typography>
                  </Td>
                  <Td>
                    <ContactStatusBadge status={contact.status} reason={contact.statusReason} />
                  </Td>
                  <Td>
                    <Typography>{contact.lists.map((l) => l.name).join(', ')}</Typography>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
          <TableFooter
            summary={t('contacts.count', '{count, plural, one {# contact} other {# contacts}}', {
              count: data.meta.pagination.total,
            })}
            page={page}
            pageCount={data.meta.pagination.pageCount}
            onPageChange={setPage}
          />
        </>
      )}
      {adding && <NewContactDialog onClose={() => setAdding(false)} />}
      <Dialog.Root open={confirming} onOpenChange={setConfirming}>
        <Dialog.Content>
          <Dialog.Header>{t('contacts.bulkDelete.title', 'Delete these contacts?')}</Dialog.Header>
          <Dialog.Body>
            {t(
              'contacts.bulkDelete.body',
              '{count, plural, one {# contact} other {# contacts}} will be deleted, with their list memberships.',
              { count: selected.length },
            )}
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
            </Dialog.Cancel>
            <Dialog.Action>
              <Button variant="danger-light" onClick={deleteSelected}>
                {t('contacts.bulkDelete.confirm', 'Delete')}
              </Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
      <VisuallyHidden aria-live="polite">
        {selected.length
          ? t('contacts.selected', '{count, plural, one {# contact selected} other {# contacts selected}}', {
              count: selected.length,
            })
          : ''}
      </VisuallyHidden>
    </Box>
  );
};

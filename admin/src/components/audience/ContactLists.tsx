// The lists a contact belongs to: each removed with a button, another added from a menu of the lists it is not in.
import { useState } from 'react';
import { Box, Button, Flex, IconButton, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { Cross, Plus } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import type { Contact } from '../../../../shared/contracts/contacts';
import { useLists } from '../../api/client';
import { useContactMutations } from '../../api/audience';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';

export const ContactLists = ({ contact, canEdit }: { contact: Contact; canEdit: boolean }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const lists = useLists({ page: 1, pageSize: 100, sort: 'name:asc' });
  const { update } = useContactMutations();
  const [chosen, setChosen] = useState('');
  const current = contact.lists.map((list) => list.documentId);
  const others = (lists.data?.data ?? []).filter((list) => !current.includes(list.documentId));

  const save = (next: string[]) =>
    update.mutate(
      { id: contact.documentId, input: { lists: next } },
      {
        onSuccess: () => setChosen(''),
        onError: (error) => toggleNotification({ type: 'danger', message: apiProblemOf(error).message }),
      },
    );

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      {contact.lists.length === 0 ? (
        <Typography textColor="neutral600">{t('contact.lists.none', 'In no list yet.')}</Typography>
      ) : (
        <Flex direction="column" alignItems="stretch" gap={2} tag="ul">
          {contact.lists.map((list) => (
            <Flex key={list.documentId} tag="li" justifyContent="space-between">
              <Typography>{list.name}</Typography>
              {canEdit && (
                <IconButton
                  label={t('contact.lists.remove', 'Remove from {name}', { name: list.name })}
                  variant="ghost"
                  onClick={() => save(current.filter((id) => id !== list.documentId))}
                >
                  <Cross />
                </IconButton>
              )}
            </Flex>
          ))}
        </Flex>
      )}
      {canEdit && others.length > 0 && (
        <Flex gap={2} alignItems="flex-end">
          <Box flex="1">
            <SingleSelect
              aria-label={t('contact.lists.choose', 'List to add to')}
              placeholder={t('contact.lists.choose', 'List to add to')}
              value={chosen}
              onChange={(value) => setChosen(String(value))}
            >
              {others.map((list) => (
                <SingleSelectOption key={list.documentId} value={list.documentId}>
                  {list.name}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Box>
          <Button
            variant="secondary"
            startIcon={<Plus />}
            disabled={!chosen}
            loading={update.isLoading}
            onClick={() => save([...current, chosen])}
          >
            {t('contact.lists.add', 'Add to list')}
          </Button>
        </Flex>
      )}
    </Flex>
  );
};

// A contact's free attributes (from an import or the API: plan, city...), edited as name and value pairs; the
// deliveries' personalisation reads them.
import { useEffect, useState } from 'react';
import { Button, Flex, IconButton, TextInput, Typography } from '@strapi/design-system';
import { Check, Cross, Plus } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import type { Contact } from '../../../../shared/contracts/contacts';
import { useContactMutations } from '../../api/audience';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';

type Pair = { name: string; value: string };

const pairsOf = (attributes: Contact['attributes']): Pair[] =>
  Object.entries(attributes ?? {}).map(([name, value]) => ({
    name,
    value: typeof value === 'string' ? value : JSON.stringify(value),
  }));

export const ContactAttributes = ({ contact, canEdit }: { contact: Contact; canEdit: boolean }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { update } = useContactMutations();
  const [pairs, setPairs] = useState<Pair[]>(() => pairsOf(contact.attributes));
  useEffect(() => setPairs(pairsOf(contact.attributes)), [contact.attributes]);
  const dirty = JSON.stringify(pairs) !== JSON.stringify(pairsOf(contact.attributes));
  const names = pairs.map((pair) => pair.name.trim());
  const problem = names.some((name) => !name)
    ? t('contact.attributes.unnamed', 'Every attribute needs a name.')
    : new Set(names).size !== names.length
      ? t('contact.attributes.duplicate', 'Two attributes have the same name.')
      : null;

  const change = (index: number, next: Partial<Pair>) =>
    setPairs((current) => current.map((pair, i) => (i === index ? { ...pair, ...next } : pair)));
  const save = () =>
    update.mutate(
      {
        id: contact.documentId,
        input: { attributes: Object.fromEntries(pairs.map((pair) => [pair.name.trim(), pair.value])) },
      },
      {
        onSuccess: () => toggleNotification({ type: 'success', message: t('contact.saved', 'Contact saved') }),
        onError: (error) => toggleNotification({ type: 'danger', message: apiProblemOf(error).message }),
      },
    );

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      {pairs.length === 0 && (
        <Typography textColor="neutral600">{t('contact.attributes.none', 'No attributes.')}</Typography>
      )}
      {pairs.map((pair, index) => (
        <Flex key={index} gap={2}>
          <TextInput
            aria-label={t('contact.attributes.name', 'Attribute name')}
            value={pair.name}
            disabled={!canEdit}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => change(index, { name: event.target.value })}
          />
          <TextInput
            aria-label={t('contact.attributes.value', 'Value of {name}', { name: pair.name })}
            value={pair.value}
            disabled={!canEdit}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) => change(index, { value: event.target.value })}
          />
          {canEdit && (
            <IconButton
              label={t('contact.attributes.remove', 'Remove {name}', { name: pair.name })}
              variant="ghost"
              onClick={() => setPairs((current) => current.filter((_, i) => i !== index))}
            >
              <Cross />
            </IconButton>
          )}
        </Flex>
      ))}
      {problem && (
        <Typography variant="pi" textColor="danger600">
          {problem}
        </Typography>
      )}
      {canEdit && (
        <Flex gap={2}>
          <Button
            variant="tertiary"
            startIcon={<Plus />}
            onClick={() => setPairs((current) => [...current, { name: '', value: '' }])}
          >
            {t('contact.attributes.add', 'Add an attribute')}
          </Button>
          <Button startIcon={<Check />} disabled={!dirty || Boolean(problem)} loading={update.isLoading} onClick={save}>
            {t('contact.attributes.save', 'Save attributes')}
          </Button>
        </Flex>
      )}
    </Flex>
  );
};

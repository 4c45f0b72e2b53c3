// Creating a list or renaming one: its name and description, checked as the admin types; the API's refusal (a name
// already taken) shows under its field.
import { useMemo } from 'react';
import { Button, Grid, Modal } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { listCreateBody } from '../../../../shared/audience-input';
import type { ContactList } from '../../../../shared/contracts/lists';
import { useListMutations } from '../../api/audience';
import { TextField } from '../form/fields';
import { useSchemaForm } from '../form/useSchemaForm';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';

/** `list`: the list renamed; none to create one. */
export const ListFormDialog = ({ list, onClose }: { list?: ContactList; onClose: () => void }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { create, update } = useListMutations();
  const initial = useMemo(() => ({ name: list?.name ?? '', description: list?.description ?? '' }), [list]);
  const form = useSchemaForm(listCreateBody, initial);
  const busy = create.isLoading || update.isLoading;

  const submit = async () => {
    const input = { name: form.values.name.trim(), description: form.values.description.trim() || null };
    try {
      if (list) await update.mutateAsync({ id: list.documentId, input });
      else await create.mutateAsync(input);
      toggleNotification({
        type: 'success',
        message: list ? t('lists.renamed', 'List saved') : t('lists.created', 'List created'),
      });
      onClose();
    } catch (error) {
      const problem = apiProblemOf(error);
      form.setServerErrors(problem.fields);
      if (!Object.keys(problem.fields).length) toggleNotification({ type: 'danger', message: problem.message });
    }
  };

  return (
    <Modal.Root open onOpenChange={(open) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>
            {list ? t('lists.edit.title', 'Rename the list') : t('lists.new.title', 'New list')}
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <form
            id="campaigns-list-form"
            onSubmit={(event) => {
              event.preventDefault();
              void submit();
            }}
          >
            <Grid.Root gap={4}>
              <TextField form={form} path="name" col={12} label={t('lists.field.name', 'Name')} required />
              <TextField form={form} path="description" col={12} label={t('lists.field.description', 'Description')} />
            </Grid.Root>
          </form>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
          </Modal.Close>
          <Button type="submit" form="campaigns-list-form" loading={busy} disabled={!form.valid}>
            {list ? t('lists.edit.submit', 'Save') : t('lists.new.submit', 'Create list')}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};

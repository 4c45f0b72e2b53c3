// Creating a list or renaming one: its name, description and sign-up flags (offered on public forms, double opt-in), checked as the admin types; the API's refusal (a name
// already taken) shows under its field.
import { useMemo } from 'react';
import { Button, Grid, Modal } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { listCreateBody } from '../../../../shared/audience-input';
import type { ContactList } from '../../../../shared/contracts/lists';
import { useListMutations } from '../../api/audience';
import { TextField, ToggleField } from '../form/fields';
import { useSchemaForm } from '../form/useSchemaForm';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';

/** `list`: the list renamed; none to create one. */
export const ListFormDialog = ({ list, onClose }: { list?: ContactList; onClose: () => void }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { create, update } = useListMutations();
  const initial = useMemo(
    () => ({
      name: list?.name ?? '',
      description: list?.description ?? '',
      public: list?.public ?? false,
      doubleOptIn: list?.doubleOptIn ?? false,
    }),
    [list],
  );
  const form = useSchemaForm(listCreateBody, initial);
  const busy = create.isLoading || update.isLoading;

  const submit = async () => {
    const input = {
      name: form.values.name.trim(),
      description: form.values.description.trim() || null,
      public: Boolean(form.values.public),
      doubleOptIn: Boolean(form.values.doubleOptIn),
    };
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
              <ToggleField
                form={form}
                path="public"
                col={6}
                label={t('lists.field.public', 'Offered on sign-up forms')}
                hint={t('lists.field.public.hint', 'Anyone may subscribe to it from a public form.')}
              />
              <ToggleField
                form={form}
                path="doubleOptIn"
                col={6}
                label={t('lists.field.doubleOptIn', 'Double opt-in')}
                hint={t('lists.field.doubleOptIn.hint', 'Form sign-ups join once they confirm from an email.')}
              />
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

// Naming something (a report when saved or renamed, a layout saved from a delivery): checked as the admin types by
// the rule the API checks names by (shared/name.ts); the API's refusal shows under the field.
import { useMemo, useState } from 'react';
import { Button, Grid, Modal } from '@strapi/design-system';
import { z } from 'zod';
import { nameSchema } from '../../../shared/name';
import { apiProblemOf } from '../utils/errors';
import { useT } from '../hooks/useT';
import { TextField } from './form/fields';
import { useSchemaForm } from './form/useSchemaForm';

interface Props {
  open: boolean;
  title: string;
  initialName: string;
  submitLabel: string;
  /** The field's label; a report's name unless said otherwise. */
  label?: string;
  onClose: () => void;
  onSubmit: (name: string) => Promise<unknown>;
}

const nameForm = z.object({ name: nameSchema });

export const NameDialog = ({ open, title, onClose, ...props }: Props) => (
  <Modal.Root open={open} onOpenChange={(next) => !next && onClose()}>
    <Modal.Content>
      <Modal.Header>
        <Modal.Title>{title}</Modal.Title>
      </Modal.Header>
      {/* The content is mounted when the dialog opens, so each opening starts from the name given. */}
      <NameForm onClose={onClose} {...props} />
    </Modal.Content>
  </Modal.Root>
);

const NameForm = ({ initialName, submitLabel, label, onClose, onSubmit }: Omit<Props, 'open' | 'title'>) => {
  const t = useT();
  const initial = useMemo(() => ({ name: initialName }), [initialName]);
  const form = useSchemaForm(nameForm, initial);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!form.valid) return;
    setBusy(true);
    try {
      await onSubmit(form.values.name.trim());
      onClose();
    } catch (error) {
      const problem = apiProblemOf(error);
      form.setServerErrors({ name: problem.fields.name ?? problem.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Modal.Body>
        <form
          id="campaigns-name-dialog"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Grid.Root>
            <TextField
              form={form}
              path="name"
              label={label ?? t('reports.name', 'Report name')}
              col={12}
              required
              autoFocus
            />
          </Grid.Root>
        </form>
      </Modal.Body>
      <Modal.Footer>
        <Modal.Close>
          <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
        </Modal.Close>
        <Button type="submit" form="campaigns-name-dialog" loading={busy} disabled={!form.valid}>
          {submitLabel}
        </Button>
      </Modal.Footer>
    </>
  );
};

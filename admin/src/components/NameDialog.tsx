// Naming something (a report when saved or renamed, a layout saved from a delivery); the API's refusal shows under
// the field.
import { useEffect, useState } from 'react';
import { Button, Field, Modal, TextInput } from '@strapi/design-system';
import { apiProblemOf } from '../utils/errors';
import { useT } from '../hooks/useT';

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

export const NameDialog = ({ open, title, initialName, submitLabel, label, onClose, onSubmit }: Props) => {
  const t = useT();
  const [name, setName] = useState(initialName);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) {
      setName(initialName);
      setError(undefined);
    }
  }, [open, initialName]);

  const submit = async () => {
    if (!name.trim()) {
      setError(
        label ? t('common.name.required', 'Give it a name.') : t('reports.name.required', 'Give the report a name.'),
      );
      return;
    }
    setBusy(true);
    try {
      await onSubmit(name.trim());
      onClose();
    } catch (e) {
      const problem = apiProblemOf(e);
      setError(problem.fields.name ?? problem.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal.Root open={open} onOpenChange={(next) => !next && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{title}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <form
            id="campaigns-report-name"
            onSubmit={(event) => {
              event.preventDefault();
              void submit();
            }}
          >
            <Field.Root name="name" error={error} required>
              <Field.Label>{label ?? t('reports.name', 'Report name')}</Field.Label>
              <TextInput
                value={name}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setName(e.target.value)}
                autoFocus
              />
              <Field.Error />
            </Field.Root>
          </form>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
          </Modal.Close>
          <Button type="submit" form="campaigns-report-name" loading={busy}>
            {submitLabel}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};

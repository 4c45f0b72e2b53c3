// "Send to those who did not open" (or did not click): the follow-up's kind, its own subject and the delay before it
// is sent, checked as the admin types by the rule the API checks them by (shared/follow-ups.ts).
import { useMemo, useState } from 'react';
import { Button, Grid, Modal } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { useNavigate } from 'react-router-dom';
import type { Delivery } from '../../../../shared/contracts/deliveries';
import { followUpCreateBody, type FollowUpCreateInput, type FollowUpKind } from '../../../../shared/follow-ups';
import { useCreateFollowUp } from '../../api/follow-ups';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';
import { paths } from '../../utils/paths';
import { CheckboxField, NumberField, RadioField, TextField } from '../form/fields';
import { useSchemaForm } from '../form/useSchemaForm';

interface Props {
  parent: Delivery;
  /** The kind the admin chose, or null when the dialog is closed. */
  kind: FollowUpKind | null;
  onClose: () => void;
}

export const FollowUpDialog = ({ parent, kind, onClose }: Props) => {
  const t = useT();
  return (
    <Modal.Root open={kind !== null} onOpenChange={(next) => !next && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('followUps.dialog.title', 'Follow up "{name}"', { name: parent.name })}</Modal.Title>
        </Modal.Header>
        {/* Mounted when the dialog opens: each opening starts from the kind chosen and the parent's subject. */}
        {kind && <FollowUpForm parent={parent} kind={kind} onClose={onClose} />}
      </Modal.Content>
    </Modal.Root>
  );
};

const FollowUpForm = ({ parent, kind, onClose }: Props & { kind: FollowUpKind }) => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const create = useCreateFollowUp(parent.documentId);
  const initial = useMemo<FollowUpCreateInput>(
    () => ({ kind, subject: parent.subject, delayHours: 48, schedule: true }),
    [kind, parent.subject],
  );
  const form = useSchemaForm(followUpCreateBody, initial);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!form.valid) return;
    setBusy(true);
    try {
      const created = await create.mutateAsync(form.values);
      toggleNotification({
        type: 'success',
        message: form.values.schedule
          ? t('followUps.created.scheduled', 'Follow-up scheduled')
          : t('followUps.created.draft', 'Follow-up created as a draft'),
      });
      onClose();
      const id = created.data.documentId;
      navigate(form.values.schedule ? paths.delivery(id) : paths.editDelivery(id));
    } catch (error) {
      const problem = apiProblemOf(error);
      if (Object.keys(problem.fields).length) form.setServerErrors(problem.fields);
      else toggleNotification({ type: 'danger', message: problem.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Modal.Body>
        <form
          id="campaigns-follow-up-dialog"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Grid.Root gap={4}>
            <RadioField
              form={form}
              path="kind"
              label={t('followUps.kind', 'Send to')}
              hint={t(
                'followUps.kind.hint',
                'Counted when it is sent: someone who opens meanwhile is left out. Machine opens (Apple Mail Privacy Protection, scanners) are not opens.',
              )}
              options={[
                { value: 'not_opened', label: t('followUps.kind.not_opened', 'Those who did not open') },
                { value: 'not_clicked', label: t('followUps.kind.not_clicked', 'Those who did not click') },
              ]}
            />
            <TextField form={form} path="subject" label={t('followUps.subject', 'Subject')} col={12} required />
            <NumberField
              form={form}
              path="delayHours"
              label={t('followUps.delayHours', 'Send in (hours)')}
              hint={t('followUps.delayHours.hint', '0 sends it now')}
              col={6}
              required
            />
            <Grid.Item col={6} s={12} alignItems="center">
              <CheckboxField form={form} path="schedule" label={t('followUps.schedule', 'Schedule it now')} />
            </Grid.Item>
          </Grid.Root>
        </form>
      </Modal.Body>
      <Modal.Footer>
        <Modal.Close>
          <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
        </Modal.Close>
        <Button type="submit" form="campaigns-follow-up-dialog" loading={busy} disabled={!form.valid}>
          {form.values.schedule
            ? t('followUps.submit.schedule', 'Create and schedule')
            : t('followUps.submit.draft', 'Create and edit')}
        </Button>
      </Modal.Footer>
    </>
  );
};

// Adding a contact by hand: its profile, checked as the admin types; the API's refusal (an address already there)
// shows under its field.
import { Button, Modal } from '@strapi/design-system';
import { useNotification } from '@strapi/strapi/admin';
import { useNavigate } from 'react-router-dom';
import { contactCreateBody } from '../../../../shared/audience-input';
import { useContactMutations } from '../../api/audience';
import { useSchemaForm } from '../form/useSchemaForm';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';
import { paths } from '../../utils/paths';
import { contactInput, emptyContact } from './contact-form';
import { ContactProfileFields } from './ContactProfileFields';

export const NewContactDialog = ({ onClose }: { onClose: () => void }) => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { create } = useContactMutations();
  const form = useSchemaForm(contactCreateBody, emptyContact);

  const submit = () =>
    create.mutate(contactInput(form.values), {
      onSuccess: (contact) => {
        toggleNotification({ type: 'success', message: t('contacts.created', 'Contact added') });
        onClose();
        navigate(paths.contact(contact.documentId));
      },
      onError: (error) => {
        const problem = apiProblemOf(error);
        form.setServerErrors(problem.fields);
        if (!Object.keys(problem.fields).length) toggleNotification({ type: 'danger', message: problem.message });
      },
    });

  return (
    <Modal.Root open onOpenChange={(open) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('contacts.new.title', 'New contact')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <form
            id="campaigns-new-contact"
            onSubmit={(event) => {
              event.preventDefault();
              submit();
            }}
          >
            <ContactProfileFields form={form} />
          </form>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
          </Modal.Close>
          <Button type="submit" form="campaigns-new-contact" loading={create.isLoading} disabled={!form.valid}>
            {t('contacts.new.submit', 'Add contact')}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};

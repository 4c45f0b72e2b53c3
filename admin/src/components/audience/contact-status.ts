// The words for a contact's statuses, in one place for the badge, the filter and the forms.
import { CONTACT_STATUSES, type ContactStatus } from '../../../../shared/constants';
import { useT } from '../../hooks/useT';

export const useContactStatusLabel = () => {
  const t = useT();
  const labels: Record<ContactStatus, string> = {
    subscribed: t('contacts.status.subscribed', 'Subscribed'),
    unconfirmed: t('contacts.status.unconfirmed', 'Unconfirmed'),
    unsubscribed: t('contacts.status.unsubscribed', 'Unsubscribed'),
    bounced: t('contacts.status.bounced', 'Bounced'),
    quarantined: t('contacts.status.quarantined', 'Quarantined'),
  };
  return (status: ContactStatus) => labels[status];
};

export const useContactStatusOptions = () => {
  const label = useContactStatusLabel();
  return CONTACT_STATUSES.map((status) => ({ value: status, label: label(status) }));
};

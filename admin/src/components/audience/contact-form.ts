// A contact's profile as the forms hold it (every field a string) and as the API takes it (empty means none).
import type { ContactStatus } from '../../../../shared/constants';
import type { Contact, ContactInput } from '../../../../shared/contracts/contacts';

export interface ContactFormValues extends Record<string, unknown> {
  email: string;
  firstName: string;
  lastName: string;
  locale: string;
  status: ContactStatus;
}

export const emptyContact: ContactFormValues = {
  email: '',
  firstName: '',
  lastName: '',
  locale: '',
  status: 'subscribed',
};

export const contactFormValues = (contact: Contact): ContactFormValues => ({
  email: contact.email,
  firstName: contact.firstName ?? '',
  lastName: contact.lastName ?? '',
  locale: contact.locale ?? '',
  status: contact.status,
});

const orNull = (value: string) => (value.trim() ? value.trim() : null);

export const contactInput = (values: ContactFormValues): ContactInput => ({
  email: values.email.trim(),
  firstName: orNull(values.firstName),
  lastName: orNull(values.lastName),
  locale: orNull(values.locale),
  status: values.status,
});

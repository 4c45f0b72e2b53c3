// One contact: its profile and status edited with the form kit, its consent (status, why and since when), its
// attributes and its lists; deleted after a confirmation.
import { useMemo, useState } from 'react';
import { Box, Button, Dialog, EmptyStateLayout, Flex, Grid, Loader, Typography } from '@strapi/design-system';
import { Check, Trash } from '@strapi/icons';
import { BackButton, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useNavigate, useParams } from 'react-router-dom';
import { contactUpdateBody } from '../../../shared/audience-input';
import type { Contact } from '../../../shared/contracts/contacts';
import { useContact, useContactMutations } from '../api/audience';
import { Section } from '../components/Section';
import { ContactAttributes } from '../components/audience/ContactAttributes';
import { ContactDataActions } from '../components/audience/ContactDataActions';
import { ContactLists } from '../components/audience/ContactLists';
import { ContactProfileFields } from '../components/audience/ContactProfileFields';
import { ContactStatusBadge } from '../components/audience/ContactStatusBadge';
import { ContactTimeline } from '../components/audience/ContactTimeline';
import { contactFormValues, contactInput } from '../components/audience/contact-form';
import { useSchemaForm } from '../components/form/useSchemaForm';
import { useCampaignsPermissions } from '../hooks/useCampaignsPermissions';
import { useT } from '../hooks/useT';
import { apiProblemOf } from '../utils/errors';
import { formatDateTime } from '../utils/format';
import { paths } from '../utils/paths';

const CONTACTS_TAB = `${paths.home}?tab=contacts`;

const ContactView = ({ contact }: { contact: Contact }) => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { canSend } = useCampaignsPermissions();
  const { update, remove } = useContactMutations();
  const initial = useMemo(() => contactFormValues(contact), [contact]);
  const form = useSchemaForm(contactUpdateBody, initial);
  const [confirming, setConfirming] = useState(false);
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');

  const save = () =>
    update.mutate(
      { id: contact.documentId, input: contactInput(form.values) },
      {
        onSuccess: () => toggleNotification({ type: 'success', message: t('contact.saved', 'Contact saved') }),
        onError: (error) => {
          const problem = apiProblemOf(error);
          form.setServerErrors(problem.fields);
          toggleNotification({ type: 'danger', message: problem.message });
        },
      },
    );
  const destroy = () =>
    remove.mutate(contact.documentId, {
      onSuccess: () => {
        toggleNotification({ type: 'success', message: t('contact.deleted', 'Contact deleted') });
        navigate(CONTACTS_TAB);
      },
      onError: (error) => toggleNotification({ type: 'danger', message: apiProblemOf(error).message }),
    });

  return (
    <>
      <Layouts.Header
        navigationAction={<BackButton fallback={CONTACTS_TAB} />}
        title={contact.email}
        subtitle={name || undefined}
        secondaryAction={<ContactDataActions contact={contact} />}
        primaryAction={
          canSend ? (
            <Flex gap={2}>
              <Button variant="danger-light" startIcon={<Trash />} onClick={() => setConfirming(true)}>
                {t('contact.delete', 'Delete contact')}
              </Button>
              <Button
                startIcon={<Check />}
                onClick={save}
                loading={update.isLoading}
                disabled={!form.dirty || !form.valid}
              >
                {t('contact.save', 'Save')}
              </Button>
            </Flex>
          ) : undefined
        }
      />
      <Layouts.Content>
        <Grid.Root gap={6}>
          <Grid.Item col={7} s={12} direction="column" alignItems="stretch">
            <Flex direction="column" alignItems="stretch" gap={6}>
              <Section title={t('contact.profile', 'Profile')}>
                <ContactProfileFields form={form} />
              </Section>
              <Section
                title={t('contact.attributes', 'Attributes')}
                description={t('contact.attributes.hint', 'Free fields a delivery can write into its message.')}
              >
                <ContactAttributes contact={contact} canEdit={canSend} />
              </Section>
            </Flex>
          </Grid.Item>
          <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
            <Flex direction="column" alignItems="stretch" gap={6}>
              <Section title={t('contact.consent', 'Consent')}>
                <Flex direction="column" alignItems="stretch" gap={2}>
                  <ContactStatusBadge status={contact.status} reason={contact.statusReason} />
                  <Typography variant="pi" textColor="neutral600">
                    {t('contact.consent.since', 'Since {date}', {
                      date: formatDateTime(contact.statusChangedAt ?? contact.createdAt),
                    })}
                  </Typography>
                  {contact.inactive && (
                    <Typography variant="pi" textColor="neutral600">
                      {t('contact.inactive', 'Inactive since {date}: no open or click in recent deliveries.', {
                        date: formatDateTime(contact.inactiveSince),
                      })}
                    </Typography>
                  )}
                  <Typography variant="pi" textColor="neutral600">
                    {t('contact.createdAt', 'Added {date}', { date: formatDateTime(contact.createdAt) })}
                  </Typography>
                </Flex>
              </Section>
              <Section title={t('contact.lists', 'Lists')}>
                <ContactLists contact={contact} canEdit={canSend} />
              </Section>
            </Flex>
          </Grid.Item>
          <Grid.Item col={12} direction="column" alignItems="stretch">
            <ContactTimeline contactId={contact.documentId} />
          </Grid.Item>
        </Grid.Root>
      </Layouts.Content>
      <Dialog.Root open={confirming} onOpenChange={setConfirming}>
        <Dialog.Content>
          <Dialog.Header>{t('contact.delete.title', 'Delete this contact?')}</Dialog.Header>
          <Dialog.Body>
            {t('contact.delete.body', '{email} will be deleted, with its list memberships.', {
              email: contact.email,
            })}
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
            </Dialog.Cancel>
            <Dialog.Action>
              <Button variant="danger-light" onClick={destroy}>
                {t('contact.delete', 'Delete contact')}
              </Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </>
  );
};

export const ContactPage = () => {
  const t = useT();
  const { id } = useParams<{ id: string }>();
  const { data, isLoading, isError, error, refetch } = useContact(id);
  return (
    <Page.Main>
      <Page.Title>{data?.email ?? t('contact.title', 'Contact')}</Page.Title>
      {isLoading ? (
        <Flex justifyContent="center" padding={8}>
          <Loader>{t('contact.loading', 'Loading the contact')}</Loader>
        </Flex>
      ) : isError && apiProblemOf(error).status === 404 ? (
        <Box padding={8}>
          <EmptyStateLayout
            content={t('contact.notFound', 'This contact does not exist any more.')}
            action={<BackButton fallback={CONTACTS_TAB} />}
          />
        </Box>
      ) : isError || !data ? (
        <Page.Error
          action={
            <Button variant="secondary" onClick={() => refetch()}>
              {t('common.retry', 'Retry')}
            </Button>
          }
        />
      ) : (
        <ContactView contact={data} />
      )}
    </Page.Main>
  );
};

// A contact's data on request, on the contact page: "Export data" downloads everything the plugin holds about the
// person (GET /contacts/:id/data); "Erase" anonymises them for good (POST /contacts/:id/erase) once the admin has typed
// the address, so a slip of the mouse cannot erase anyone.
import { useMemo, useState } from 'react';
import { Button, Dialog, Flex, Grid, Typography } from '@strapi/design-system';
import { CrossCircle, Download } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { z } from 'zod';
import type { Contact } from '../../../../shared/contracts/contacts';
import { useContactMutations } from '../../api/audience';
import { useCsvDownload } from '../../api/client';
import { TextField } from '../form/fields';
import { useSchemaForm } from '../form/useSchemaForm';
import { useCampaignsPermissions } from '../../hooks/useCampaignsPermissions';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';

/** An address the erasure left (audience/erased-address.ts): nothing is left to export or erase but figures. */
const isErased = (email: string) => email.endsWith('@erased.invalid');

export const ContactDataActions = ({ contact }: { contact: Contact }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { canSend } = useCampaignsPermissions();
  const { erase } = useContactMutations();
  const download = useCsvDownload();
  const [confirming, setConfirming] = useState(false);
  const [exporting, setExporting] = useState(false);
  const mismatch = t('contact.erase.mismatch', 'Type the contact’s address exactly.');
  const schema = useMemo(
    () =>
      z.object({
        // Empty is no mistake yet: the button waits, and the field says nothing until something is typed.
        email: z.string().refine((value) => !value || value.trim().toLowerCase() === contact.email, mismatch),
      }),
    [contact.email, mismatch],
  );
  const initial = useMemo(() => ({ email: '' }), []);
  const form = useSchemaForm(schema, initial);

  const exportData = async () => {
    setExporting(true);
    try {
      await download(`/campaigns/contacts/${contact.documentId}/data`, `contact-${contact.documentId}.json`);
    } catch (error) {
      toggleNotification({ type: 'danger', message: apiProblemOf(error).message });
    } finally {
      setExporting(false);
    }
  };

  const confirmErase = () =>
    erase.mutate(
      { id: contact.documentId, email: form.values.email },
      {
        onSuccess: () => {
          setConfirming(false);
          toggleNotification({
            type: 'success',
            message: t('contact.erase.done', 'Contact erased: its figures stay, nothing identifies the person.'),
          });
        },
        onError: (error) => {
          const problem = apiProblemOf(error);
          form.setServerErrors(problem.fields);
          toggleNotification({ type: 'danger', message: problem.message });
        },
      },
    );

  if (isErased(contact.email)) return null;
  return (
    <>
      <Flex gap={2}>
        <Button variant="tertiary" startIcon={<Download />} onClick={exportData} loading={exporting}>
          {t('contact.exportData', 'Export data')}
        </Button>
        {canSend ? (
          <Button variant="danger-light" startIcon={<CrossCircle />} onClick={() => setConfirming(true)}>
            {t('contact.erase', 'Erase')}
          </Button>
        ) : null}
      </Flex>
      <Dialog.Root open={confirming} onOpenChange={setConfirming}>
        <Dialog.Content>
          <Dialog.Header>{t('contact.erase.title', 'Erase this person’s data?')}</Dialog.Header>
          <Dialog.Body>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography>
                {t(
                  'contact.erase.body',
                  'Their address, names, attributes and list memberships are removed, and the IP addresses and browsers of their reactions cleared. The figures of past deliveries stay the same. The address is never mailed again. This cannot be undone.',
                )}
              </Typography>
              <Grid.Root gap={4}>
                <TextField
                  form={form}
                  path="email"
                  col={12}
                  label={t('contact.erase.confirm', 'Type {email} to confirm', { email: contact.email })}
                  autoFocus
                />
              </Grid.Root>
            </Flex>
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button variant="tertiary">{t('common.cancel', 'Cancel')}</Button>
            </Dialog.Cancel>
            <Button
              variant="danger"
              onClick={confirmErase}
              loading={erase.isLoading}
              disabled={!form.valid || !form.values.email}
            >
              {t('contact.erase', 'Erase')}
            </Button>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </>
  );
};

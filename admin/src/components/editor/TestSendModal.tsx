// Sends a proof of the delivery to a few addresses, the signed-in admin's own by default (not logged, not counted;
// its links go through the tracking route, redirected and never recorded, so each can be tried). The addresses are
// checked as the admin types, by the rule the API checks them by (shared/delivery-input.ts).
import { useMemo, useState } from 'react';
import { useAuth } from '@strapi/strapi/admin';
import { Box, Button, Flex, Grid, Modal, Typography } from '@strapi/design-system';
import { z } from 'zod';
import type { TestSendResult } from '../../../../shared/contracts/deliveries';
import { testAddressesSchema } from '../../../../shared/delivery-input';
import { useT } from '../../hooks/useT';
import { ListField } from '../form/fields';
import { useSchemaForm } from '../form/useSchemaForm';

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Saves the delivery if needed, then sends; resolves with what the server answered, or rejects with a message. */
  onSend: (emails: string[]) => Promise<TestSendResult>;
  defaultEmail?: string;
}

const addressesForm = z.object({ emails: testAddressesSchema });

export const TestSendModal = ({ open, onOpenChange, onSend, defaultEmail }: Props) => {
  const t = useT();
  const me = useAuth('TestSendModal', (auth) => auth.user?.email);
  const initial = useMemo(() => ({ emails: [defaultEmail ?? me ?? ''].filter(Boolean) }), [defaultEmail, me]);
  const form = useSchemaForm(addressesForm, initial);
  const [result, setResult] = useState<TestSendResult | null>(null);
  const [sending, setSending] = useState(false);

  const submit = async () => {
    if (!form.valid) return;
    setSending(true);
    setResult(null);
    try {
      setResult(await onSend(form.values.emails));
    } catch (error) {
      form.setServerErrors({ emails: (error as Error).message });
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal.Root
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (!next) setResult(null);
      }}
    >
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('editor.test.title', 'Send a test')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Grid.Root>
              <ListField
                form={form}
                path="emails"
                label={t('editor.test.addresses', 'Addresses')}
                hint={t(
                  'editor.test.hint',
                  'Up to ten addresses, separated by commas or new lines. The subject starts with [Test]; nothing is logged or counted.',
                )}
                col={12}
                multiline
              />
            </Grid.Root>
            {result && (
              <Box background={result.failed.length ? 'danger100' : 'success100'} padding={3} hasRadius role="status">
                {result.sent.map((sent) => (
                  <Typography key={sent.email} tag="p" textColor="success700">
                    {t('editor.test.sent', 'Sent to {email}', { email: sent.email })}
                  </Typography>
                ))}
                {result.failed.map((failed) => (
                  <Typography key={failed.email} tag="p" textColor="danger700">
                    {t('editor.test.failed', 'Not sent to {email}: {error}', failed)}
                  </Typography>
                ))}
              </Box>
            )}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('common.close', 'Close')}</Button>
          </Modal.Close>
          <Button onClick={submit} loading={sending} disabled={!form.valid}>
            {t('editor.test.send', 'Send test')}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};

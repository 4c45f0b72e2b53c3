// Sends a proof of the delivery to a few addresses, the signed-in admin's own by default (not logged, not counted;
// its links go through the tracking route, redirected and never recorded, so each can be tried).
import { useState } from 'react';
import { useAuth } from '@strapi/strapi/admin';
import { Box, Button, Field, Flex, Modal, Textarea, Typography } from '@strapi/design-system';
import type { TestSendResult } from '../../../../shared/contracts/deliveries';
import { useT } from '../../hooks/useT';

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Saves the delivery if needed, then sends; resolves with what the server answered, or rejects with a message. */
  onSend: (emails: string[]) => Promise<TestSendResult>;
  defaultEmail?: string;
}

export const parseAddresses = (value: string) =>
  value
    .split(/[\s,;]+/)
    .map((email) => email.trim())
    .filter(Boolean);

export const TestSendModal = ({ open, onOpenChange, onSend, defaultEmail }: Props) => {
  const t = useT();
  const me = useAuth('TestSendModal', (auth) => auth.user?.email);
  const [value, setValue] = useState(defaultEmail ?? me ?? '');
  const [error, setError] = useState<string | undefined>();
  const [result, setResult] = useState<TestSendResult | null>(null);
  const [sending, setSending] = useState(false);

  const submit = async () => {
    const emails = parseAddresses(value);
    if (!emails.length || emails.length > 10) {
      setError(t('editor.test.count', 'Give one to ten addresses.'));
      return;
    }
    setSending(true);
    setError(undefined);
    setResult(null);
    try {
      setResult(await onSend(emails));
    } catch (e) {
      setError((e as Error).message);
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
            <Field.Root
              name="testEmails"
              error={error}
              hint={t(
                'editor.test.hint',
                'Up to ten addresses, separated by commas or new lines. The subject starts with [Test]; nothing is logged or counted.',
              )}
            >
              <Field.Label>{t('editor.test.addresses', 'Addresses')}</Field.Label>
              <Textarea
                value={value}
                onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setValue(e.target.value)}
              />
              <Field.Error />
              <Field.Hint />
            </Field.Root>
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
          <Button onClick={submit} loading={sending}>
            {t('editor.test.send', 'Send test')}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};

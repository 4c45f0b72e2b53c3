// Sends a proof of the delivery to a few addresses (not logged, not counted, links go straight to their targets).
import { useState } from 'react';
import { Box, Button, Field, Flex, Modal, Textarea, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { TestSendResult } from '../../../../shared/contracts/deliveries';
import { getTranslation } from '../../utils/getTranslation';

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
  const { formatMessage } = useIntl();
  const [value, setValue] = useState(defaultEmail ?? '');
  const [error, setError] = useState<string | undefined>();
  const [result, setResult] = useState<TestSendResult | null>(null);
  const [sending, setSending] = useState(false);

  const submit = async () => {
    const emails = parseAddresses(value);
    if (!emails.length || emails.length > 10) {
      setError(formatMessage({ id: getTranslation('editor.test.count'), defaultMessage: 'Give one to ten addresses.' }));
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
    <Modal.Root open={open} onOpenChange={(next) => { onOpenChange(next); if (!next) setResult(null); }}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{formatMessage({ id: getTranslation('editor.test.title'), defaultMessage: 'Send a test' })}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" alignItems="stretch" gap={4}>
            <Field.Root name="testEmails" error={error} hint={formatMessage({ id: getTranslation('editor.test.hint'), defaultMessage: 'Up to ten addresses, separated by commas or new lines. The subject starts with [Test]; nothing is logged or counted.' })}>
              <Field.Label>{formatMessage({ id: getTranslation('editor.test.addresses'), defaultMessage: 'Addresses' })}</Field.Label>
              <Textarea value={value} onChange={(e: any) => setValue(e.target.value)} />
              <Field.Error />
              <Field.Hint />
            </Field.Root>
            {result && (
              <Box background={result.failed.length ? 'danger100' : 'success100'} padding={3} hasRadius role="status">
                {result.sent.map((sent) => (
                  <Typography key={sent.email} tag="p" textColor="success700">
                    {formatMessage({ id: getTranslation('editor.test.sent'), defaultMessage: 'Sent to {email}' }, { email: sent.email })}
                  </Typography>
                ))}
                {result.failed.map((failed) => (
                  <Typography key={failed.email} tag="p" textColor="danger700">
                    {formatMessage({ id: getTranslation('editor.test.failed'), defaultMessage: 'Not sent to {email}: {error}' }, failed)}
                  </Typography>
                ))}
              </Box>
            )}
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{formatMessage({ id: getTranslation('common.close'), defaultMessage: 'Close' })}</Button>
          </Modal.Close>
          <Button onClick={submit} loading={sending}>
            {formatMessage({ id: getTranslation('editor.test.send'), defaultMessage: 'Send test' })}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};

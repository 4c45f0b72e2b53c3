// The last step before sending: now or at a chosen time, with the audience size and the checks before sending stated.
import { useEffect, useState } from 'react';
import { Button, Dialog, Field, Flex, Radio, TextInput, Typography } from '@strapi/design-system';
import { PaperPlane } from '@strapi/icons';
import { fromLocalInput, toLocalInput } from '../../utils/format';
import { useT } from '../../hooks/useT';

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  deliveryName: string;
  listNames: string[];
  /** Subscribed contacts of the chosen lists (a contact in several lists is counted in each, and receives it once). */
  audienceSize: number;
  scheduledAt: string | null;
  onConfirm: (scheduledAt: string | null) => Promise<void>;
  error?: string;
  /** The checks before sending of a blocks message (the preview's): problems stop it, warnings are shown. */
  checks?: { problems: string[]; warnings: string[] };
}

export const SendDialog = ({
  open,
  onOpenChange,
  deliveryName,
  listNames,
  audienceSize,
  scheduledAt,
  onConfirm,
  error,
  checks,
}: Props) => {
  const t = useT();
  const [mode, setMode] = useState<'now' | 'later'>(scheduledAt ? 'later' : 'now');
  const [when, setWhen] = useState(toLocalInput(scheduledAt));
  const [busy, setBusy] = useState(false);
  const [whenError, setWhenError] = useState<string | undefined>();

  useEffect(() => {
    if (open) {
      setMode(scheduledAt ? 'later' : 'now');
      setWhen(toLocalInput(scheduledAt));
      setWhenError(undefined);
    }
  }, [open, scheduledAt]);

  const confirm = async () => {
    let at: string | null = null;
    if (mode === 'later') {
      at = fromLocalInput(when);
      if (!at || new Date(at).getTime() <= Date.now()) {
        setWhenError(t('send.when.future', 'Choose a time in the future.'));
        return;
      }
    }
    setBusy(true);
    try {
      await onConfirm(at);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Content>
        <Dialog.Header>{t('send.title', 'Send the delivery')}</Dialog.Header>
        <Dialog.Body icon={<PaperPlane />}>
          <Flex direction="column" alignItems="stretch" gap={4} width="100%">
            <Typography tag="p" textAlign="center" data-testid="send-audience">
              {audienceSize > 0
                ? t(
                    'send.audience',
                    '"{name}" goes to {count, plural, one {# subscribed contact} other {up to # subscribed contacts}} of {lists}. Contacts in several lists receive it once; unsubscribed and quarantined contacts are left out.',
                    {
                      name: deliveryName,
                      count: audienceSize,
                      lists: listNames.join(', '),
                    },
                  )
                : listNames.length
                  ? t(
                      'send.audience.noneSubscribed',
                      '{lists} has no subscribed contact yet: add contacts, or choose another list, before sending.',
                      { lists: listNames.join(', ') },
                    )
                  : t(
                      'send.audience.none',
                      'Choose at least one list or segment in the Audience section before sending: for now it goes to no one.',
                    )}
            </Typography>
            <Radio.Group
              aria-label={t('send.when', 'When')}
              value={mode}
              onValueChange={(value) => setMode(value as 'now' | 'later')}
            >
              <Radio.Item value="now">{t('send.now', 'Send now')}</Radio.Item>
              <Radio.Item value="later">{t('send.later', 'Schedule')}</Radio.Item>
            </Radio.Group>
            {mode === 'later' && (
              <Field.Root name="scheduledAt" error={whenError}>
                <Field.Label>{t('send.when.label', 'Send at (your local time)')}</Field.Label>
                <TextInput
                  type="datetime-local"
                  value={when}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setWhen(e.target.value)}
                />
                <Field.Error />
              </Field.Root>
            )}
            {checks && (checks.problems.length > 0 || checks.warnings.length > 0) && (
              <Flex direction="column" alignItems="stretch" gap={1} data-testid="send-checks">
                {checks.problems.map((problem) => (
                  <Typography key={problem} textColor="danger600">
                    {t('send.check.problem', 'To fix: {problem}', { problem })}
                  </Typography>
                ))}
                {checks.warnings.map((warning) => (
                  <Typography key={warning} textColor="warning600">
                    {t('send.check.warning', 'Worth a look: {warning}', { warning })}
                  </Typography>
                ))}
              </Flex>
            )}
            {error && (
              <Typography textColor="danger600" role="alert">
                {error}
              </Typography>
            )}
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary">
              {t('common.cancel', 'Cancel')}
            </Button>
          </Dialog.Cancel>
          <Button
            fullWidth
            onClick={confirm}
            loading={busy}
            disabled={audienceSize === 0 || Boolean(checks?.problems.length)}
          >
            {mode === 'now' ? t('send.confirmNow', 'Send now') : t('send.confirmLater', 'Schedule')}
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};

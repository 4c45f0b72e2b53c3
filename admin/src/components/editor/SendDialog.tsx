// The last step before sending: now or at a chosen time, with the audience size and the checks before sending stated.
import { useMemo, useState } from 'react';
import { Button, Dialog, Flex, Grid, Typography } from '@strapi/design-system';
import { PaperPlane } from '@strapi/icons';
import { z } from 'zod';
import { useT } from '../../hooks/useT';
import { DateTimeField, RadioField } from '../form/fields';
import { useSchemaForm } from '../form/useSchemaForm';

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

export const SendDialog = ({ open, onOpenChange, ...props }: Props) => (
  <Dialog.Root open={open} onOpenChange={onOpenChange}>
    {/* The content is mounted when the dialog opens, so each opening starts from the delivery's own schedule. */}
    <Dialog.Content>
      <SendForm {...props} />
    </Dialog.Content>
  </Dialog.Root>
);

const SendForm = ({
  deliveryName,
  listNames,
  audienceSize,
  scheduledAt,
  onConfirm,
  error,
  checks,
}: Omit<Props, 'open' | 'onOpenChange'>) => {
  const t = useT();
  const whenForm = useMemo(
    () =>
      z
        .object({ mode: z.enum(['now', 'later']), scheduledAt: z.string().nullable() })
        .refine((when) => when.mode === 'now' || (when.scheduledAt && Date.parse(when.scheduledAt) > Date.now()), {
          path: ['scheduledAt'],
          message: t('send.when.future', 'Choose a time in the future.'),
        }),
    [t],
  );
  const initial = useMemo(() => ({ mode: scheduledAt ? 'later' : 'now', scheduledAt }), [scheduledAt]);
  const form = useSchemaForm(whenForm, initial);
  const later = form.values.mode === 'later';
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    if (!form.valid) return;
    setBusy(true);
    try {
      await onConfirm(later ? form.values.scheduledAt : null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
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
          <Grid.Root gap={4}>
            <RadioField
              form={form}
              path="mode"
              label={t('send.when', 'When')}
              options={[
                { value: 'now', label: t('send.now', 'Send now') },
                { value: 'later', label: t('send.later', 'Schedule') },
              ]}
            />
            {later && (
              <DateTimeField
                form={form}
                path="scheduledAt"
                label={t('send.when.label', 'Send at (your local time)')}
                col={12}
              />
            )}
          </Grid.Root>
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
          disabled={audienceSize === 0 || Boolean(checks?.problems.length) || !form.valid}
        >
          {!later ? t('send.confirmNow', 'Send now') : t('send.confirmLater', 'Schedule')}
        </Button>
      </Dialog.Footer>
    </>
  );
};

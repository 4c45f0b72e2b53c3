// A settings section's connection check (the SMTP transport, the bounce mailbox): the button, a reminder to save
// first while the form has changes, and what the check answered.
import { useState } from 'react';
import { Button, Flex, Typography } from '@strapi/design-system';
import { Server } from '@strapi/icons';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';

interface Props {
  label: string;
  /** Checks the saved settings. */
  check: () => Promise<{ ok: boolean; error?: string }>;
  checking: boolean;
  /** The form has unsaved changes: the check would test the saved values, not these. */
  dirty: boolean;
  testId: string;
  /** The values the check is about: a change to them drops the answer, which said nothing of the new ones. */
  values?: unknown;
}

export const VerifyButton = ({ label, check, checking, dirty, testId, values }: Props) => {
  const t = useT();
  const [answer, setAnswer] = useState<{ ok: boolean; error?: string } | null>(null);
  const checked = JSON.stringify(values ?? null);
  const [answeredFor, setAnsweredFor] = useState(checked);
  if (answeredFor !== checked) {
    setAnsweredFor(checked);
    setAnswer(null);
  }
  const verify = async () => {
    setAnswer(null);
    try {
      setAnswer(await check());
    } catch (e) {
      setAnswer({ ok: false, error: apiProblemOf(e).message });
    }
  };
  return (
    <Flex direction="column" alignItems="flex-end" gap={1}>
      <Button variant="secondary" startIcon={<Server />} onClick={verify} loading={checking} disabled={dirty}>
        {label}
      </Button>
      {dirty && (
        <Typography variant="pi" textColor="neutral600">
          {t('settings.verify.saveFirst', 'Save first to check the new values')}
        </Typography>
      )}
      {answer && (
        <Typography variant="pi" textColor={answer.ok ? 'success600' : 'danger600'} role="status" data-testid={testId}>
          {answer.ok
            ? t('settings.verify.ok', 'Connected')
            : t('settings.verify.failed', 'Failed: {error}', { error: answer.error ?? '' })}
        </Typography>
      )}
    </Flex>
  );
};

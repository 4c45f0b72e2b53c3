// A delivery the system paused because the relay failed: why, since when, and when the relay is tried next (or that
// a person resumes it). Shown on the delivery's dashboard and in live monitoring (server/src/sending/outage.ts).
import { Box, Typography } from '@strapi/design-system';
import type { PauseReason } from '../../../../shared/contracts/deliveries';
import { useT } from '../../hooks/useT';
import { formatDateTime } from '../../utils/format';

export const RelayPause = ({
  pauseReason,
  nextProbeAt,
  lastError,
  compact,
}: {
  pauseReason: PauseReason;
  nextProbeAt: string | null;
  lastError: string | null;
  /** One line, for a table row. */
  compact?: boolean;
}) => {
  const t = useT();
  const title = {
    outage: t('relayPause.outage', 'Paused by the system: the relay is not answering'),
    login: t('relayPause.login', 'Paused by the system: the relay refused our login'),
    sender: t('relayPause.sender', 'Paused by the system: the relay refused our sender address'),
  }[pauseReason];
  const next = nextProbeAt
    ? t('relayPause.nextProbe', 'Next try of the relay at {when}; sending resumes by itself once it answers.', {
        when: formatDateTime(nextProbeAt),
      })
    : t('relayPause.manual', 'Fix the transport in the settings, then resume the delivery.');
  if (compact)
    return (
      <Typography variant="pi" textColor="warning700" data-testid="relay-pause" title={lastError ?? undefined}>
        {`${title}. ${next}`}
      </Typography>
    );
  return (
    <Box background="warning100" padding={4} hasRadius marginBottom={4} role="status" data-testid="relay-pause">
      <Typography fontWeight="bold" textColor="warning700" tag="p">
        {title}
      </Typography>
      {lastError && (
        <Typography textColor="neutral800" tag="p">
          {lastError}
        </Typography>
      )}
      <Typography textColor="neutral700" tag="p">
        {t('relayPause.nobodyFailed', 'No recipient is failed for it: those not sent yet wait, their attempts kept.')}{' '}
        {next}
      </Typography>
    </Box>
  );
};

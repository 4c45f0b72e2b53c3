// The flags of one tracking event (bot, machine open) and why it was flagged, as the tracking logs tab shows them.
import { Badge, Flex, Typography } from '@strapi/design-system';
import type { FlagReason } from '../../../../shared/constants';
import type { TrackingEvent } from '../../../../shared/contracts/tracking-logs';
import { useT } from '../../hooks/useT';

/** Why an event is flagged, in words a reader can check against the event's user agent and time. */
const FLAG_REASON_TEXT: Record<FlagReason, string> = {
  botUserAgent: 'user agent of a known bot',
  headlessBrowser: 'headless or automated browser',
  linkScanner: 'user agent of a link scanner',
  noUserAgent: 'no user agent',
  scannerWindow: 'clicked within the scanner window after delivery',
  clickBurst: 'part of a burst of clicks on every link',
  applePrivacyProtection: "Apple's proxy (Mail Privacy Protection)",
};

export const EventFlags = ({ event }: { event: Pick<TrackingEvent, 'isBot' | 'isMachineOpen' | 'flagReason'> }) => {
  const t = useT();
  return (
    <Flex gap={1}>
      {event.isBot && <Badge variant="danger">{t('tracking.flag.bot', 'bot')}</Badge>}
      {event.isMachineOpen && <Badge variant="warning">{t('tracking.flag.machine', 'machine open')}</Badge>}
      {!event.isBot && !event.isMachineOpen && <Typography textColor="neutral500">–</Typography>}
      {event.flagReason && (
        <Typography variant="pi" textColor="neutral600">
          {t(`tracking.flagReason.${event.flagReason}`, FLAG_REASON_TEXT[event.flagReason])}
        </Typography>
      )}
    </Flex>
  );
};

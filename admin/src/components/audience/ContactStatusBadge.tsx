// A contact's status as a badge, with the reason it was set when there is one (a suppressed address that came back
// unsubscribed says so: server/src/audience/suppressions.ts).
import { Badge, Flex, Typography } from '@strapi/design-system';
import type { ContactStatus } from '../../../../shared/constants';
import { useContactStatusLabel } from './contact-status';

const VARIANT: Record<ContactStatus, 'success' | 'secondary' | 'danger' | 'warning'> = {
  subscribed: 'success',
  unconfirmed: 'secondary',
  unsubscribed: 'secondary',
  bounced: 'danger',
  quarantined: 'warning',
};

export const ContactStatusBadge = ({ status, reason }: { status: ContactStatus; reason?: string | null }) => {
  const label = useContactStatusLabel();
  return (
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Badge variant={VARIANT[status]}>{label(status)}</Badge>
      {reason ? (
        <Typography variant="pi" textColor="neutral600">
          {reason}
        </Typography>
      ) : null}
    </Flex>
  );
};

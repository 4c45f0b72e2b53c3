import { Badge } from '@strapi/design-system';
import type { DeliveryStatus } from '../../../shared/constants';
import { useT } from '../hooks/useT';

const VARIANT: Record<
  DeliveryStatus,
  'neutral' | 'secondary' | 'primary' | 'success' | 'warning' | 'danger' | 'alternative'
> = {
  draft: 'neutral',
  scheduled: 'alternative',
  preparing: 'secondary',
  sending: 'primary',
  paused: 'warning',
  sent: 'success',
  failed: 'danger',
  cancelled: 'neutral',
};

export const STATUS_LABELS: Record<DeliveryStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  preparing: 'Preparing',
  sending: 'Sending',
  paused: 'Paused',
  sent: 'Sent',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const useStatusLabel = () => {
  const t = useT();
  return (status: DeliveryStatus) => t(`status.${status}`, STATUS_LABELS[status] ?? status);
};

export const DeliveryStatusBadge = ({ status }: { status: DeliveryStatus }) => {
  const label = useStatusLabel();
  return <Badge variant={VARIANT[status] ?? 'neutral'}>{label(status)}</Badge>;
};

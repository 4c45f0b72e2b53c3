// The follow-ups of a delivery on its dashboard: for a sent delivery, "send to those who did not open / click", its
// follow-ups with their figures (people only) and the reach of them all together; for a follow-up, the delivery it
// follows up and, until it is sent, how many it would reach now.
import { useState } from 'react';
import { Box, Button, Flex, Link, Loader, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { NavLink } from 'react-router-dom';
import type { Delivery } from '../../../../shared/contracts/deliveries';
import type { FollowUpsOverview } from '../../../../shared/contracts/follow-ups';
import type { FollowUpKind } from '../../../../shared/follow-ups';
import { useFollowUps } from '../../api/follow-ups';
import { useCampaignsPermissions } from '../../hooks/useCampaignsPermissions';
import { useT } from '../../hooks/useT';
import { formatDateTime, formatNumber, formatPercent } from '../../utils/format';
import { paths } from '../../utils/paths';
import { DeliveryStatusBadge } from '../DeliveryStatusBadge';
import { Section } from '../Section';
import { FollowUpDialog } from './FollowUpDialog';

const useKindLabel = () => {
  const t = useT();
  return (kind: FollowUpKind) =>
    kind === 'not_opened'
      ? t('followUps.kind.not_opened', 'Those who did not open')
      : t('followUps.kind.not_clicked', 'Those who did not click');
};

const ParentNote = ({ overview }: { overview: FollowUpsOverview }) => {
  const t = useT();
  const kindLabel = useKindLabel();
  const parent = overview.parent!;
  return (
    <Box background="primary100" padding={4} hasRadius marginBottom={4} data-testid="follow-up-parent">
      <Typography textColor="primary700">
        {t('followUps.parent', 'Follow-up of')}{' '}
        <Link tag={NavLink} to={paths.delivery(parent.documentId)}>
          {parent.name}
        </Link>
        {` · ${kindLabel(parent.kind)}`}
        {overview.audienceNow !== null
          ? ` · ${t('followUps.audienceNow', '{count, plural, one {# recipient} other {# recipients}} if sent now', { count: overview.audienceNow })}`
          : ''}
      </Typography>
    </Box>
  );
};

const FollowUpsTable = ({ overview }: { overview: FollowUpsOverview }) => {
  const t = useT();
  const kindLabel = useKindLabel();
  return (
    <Table colCount={6} rowCount={overview.followUps.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Typography variant="sigma">{t('followUps.column.name', 'Follow-up')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('followUps.column.kind', 'Sent to')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('followUps.column.status', 'Status')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('followUps.column.sent', 'Sent')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('followUps.column.opened', 'Opened (people)')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('followUps.column.clicked', 'Clicked (people)')}</Typography>
          </Th>
        </Tr>
      </Thead>
      <Tbody>
        {overview.followUps.map((followUp) => (
          <Tr key={followUp.documentId}>
            <Td>
              <Link tag={NavLink} to={paths.delivery(followUp.documentId)}>
                {followUp.name}
              </Link>
            </Td>
            <Td>
              <Typography>{kindLabel(followUp.kind)}</Typography>
            </Td>
            <Td>
              <Flex gap={2}>
                <DeliveryStatusBadge status={followUp.status} />
                {followUp.status === 'scheduled' && <Typography>{formatDateTime(followUp.scheduledAt)}</Typography>}
              </Flex>
            </Td>
            <Td>
              <Typography>{formatNumber(followUp.sent)}</Typography>
            </Td>
            <Td>
              <Typography>{formatNumber(followUp.humanOpened)}</Typography>
            </Td>
            <Td>
              <Typography>{formatNumber(followUp.humanClicked)}</Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};

export const FollowUpsPanel = ({ delivery }: { delivery: Delivery }) => {
  const t = useT();
  const { canSend } = useCampaignsPermissions();
  const [choosing, setChoosing] = useState<FollowUpKind | null>(null);
  const isFollowUp = Boolean(delivery.parentDeliveryId);
  const shown = isFollowUp || delivery.status === 'sent';
  const { data, isLoading, isError } = useFollowUps(delivery.documentId, shown);
  if (!shown) return null;
  if (isLoading) return <Loader small>{t('followUps.loading', 'Loading follow-ups')}</Loader>;
  if (isError || !data)
    return (
      <Box paddingBottom={4}>
        <Typography textColor="danger600">{t('followUps.error', 'The follow-ups could not be loaded.')}</Typography>
      </Box>
    );
  if (data.parent) return <ParentNote overview={data} />;

  const { recipients, humanOpened } = data.combinedReach;
  return (
    <Box marginBottom={4} data-testid="follow-ups">
      <Section
        title={t('followUps.title', 'Follow-ups')}
        description={
          data.followUps.length
            ? t(
                'followUps.reach',
                'Together: {opened} of {recipients} recipients opened one of them ({rate}), people only',
                {
                  opened: formatNumber(humanOpened),
                  recipients: formatNumber(recipients),
                  rate: formatPercent(recipients ? humanOpened / recipients : null),
                },
              )
            : t('followUps.empty', 'No follow-up yet. Send this message again to those who did not open or click it.')
        }
        action={
          canSend && (
            <Flex gap={2}>
              <Button variant="secondary" onClick={() => setChoosing('not_opened')}>
                {t('followUps.notOpened', 'Send to those who did not open')}
              </Button>
              <Button variant="tertiary" onClick={() => setChoosing('not_clicked')}>
                {t('followUps.notClicked', 'Send to those who did not click')}
              </Button>
            </Flex>
          )
        }
      >
        {data.followUps.length > 0 && <FollowUpsTable overview={data} />}
      </Section>
      <FollowUpDialog parent={delivery} kind={choosing} onClose={() => setChoosing(null)} />
    </Box>
  );
};

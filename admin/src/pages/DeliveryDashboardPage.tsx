// The message dashboard of one delivery: summary, hot clicks, delivery logs, exclusions and tracking logs, with the
// actions that move it (pause, resume, cancel, retry failed) for admins allowed to send.
import { useState } from 'react';
import { Box, Button, Dialog, Flex, Tabs, Typography } from '@strapi/design-system';
import { ArrowClockwise, Pencil, Play, Stop } from '@strapi/icons';
import { BackButton, ConfirmDialog, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useQueryClient } from 'react-query';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import type { Delivery, RetryFailedResult } from '../../../shared/contracts/deliveries';
import { queryKeys, useAlerts, useDelivery, useDeliveryMutations } from '../api/client';
import { DeliveryLogsTab } from '../components/dashboard/DeliveryLogsTab';
import { FollowUpsPanel } from '../components/dashboard/FollowUpsPanel';
import { AbTestPanel } from '../components/dashboard/AbTestPanel';
import { HotClicksTab } from '../components/dashboard/HotClicksTab';
import { SummaryTab } from '../components/dashboard/SummaryTab';
import { TrackingLogsTab } from '../components/dashboard/TrackingLogsTab';
import { DeliveryStatusBadge } from '../components/DeliveryStatusBadge';
import { useCampaignsPermissions } from '../hooks/useCampaignsPermissions';
import { apiProblemOf } from '../utils/errors';
import { formatDateTime } from '../utils/format';
import { paths } from '../utils/paths';
import { canMove, isActive, isEditable, isMoving, isRetryable } from '../../../shared/lifecycle';
import { useT } from '../hooks/useT';
import { RelayPause } from '../components/dashboard/RelayPause';

const TABS = ['summary', 'hotClicks', 'logs', 'exclusions', 'tracking'] as const;

type Action = 'pause' | 'resume' | 'cancel' | 'retryFailed';

const DeliveryAlerts = ({ delivery }: { delivery: Delivery }) => {
  const t = useT();
  const { data } = useAlerts({ page: 1, pageSize: 5, delivery: delivery.documentId }, isMoving(delivery.status));
  if (!data?.data.length) return null;
  return (
    <Box
      background="warning100"
      borderColor="warning200"
      padding={4}
      hasRadius
      marginBottom={4}
      data-testid="delivery-alerts"
    >
      <Typography variant="sigma" textColor="warning700">
        {t('dashboard.alerts', 'Alerts')}
      </Typography>
      {data.data.map((alert) => (
        <Typography key={alert.documentId} tag="p" textColor="warning700">
          {`${formatDateTime(alert.at)} · ${alert.message}`}
        </Typography>
      ))}
    </Box>
  );
};

const Dashboard = ({ delivery }: { delivery: Delivery }) => {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { toggleNotification } = useNotification();
  const { canSend } = useCampaignsPermissions();
  const mutations = useDeliveryMutations();
  const [searchParams, setSearchParams] = useSearchParams();
  const [confirming, setConfirming] = useState<Action | null>(null);
  const tab = TABS.find((t) => t === searchParams.get('tab')) ?? 'summary';
  const failed = delivery.counters.failedHard + delivery.counters.failedSoft;

  const run = async (action: Action) => {
    setConfirming(null);
    try {
      const result = await mutations[action].mutateAsync({ id: delivery.documentId });
      const messages: Record<Action, string> = {
        pause: t('dashboard.paused', 'Paused'),
        resume: t('dashboard.resumed', 'Sending again'),
        cancel: t('dashboard.cancelled', 'Cancelled'),
        retryFailed: t(
          'dashboard.retried',
          '{count, plural, =0 {No failed recipient can be retried} one {# failed recipient sent again} other {# failed recipients sent again}}',
          {
            count: (result?.data as Partial<RetryFailedResult> | undefined)?.retried ?? 0,
          },
        ),
      };
      toggleNotification({ type: 'success', message: messages[action] });
    } catch (error) {
      toggleNotification({ type: 'danger', message: apiProblemOf(error).message });
    }
  };

  const refresh = () => queryClient.invalidateQueries(queryKeys.delivery(delivery.documentId));

  const actions = canSend ? (
    <Flex gap={2}>
      {isEditable(delivery.status) && (
        <Button startIcon={<Pencil />} onClick={() => navigate(paths.editDelivery(delivery.documentId))}>
          {t('dashboard.edit', 'Edit')}
        </Button>
      )}
      {canMove(delivery.status, 'paused') && (
        <Button variant="secondary" onClick={() => run('pause')} loading={mutations.pause.isLoading}>
          {t('dashboard.pause', 'Pause')}
        </Button>
      )}
      {canMove(delivery.status, 'draft') && (
        <Button variant="secondary" onClick={() => run('pause')} loading={mutations.pause.isLoading}>
          {t('dashboard.unschedule', 'Back to draft')}
        </Button>
      )}
      {delivery.status === 'paused' && (
        <Button startIcon={<Play />} onClick={() => run('resume')} loading={mutations.resume.isLoading}>
          {t('dashboard.resume', 'Resume')}
        </Button>
      )}
      {isRetryable(delivery.status) && failed > 0 && (
        <Button variant="secondary" onClick={() => setConfirming('retryFailed')}>
          {t('dashboard.retryFailed', 'Retry failed')}
        </Button>
      )}
      {isActive(delivery.status) && (
        <Button variant="danger-light" startIcon={<Stop />} onClick={() => setConfirming('cancel')}>
          {t('dashboard.cancel', 'Cancel delivery')}
        </Button>
      )}
    </Flex>
  ) : undefined;

  return (
    <Page.Main>
      <Page.Title>{delivery.name}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback={paths.home} />}
        title={delivery.name}
        subtitle={
          <Flex gap={3} paddingTop={1}>
            <DeliveryStatusBadge status={delivery.status} />
            <Typography textColor="neutral600">
              {delivery.subject}
              {delivery.lists.length ? ` · ${delivery.lists.map((list) => list.name).join(', ')}` : ''}
              {delivery.startedAt
                ? ` · ${t('dashboard.startedAt', 'started {when}', { when: formatDateTime(delivery.startedAt) })}`
                : ''}
              {delivery.finishedAt
                ? ` · ${t('dashboard.finishedAt', 'finished {when}', { when: formatDateTime(delivery.finishedAt) })}`
                : ''}
            </Typography>
          </Flex>
        }
        primaryAction={actions}
        secondaryAction={
          <Button variant="tertiary" startIcon={<ArrowClockwise />} onClick={refresh}>
            {t('dashboard.refresh', 'Refresh')}
          </Button>
        }
      />
      <Layouts.Content>
        {delivery.status === 'paused' && delivery.pauseReason ? (
          <RelayPause
            pauseReason={delivery.pauseReason}
            nextProbeAt={delivery.nextProbeAt}
            lastError={delivery.lastError}
          />
        ) : (
          delivery.lastError && (
            <Box background="danger100" padding={4} hasRadius marginBottom={4}>
              <Typography textColor="danger700">{delivery.lastError}</Typography>
            </Box>
          )
        )}
        <DeliveryAlerts delivery={delivery} />
        <AbTestPanel delivery={delivery} />
        <FollowUpsPanel delivery={delivery} />
        <Tabs.Root
          value={tab}
          onValueChange={(value) => setSearchParams(value === 'summary' ? {} : { tab: value }, { replace: true })}
        >
          <Tabs.List aria-label={t('dashboard.tabs', 'Message dashboard')}>
            <Tabs.Trigger value="summary">{t('dashboard.tab.summary', 'Summary')}</Tabs.Trigger>
            <Tabs.Trigger value="hotClicks">{t('dashboard.tab.hotClicks', 'Hot clicks')}</Tabs.Trigger>
            <Tabs.Trigger value="logs">{t('dashboard.tab.logs', 'Delivery logs')}</Tabs.Trigger>
            <Tabs.Trigger value="exclusions">{t('dashboard.tab.exclusions', 'Exclusions')}</Tabs.Trigger>
            <Tabs.Trigger value="tracking">{t('dashboard.tab.tracking', 'Tracking logs')}</Tabs.Trigger>
          </Tabs.List>
          <Tabs.Content value="summary">
            <SummaryTab delivery={delivery} />
          </Tabs.Content>
          <Tabs.Content value="hotClicks">
            <HotClicksTab delivery={delivery} />
          </Tabs.Content>
          <Tabs.Content value="logs">
            <DeliveryLogsTab delivery={delivery} mode="logs" />
          </Tabs.Content>
          <Tabs.Content value="exclusions">
            <DeliveryLogsTab delivery={delivery} mode="exclusions" />
          </Tabs.Content>
          <Tabs.Content value="tracking">
            <TrackingLogsTab delivery={delivery} />
          </Tabs.Content>
        </Tabs.Root>
      </Layouts.Content>
      <Dialog.Root open={confirming !== null} onOpenChange={(open) => !open && setConfirming(null)}>
        <ConfirmDialog
          title={
            confirming === 'cancel'
              ? t('dashboard.cancel.title', 'Cancel this delivery?')
              : t('dashboard.retryFailed.title', 'Retry failed recipients?')
          }
          startAction={
            <Dialog.Cancel>
              <Button fullWidth variant="tertiary">
                {confirming === 'cancel'
                  ? t('dashboard.cancel.keep', 'Keep sending')
                  : t('dashboard.retryFailed.keep', 'Not now')}
              </Button>
            </Dialog.Cancel>
          }
          endAction={
            <Dialog.Action>
              <Button
                fullWidth
                variant={confirming === 'cancel' ? 'danger' : 'default'}
                onClick={() => confirming && run(confirming)}
              >
                {confirming === 'cancel'
                  ? t('dashboard.cancel', 'Cancel delivery')
                  : t('dashboard.retryFailed', 'Retry failed')}
              </Button>
            </Dialog.Action>
          }
        >
          {confirming === 'cancel'
            ? t('dashboard.cancel.confirm', 'Recipients not sent yet will never get "{name}". This cannot be undone.', {
                name: delivery.name,
              })
            : t(
                'dashboard.retryFailed.confirm',
                '{count, plural, one {# failed recipient} other {# failed recipients}} still subscribed will be sent "{name}" again.',
                {
                  count: failed,
                  name: delivery.name,
                },
              )}
        </ConfirmDialog>
      </Dialog.Root>
    </Page.Main>
  );
};

export const DeliveryDashboardPage = () => {
  const { id } = useParams<{ id: string }>();
  const { data, isLoading, isError } = useDelivery(id, { live: true });
  if (isLoading) return <Page.Loading />;
  if (isError || !data) return <Page.Error />;
  return <Dashboard delivery={data} />;
};

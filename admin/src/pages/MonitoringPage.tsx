// Live monitoring: deliveries sending, scheduled or recently finished, their progress, throughput and errors, the
// alerts raised and the health of the transport, refreshing by itself.
import {
  Badge,
  Box,
  EmptyStateLayout,
  Flex,
  Grid,
  Link,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { BackButton, Layouts, Page } from '@strapi/strapi/admin';
import { NavLink } from 'react-router-dom';
import type { Alert, MonitoredDelivery } from '../../../shared/contracts/monitoring';
import { LIVE_REFRESH_MS, useMonitoring } from '../api/client';
import { Chart } from '../components/Chart';
import { IndicatorCard } from '../components/dashboard/IndicatorCard';
import { DeliveryStatusBadge } from '../components/DeliveryStatusBadge';
import { RelayPause } from '../components/dashboard/RelayPause';
import { Progress } from '../components/Progress';
import { formatDateTime, formatNumber, formatPercent, formatRate } from '../utils/format';
import { paths } from '../utils/paths';
import { isSending } from '../../../shared/lifecycle';
import { useT } from '../hooks/useT';
import { Section } from '../components/Section';

const CRITERIA: Record<string, string> = {
  deliveryFailed: 'Delivery failed',
  preparationFailed: 'Preparation failed',
  softBounceRatio: 'Soft bounces',
  hardBounceRatio: 'Hard bounces',
  scheduledNotStarted: 'Not started',
  throughputBelow: 'Low throughput',
  deliveryStarted: 'Started',
  deliveryFinished: 'Finished',
};

export const useCriterionLabel = () => {
  const t = useT();
  return (criterion: string) => t(`alerts.criterion.${criterion}`, CRITERIA[criterion] ?? criterion);
};

export const AlertsTable = ({ alerts }: { alerts: Alert[] }) => {
  const t = useT();
  const criterionLabel = useCriterionLabel();
  if (!alerts.length)
    return (
      <Typography textColor="neutral600">{t('monitoring.alerts.empty', 'No alert in the last 24 hours.')}</Typography>
    );
  return (
    <Table colCount={4} rowCount={alerts.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Typography variant="sigma">{t('monitoring.alerts.at', 'Time')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('monitoring.alerts.criterion', 'Alert')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('monitoring.alerts.delivery', 'Delivery')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('monitoring.alerts.message', 'Message')}</Typography>
          </Th>
        </Tr>
      </Thead>
      <Tbody>
        {alerts.map((alert) => (
          <Tr key={alert.documentId}>
            <Td>
              <Typography textColor="neutral600">{formatDateTime(alert.at)}</Typography>
            </Td>
            <Td>
              <Badge
                variant={['deliveryStarted', 'deliveryFinished'].includes(alert.criterion) ? 'secondary' : 'danger'}
              >
                {criterionLabel(alert.criterion)}
              </Badge>
            </Td>
            <Td>
              {alert.delivery ? (
                <Link tag={NavLink} to={paths.delivery(alert.delivery.documentId)}>
                  {alert.delivery.name}
                </Link>
              ) : (
                <Typography>–</Typography>
              )}
            </Td>
            <Td>
              <Box maxWidth="560px">
                <Typography style={{ whiteSpace: 'normal' }}>{alert.message}</Typography>
              </Box>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};

const DeliveriesTable = ({ deliveries }: { deliveries: MonitoredDelivery[] }) => {
  const t = useT();
  return (
    <Table colCount={7} rowCount={deliveries.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Typography variant="sigma">{t('monitoring.column.delivery', 'Delivery')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('monitoring.column.status', 'Status')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('monitoring.column.progress', 'Progress')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('monitoring.column.sent', 'Sent')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('monitoring.column.throughput', 'Per minute')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('monitoring.column.errors', 'Errors')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('monitoring.column.when', 'When')}</Typography>
          </Th>
        </Tr>
      </Thead>
      <Tbody>
        {deliveries.map((d) => {
          const errors = d.errors.failedHard + d.errors.failedSoft + d.errors.bounced;
          return (
            <Tr key={d.documentId}>
              <Td>
                <Flex direction="column" alignItems="flex-start" gap={1}>
                  <Link tag={NavLink} to={paths.delivery(d.documentId)}>
                    {d.name}
                  </Link>
                  {d.alerts.length > 0 && (
                    <Typography variant="pi" textColor="danger600">
                      {t('monitoring.deliveryAlerts', '{count, plural, one {# alert} other {# alerts}}', {
                        count: d.alerts.length,
                      })}
                    </Typography>
                  )}
                </Flex>
              </Td>
              <Td>
                <Flex direction="column" alignItems="flex-start" gap={1}>
                  <DeliveryStatusBadge status={d.status} />
                  {d.status === 'paused' && d.pauseReason && (
                    <RelayPause
                      compact
                      pauseReason={d.pauseReason}
                      nextProbeAt={d.nextProbeAt}
                      lastError={d.lastError}
                    />
                  )}
                </Flex>
              </Td>
              <Td>
                <Flex gap={2}>
                  <Progress value={d.progress} width="120px" label={t('monitoring.column.progress', 'Progress')} />
                  <Typography variant="pi" textColor="neutral600">
                    {formatPercent(d.progress, 0)}
                  </Typography>
                </Flex>
              </Td>
              <Td>
                <Typography>{`${formatNumber(d.counters.sent)} / ${formatNumber(d.counters.targeted - d.counters.excluded)}`}</Typography>
              </Td>
              <Td>
                <Typography>{formatRate(d.throughputPerMinute)}</Typography>
              </Td>
              <Td>
                <Typography
                  textColor={errors ? 'danger600' : 'neutral600'}
                  title={t(
                    'monitoring.errors.detail',
                    '{hard} hard, {soft} soft, {bounced} bounced, {retrying} retrying',
                    {
                      hard: d.errors.failedHard,
                      soft: d.errors.failedSoft,
                      bounced: d.errors.bounced,
                      retrying: d.errors.retrying,
                    },
                  )}
                >
                  {errors || d.errors.retrying
                    ? t('monitoring.errors.short', '{errors} ({retrying} retrying)', {
                        errors,
                        retrying: d.errors.retrying,
                      })
                    : '0'}
                </Typography>
              </Td>
              <Td>
                <Typography textColor="neutral600">
                  {d.status === 'scheduled'
                    ? t('monitoring.scheduledFor', 'at {when}', { when: formatDateTime(d.scheduledAt) })
                    : d.finishedAt
                      ? t('monitoring.finished', 'ended {when}', { when: formatDateTime(d.finishedAt) })
                      : t('monitoring.started', 'since {when}', { when: formatDateTime(d.startedAt) })}
                </Typography>
              </Td>
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
};

export const MonitoringPage = () => {
  const t = useT();
  const { data, isLoading, isError, dataUpdatedAt } = useMonitoring();

  const header = (
    <Layouts.Header
      navigationAction={<BackButton fallback={paths.home} />}
      title={t('monitoring.title', 'Live monitoring')}
      subtitle={
        dataUpdatedAt
          ? t('monitoring.subtitle', 'Refreshes every {seconds} seconds · updated {time}', {
              seconds: LIVE_REFRESH_MS / 1000,
              time: new Date(dataUpdatedAt).toLocaleTimeString(),
            })
          : t('monitoring.subtitle.loading', 'Deliveries sending, scheduled or recently finished')
      }
    />
  );

  if (isLoading) return <Page.Loading />;
  if (isError || !data) {
    return (
      <Page.Main>
        {header}
        <Layouts.Content>
          <Page.Error />
        </Layouts.Content>
      </Page.Main>
    );
  }

  const { deliveries, alerts, transport } = data.data;
  const sending = deliveries.filter((d) => isSending(d.status));
  const scheduled = deliveries.filter((d) => d.status === 'scheduled');
  const throughput = sending.reduce((sum, d) => sum + d.throughputPerMinute, 0);

  return (
    <Page.Main>
      <Page.Title>{t('monitoring.title', 'Live monitoring')}</Page.Title>
      {header}
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Grid.Root gap={4}>
            <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
              <IndicatorCard
                testId="monitoring-sending"
                label={t('monitoring.sending', 'Sending')}
                value={formatNumber(sending.length)}
                detail={t('monitoring.paused', '{count} paused', {
                  count: deliveries.filter((d) => d.status === 'paused').length,
                })}
                tone="primary"
              />
            </Grid.Item>
            <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
              <IndicatorCard label={t('monitoring.scheduled', 'Scheduled')} value={formatNumber(scheduled.length)} />
            </Grid.Item>
            <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
              <IndicatorCard
                label={t('monitoring.throughput', 'Messages per minute')}
                value={formatRate(throughput)}
                detail={t('monitoring.throughput.detail', 'over the last 5 minutes')}
              />
            </Grid.Item>
            <Grid.Item col={3} s={6} direction="column" alignItems="stretch">
              <IndicatorCard
                testId="monitoring-transport"
                label={t('monitoring.transport', 'Transport ({messenger})', { messenger: transport.messenger })}
                value={
                  transport.ok ? t('monitoring.transport.ok', 'Healthy') : t('monitoring.transport.down', 'Unreachable')
                }
                detail={
                  transport.ok
                    ? t('monitoring.transport.checked', 'checked {time}', { time: formatDateTime(transport.checkedAt) })
                    : transport.error
                }
                tone={transport.ok ? 'success' : 'danger'}
              />
            </Grid.Item>
          </Grid.Root>
          <Section title={t('monitoring.deliveries', 'Deliveries')}>
            {deliveries.length ? (
              <DeliveriesTable deliveries={deliveries} />
            ) : (
              <EmptyStateLayout
                content={t('monitoring.empty', 'Nothing is sending, scheduled or recently finished.')}
              />
            )}
          </Section>
          {sending.length > 0 && (
            <Section title={t('monitoring.throughputChart', 'Throughput by delivery (messages per minute)')}>
              <Chart
                type="bar"
                height={200}
                ariaLabel={t('monitoring.throughputChart', 'Throughput by delivery (messages per minute)')}
                labels={sending.map((d) => d.name)}
                series={[
                  {
                    label: t('monitoring.column.throughput', 'Per minute'),
                    data: sending.map((d) => Math.round(d.throughputPerMinute * 10) / 10),
                    tone: 'primary',
                  },
                ]}
              />
            </Section>
          )}
          <Section title={t('monitoring.alerts', 'Alerts of the last 24 hours')}>
            <AlertsTable alerts={alerts} />
          </Section>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

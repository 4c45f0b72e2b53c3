// The dashboard's summary: indicator cards, opens and clicks over time, progress and throughput while sending, and
// the clicks of each link.
import { useEffect, useRef, useState } from 'react';
import { Box, Checkbox, Flex, Grid, Loader, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import type { Delivery } from '../../../../shared/contracts/deliveries';
import { useDeliveryLinks, useIndicators, useMonitoring, useTimeline } from '../../api/client';
import { doneOf, formatDateTime, formatNumber, formatPercent, formatRate, progressOf } from '../../utils/format';
import { Chart } from '../Chart';
import { Progress } from '../Progress';
import { IndicatorCard } from './IndicatorCard';
import { isMoving, isStarted } from '../../../../shared/lifecycle';
import { useT } from '../../hooks/useT';

const bucketFor = (delivery: Delivery): 'hour' | 'day' => {
  const start = delivery.startedAt ? new Date(delivery.startedAt).getTime() : Date.now();
  return Date.now() - start > 3 * 24 * 3600_000 ? 'day' : 'hour';
};

/** Messages per minute over the last half minute, from the counters this page has seen refresh. */
const useRecentRate = (processed: number) => {
  const samples = useRef<Array<{ at: number; processed: number }>>([]);
  const now = Date.now();
  useEffect(() => {
    samples.current = [...samples.current.filter((s) => now - s.at <= 30_000), { at: now, processed }];
  }, [processed, now]);
  const first = samples.current[0];
  if (!first || now - first.at < 2_500) return null;
  return ((processed - first.processed) / (now - first.at)) * 60_000;
};

const SendingProgress = ({ delivery }: { delivery: Delivery }) => {
  const t = useT();
  const monitoring = useMonitoring();
  const live = monitoring.data?.data.deliveries.find((d) => d.documentId === delivery.documentId);
  const progress = progressOf(delivery.counters);
  const c = delivery.counters;
  const recentRate = useRecentRate(doneOf(c));
  return (
    <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Flex justifyContent="space-between">
          <Typography variant="delta" tag="h2">
            {t('dashboard.progress', 'Progress')}
          </Typography>
          <Typography textColor="neutral600" data-testid="progress-text">
            {t('dashboard.progress.text', '{done} of {total} processed ({percent})', {
              done: formatNumber(doneOf(c)),
              total: formatNumber(c.targeted - c.excluded),
              percent: formatPercent(progress, 0),
            })}
          </Typography>
        </Flex>
        <Progress value={progress} label={t('dashboard.progress', 'Progress')} />
        <Flex gap={6} wrap="wrap">
          <Typography variant="pi" textColor="neutral600">
            {recentRate !== null && delivery.status === 'sending'
              ? t(
                  'dashboard.throughput',
                  'Throughput: {now} messages / minute now, {average} over the last 5 minutes',
                  {
                    now: formatRate(recentRate),
                    average: live ? formatRate(live.throughputPerMinute) : '–',
                  },
                )
              : t('dashboard.throughput.average', 'Throughput: {average} messages / minute over the last 5 minutes', {
                  average: live ? formatRate(live.throughputPerMinute) : '–',
                })}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {t('dashboard.pending', 'Waiting: {count}', { count: formatNumber(c.pending) })}
          </Typography>
          {live && live.errors.retrying > 0 && (
            <Typography variant="pi" textColor="warning600">
              {t('dashboard.retrying', 'Retrying: {count}', { count: formatNumber(live.errors.retrying) })}
            </Typography>
          )}
          <Typography variant="pi" textColor={c.failedHard + c.failedSoft + c.bounced ? 'danger600' : 'neutral600'}>
            {t('dashboard.errors', 'Errors: {hard} hard, {soft} soft, {bounced} bounced', {
              hard: c.failedHard,
              soft: c.failedSoft,
              bounced: c.bounced,
            })}
          </Typography>
          {c.unknown > 0 && (
            <Typography variant="pi" textColor="warning600">
              {t('dashboard.unknown', 'Unknown (in flight at a crash, not sent again): {count}', {
                count: formatNumber(c.unknown),
              })}
            </Typography>
          )}
          {delivery.sentBy && delivery.sentBy.length > 0 && (
            <Typography variant="pi" textColor="neutral600" data-testid="sent-by">
              {t('dashboard.sentBy', 'Sent through: {transports}', {
                transports: delivery.sentBy.map((s) => `${s.transport} (${formatNumber(s.sent)})`).join(', '),
              })}
            </Typography>
          )}
        </Flex>
      </Flex>
    </Box>
  );
};

const LinksTable = ({ delivery }: { delivery: Delivery }) => {
  const t = useT();
  const { data, isLoading, isError } = useDeliveryLinks(delivery.documentId, isMoving(delivery.status));
  if (isLoading)
    return (
      <Flex justifyContent="center" padding={4}>
        <Loader small />
      </Flex>
    );
  if (isError || !data)
    return <Typography textColor="danger600">{t('dashboard.links.error', 'Could not load the links.')}</Typography>;
  const links = data.data.filter((link) => link.kind === 'tracked' || link.kind === 'untracked');
  if (!links.length)
    return (
      <Typography textColor="neutral600">
        {t('dashboard.links.empty', 'The message has no links, or it was not prepared yet.')}
      </Typography>
    );
  return (
    <Table colCount={4} rowCount={links.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Typography variant="sigma">{t('dashboard.links.link', 'Link')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('dashboard.links.clicks', 'Clicks')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('dashboard.links.unique', 'Unique clicks')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('dashboard.links.bots', 'Bot clicks')}</Typography>
          </Th>
        </Tr>
      </Thead>
      <Tbody>
        {links.map((link) => (
          <Tr key={link.documentId}>
            <Td>
              <Box maxWidth="520px">
                <Typography fontWeight="semiBold" ellipsis tag="div">
                  {link.label || link.url}
                </Typography>
                <Typography variant="pi" textColor="neutral600" ellipsis tag="div">
                  {link.url}
                  {link.kind === 'untracked' ? ` · ${t('dashboard.links.untracked', 'not tracked')}` : ''}
                </Typography>
              </Box>
            </Td>
            <Td>
              <Typography>{formatNumber(link.clicks)}</Typography>
            </Td>
            <Td>
              <Typography>{formatNumber(link.uniqueClicks)}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral600">{formatNumber(link.botClicks)}</Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};

export const SummaryTab = ({ delivery }: { delivery: Delivery }) => {
  const t = useT();
  const [includeFlagged, setIncludeFlagged] = useState(false);
  const include = includeFlagged ? 'bots,machine' : '';
  const moving = isMoving(delivery.status);
  const started = isStarted(delivery.status);
  const indicators = useIndicators(delivery.documentId, { include, live: moving, enabled: started });
  const bucket = bucketFor(delivery);
  const timeline = useTimeline(delivery.documentId, { bucket, include }, moving);

  if (!started) {
    return (
      <Box paddingTop={4}>
        <Page.NoData
          content={
            delivery.status === 'scheduled'
              ? t('dashboard.notStarted.scheduled', 'Scheduled for {when}: figures appear once it starts sending.', {
                  when: formatDateTime(delivery.scheduledAt),
                })
              : t('dashboard.notStarted.draft', 'This delivery is a draft: figures appear once it is sent.')
          }
        />
      </Box>
    );
  }

  const i = indicators.data?.data;
  const leftOut = indicators.data?.meta.leftOut;
  const points = timeline.data?.data ?? [];
  const label = (at: string) => {
    const date = new Date(at);
    return bucket === 'day'
      ? date.toLocaleDateString()
      : `${date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`;
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={4} paddingTop={4}>
      {moving && <SendingProgress delivery={delivery} />}
      <Flex justifyContent="space-between" wrap="wrap" gap={2}>
        <Typography textColor="neutral600" data-testid="left-out">
          {leftOut && !includeFlagged
            ? t(
                'dashboard.leftOut',
                'Left out: {bots, plural, one {# bot event} other {# bot events}} and {machine, plural, one {# machine open} other {# machine opens}}.',
                {
                  bots: leftOut.bots,
                  machine: leftOut.machineOpens,
                },
              )
            : t('dashboard.includingFlagged', 'Counting every event, bots and machine opens included.')}
        </Typography>
        <Checkbox checked={includeFlagged} onCheckedChange={(checked) => setIncludeFlagged(checked === true)}>
          {t('dashboard.includeFlagged', 'Include bots and machine opens')}
        </Checkbox>
      </Flex>
      {indicators.isLoading ? (
        <Flex justifyContent="center" padding={6}>
          <Loader />
        </Flex>
      ) : indicators.isError || !i ? (
        <Page.Error />
      ) : (
        <Grid.Root gap={4}>
          {[
            {
              key: 'delivered',
              label: t('indicators.delivered', 'Delivered'),
              value: formatNumber(i.delivered),
              detail: t('indicators.delivered.detail', '{rate} of {processed} processed', {
                rate: formatPercent(i.deliveredRate),
                processed: formatNumber(i.processed),
              }),
              tone: 'success' as const,
            },
            {
              key: 'opens',
              label: t('indicators.opens', 'Unique opens'),
              value: formatNumber(i.uniqueOpens),
              detail: t('indicators.opens.detail', 'Open rate {rate} · {total} opens', {
                rate: formatPercent(i.openRate),
                total: formatNumber(i.opens),
              }),
              tone: 'primary' as const,
            },
            {
              key: 'clicks',
              label: t('indicators.clicks', 'Unique clicks'),
              value: formatNumber(i.uniqueClicks),
              detail: t('indicators.clicks.detail', 'Click-through {rate} · {total} clicks', {
                rate: formatPercent(i.clickThroughRate),
                total: formatNumber(i.clicks),
              }),
              tone: 'primary' as const,
            },
            {
              key: 'reactivity',
              label: t('indicators.reactivity', 'Reactivity'),
              value: formatPercent(i.reactivity),
              detail: t('indicators.reactivity.detail', 'Clicks per open (click-to-open)'),
            },
            {
              key: 'bounces',
              label: t('indicators.bounces', 'Bounces'),
              value: formatNumber(i.bounces),
              detail: t('indicators.bounces.detail', '{rate} · {hard} hard, {soft} soft', {
                rate: formatPercent(i.bounceRate),
                hard: i.hardBounces,
                soft: i.softBounces,
              }),
              tone: i.bounces ? ('danger' as const) : ('neutral' as const),
            },
            {
              key: 'unsubscriptions',
              label: t('indicators.unsubscriptions', 'Unsubscriptions'),
              value: formatNumber(i.uniqueUnsubscriptions),
              detail: t('indicators.unsubscriptions.detail', '{rate} of delivered', {
                rate: formatPercent(i.unsubscriptionRate),
              }),
            },
            {
              key: 'excluded',
              label: t('indicators.excluded', 'Excluded'),
              value: formatNumber(i.excluded),
              detail: t('indicators.excluded.detail', 'of {targeted} targeted', { targeted: formatNumber(i.targeted) }),
              tone: 'warning' as const,
            },
            {
              key: 'mirror',
              label: t('indicators.mirror', 'Mirror page views'),
              value: formatNumber(i.uniqueMirrorViews),
              detail: t('indicators.mirror.detail', '{total} views in a browser', {
                total: formatNumber(i.mirrorViews),
              }),
            },
          ].map((card) => (
            <Grid.Item key={card.key} col={3} s={6} xs={12} direction="column" alignItems="stretch">
              <IndicatorCard
                label={card.label}
                value={card.value}
                detail={card.detail}
                tone={card.tone}
                testId={`indicator-${card.key}`}
              />
            </Grid.Item>
          ))}
        </Grid.Root>
      )}
      <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
        <Flex direction="column" alignItems="stretch" gap={3}>
          <Typography variant="delta" tag="h2">
            {t('dashboard.timeline', 'Opens and clicks over time')}
          </Typography>
          {timeline.isLoading ? (
            <Flex justifyContent="center" padding={6}>
              <Loader small />
            </Flex>
          ) : timeline.isError ? (
            <Typography textColor="danger600">
              {t('dashboard.timeline.error', 'Could not load the timeline.')}
            </Typography>
          ) : points.length === 0 ? (
            <Typography textColor="neutral600">{t('dashboard.timeline.empty', 'No opens or clicks yet.')}</Typography>
          ) : (
            <Chart
              type={points.length < 4 ? 'bar' : 'line'}
              ariaLabel={t('dashboard.timeline', 'Opens and clicks over time')}
              labels={points.map((p) => label(p.at))}
              series={[
                { label: t('dashboard.timeline.opens', 'Opens'), data: points.map((p) => p.opens), tone: 'primary' },
                { label: t('dashboard.timeline.clicks', 'Clicks'), data: points.map((p) => p.clicks), tone: 'success' },
              ]}
            />
          )}
        </Flex>
      </Box>
      <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
        <Flex direction="column" alignItems="stretch" gap={3}>
          <Typography variant="delta" tag="h2">
            {t('dashboard.links', 'Links')}
          </Typography>
          <LinksTable delivery={delivery} />
        </Flex>
      </Box>
    </Flex>
  );
};

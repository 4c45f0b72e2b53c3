// A delivery's A/B test on its dashboard: each variant's subject and figures (people only), the winning metric's rate
// with the confidence of a two-proportion test, a note when no difference is significant (or the variants are tied),
// and the winner's send.
import { Box, Button, Flex, Loader, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import type { Delivery } from '../../../../shared/contracts/deliveries';
import type { AbTestResults } from '../../../../shared/contracts/ab-tests';
import { variantLetter, type AbMetric } from '../../../../shared/ab-test';
import { isStarted } from '../../../../shared/lifecycle';
import { useAbTest, usePickWinner } from '../../api/ab-tests';
import { useCampaignsPermissions } from '../../hooks/useCampaignsPermissions';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';
import { formatDateTime, formatNumber, formatPercent } from '../../utils/format';
import { Section } from '../Section';
import { AbTestVerdict } from './AbTestVerdict';

const useMetricLabel = () => {
  const t = useT();
  return (metric: AbMetric) =>
    metric === 'opens'
      ? t('abTest.metric.opens', 'Unique human opens')
      : metric === 'clicks'
        ? t('abTest.metric.clicks', 'Unique clicks')
        : t('abTest.metric.clicksPerOpen', 'Clicks per open');
};

const VariantsTable = ({ results, onPick }: { results: AbTestResults; onPick?: (variant: number) => void }) => {
  const t = useT();
  const headers = [
    t('abTest.column.variant', 'Variant'),
    t('abTest.column.subject', 'Subject'),
    t('abTest.column.sent', 'Sent'),
    t('abTest.column.opened', 'Opened (people)'),
    t('abTest.column.clicked', 'Clicked (people)'),
    t('abTest.column.rate', 'Rate'),
    t('abTest.column.confidence', 'Confidence'),
  ];
  return (
    <Table colCount={headers.length + 1} rowCount={results.variants.length + 1}>
      <Thead>
        <Tr>
          {headers.map((header) => (
            <Th key={header}>
              <Typography variant="sigma">{header}</Typography>
            </Th>
          ))}
          <Th>
            <Typography variant="sigma">{t('abTest.column.status', 'Result')}</Typography>
          </Th>
        </Tr>
      </Thead>
      <Tbody>
        {results.variants.map((row) => (
          <Tr key={row.variant} data-testid={`ab-variant-${variantLetter(row.variant)}`}>
            <Td>
              <Typography fontWeight="bold">{variantLetter(row.variant)}</Typography>
            </Td>
            <Td>
              <Typography>{row.subject}</Typography>
            </Td>
            <Td>
              <Typography>{formatNumber(row.sent)}</Typography>
            </Td>
            <Td>
              <Typography>{formatNumber(row.opened)}</Typography>
            </Td>
            <Td>
              <Typography>{formatNumber(row.clicked)}</Typography>
            </Td>
            <Td>
              <Typography>{formatPercent(row.rate)}</Typography>
            </Td>
            <Td>
              <Typography textColor={row.significant ? 'success600' : 'neutral600'}>
                {row.confidence === null ? '–' : formatPercent(row.confidence)}
              </Typography>
            </Td>
            <Td>
              {results.winner === row.variant ? (
                <Typography textColor="success600" fontWeight="bold">
                  {t('abTest.winner', 'Winner')}
                </Typography>
              ) : results.winner === null &&
                row.variant === results.leader &&
                // A tie has no leader to show (the first variant would win it: sending/ab-tests.ts).
                results.variants.every((other) => other === row || other.rate < row.rate) ? (
                <Typography textColor="primary600">{t('abTest.leader', 'Leading')}</Typography>
              ) : null}
              {onPick && results.winner === null && (
                <Button variant="tertiary" size="S" onClick={() => onPick(row.variant)}>
                  {t('abTest.pick', 'Send {variant}', { variant: variantLetter(row.variant) })}
                </Button>
              )}
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};

export const AbTestPanel = ({ delivery }: { delivery: Delivery }) => {
  const t = useT();
  const metricLabel = useMetricLabel();
  const { canSend } = useCampaignsPermissions();
  const shown = Boolean(delivery.abTest) && isStarted(delivery.status);
  const { data, isLoading, isError } = useAbTest(delivery.documentId, shown);
  const pick = usePickWinner(delivery.documentId);
  if (!shown) return null;
  if (isLoading) return <Loader small>{t('abTest.loading', 'Loading the A/B test')}</Loader>;
  if (isError || !data)
    return (
      <Box paddingBottom={4}>
        <Typography textColor="danger600">{t('abTest.error', 'The A/B test could not be loaded.')}</Typography>
      </Box>
    );
  const canPick = canSend && data.winner === null && (delivery.status === 'sending' || delivery.status === 'paused');
  const description = [
    t(
      'abTest.summary',
      '{share}% of the audience, {count} variants; the winner by {metric} goes to the {rest} others',
      {
        share: data.test.share,
        count: data.variants.length,
        metric: metricLabel(data.test.metric).toLowerCase(),
        rest: formatNumber(data.rest),
      },
    ),
    data.winner !== null
      ? t('abTest.sentWinner', 'Variant {variant} won, sent to the rest on {at}', {
          variant: variantLetter(data.winner),
          at: formatDateTime(data.winnerAt),
        })
      : data.decidesAt
        ? t('abTest.decidesAt', 'The winner goes out by itself on {at}', { at: formatDateTime(data.decidesAt) })
        : data.testSentAt
          ? t('abTest.waitingForPick', 'The test is sent: pick the winner to send it to the rest')
          : t('abTest.testSending', 'The test is being sent'),
  ].join(' · ');
  return (
    <Box marginBottom={4} data-testid="ab-test">
      <Section
        title={t('abTest.title', 'A/B test')}
        description={description}
        action={
          canPick && (
            <Button onClick={() => pick.mutate(undefined)} loading={pick.isLoading}>
              {t('abTest.sendWinner', 'Send the winner now')}
            </Button>
          )
        }
      >
        {pick.isError && <Typography textColor="danger600">{apiProblemOf(pick.error).message}</Typography>}
        <AbTestVerdict results={data} />
        <VariantsTable results={data} onPick={canPick ? (variant) => pick.mutate(variant) : undefined} />
        <Flex paddingTop={2}>
          <Typography variant="pi" textColor="neutral600">
            {t(
              'abTest.confidenceNote',
              'Confidence: a two-proportion test of the rate, the leader against the next best, each other variant against the leader.',
            )}
          </Typography>
        </Flex>
      </Section>
    </Box>
  );
};

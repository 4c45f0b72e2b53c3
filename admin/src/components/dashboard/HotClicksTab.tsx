// Hot clicks: the message as sent with a badge on each tracked link (its share of the clicks, coloured by heat), the
// links in a table, and the text part with the share next to each URL; total or unique clicks, bots in or out.
import { useMemo, useState } from 'react';
import {
  Badge,
  Box,
  EmptyStateLayout,
  Flex,
  Grid,
  Loader,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Page } from '@strapi/strapi/admin';
import type { Delivery } from '../../../../shared/contracts/deliveries';
import type { HotClickLink } from '../../../../shared/contracts/reports';
import { useHotClicks } from '../../api/reports';
import { formatNumber } from '../../utils/format';
import { formatShare, heatColour, heatOf, injectBadges, repeatedUrls, splitTextLinks } from './HotClicksBadges';
import { isLive, isStarted } from '../../../../shared/lifecycle';
import { useT } from '../../hooks/useT';
import { Switch } from '../Switch';

const ShareBadge = ({ link, maxShare, title }: { link: HotClickLink; maxShare: number; title: string }) => (
  <span
    title={title}
    data-testid={`share-${link.part}-${link.linkId}`}
    style={{
      display: 'inline-block',
      marginLeft: 4,
      padding: '0 6px',
      borderRadius: 10,
      color: '#ffffff',
      fontSize: 11,
      fontWeight: 700,
      lineHeight: '16px',
      whiteSpace: 'nowrap',
      background: heatColour(heatOf(link.share, maxShare)),
    }}
  >
    {formatShare(link.share)}
  </span>
);

export const HotClicksTab = ({ delivery }: { delivery: Delivery }) => {
  const t = useT();
  const [unique, setUnique] = useState(false);
  const [bots, setBots] = useState(false);
  const { data, isLoading, isError } = useHotClicks(
    delivery.documentId,
    { mode: unique ? 'unique' : 'total', include: bots ? 'bots' : '' },
    isLive(delivery.status),
  );

  const countsTitle = (link: HotClickLink) =>
    t('hotClicks.badge.title', '{clicks, plural, one {# click} other {# clicks}}, {unique} unique', {
      clicks: link.clicks,
      unique: link.uniqueClicks,
    });

  const view = useMemo(() => {
    if (!data) return null;
    const { html, text, links } = data.data;
    const maxShare = Math.max(0, ...links.map((l) => l.share));
    return {
      srcDoc: html ? injectBadges(html, links, { title: countsTitle }) : '',
      textRuns: text ? splitTextLinks(text, links) : [],
      links,
      maxShare,
      isRepeated: repeatedUrls(links),
    };
    // countsTitle only depends on the locale, which does not change while the page is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);

  if (!isStarted(delivery.status)) {
    return (
      <Box paddingTop={4}>
        <Page.NoData content={t('hotClicks.notSent', 'Hot clicks appear once the delivery is sent.')} />
      </Box>
    );
  }

  const switches = (
    <Flex gap={6} wrap="wrap">
      <Flex gap={2}>
        <Switch
          aria-label={t('hotClicks.unique', 'Unique clicks')}
          checked={unique}
          onCheckedChange={(checked: boolean) => setUnique(checked)}
        />
        <Typography>{t('hotClicks.unique', 'Unique clicks')}</Typography>
      </Flex>
      <Flex gap={2}>
        <Switch
          aria-label={t('hotClicks.bots', 'Include bots')}
          checked={bots}
          onCheckedChange={(checked: boolean) => setBots(checked)}
        />
        <Typography>{t('hotClicks.bots', 'Include bots')}</Typography>
      </Flex>
    </Flex>
  );

  if (isLoading)
    return (
      <Flex justifyContent="center" padding={8}>
        <Loader />
      </Flex>
    );
  if (isError || !data || !view) {
    return (
      <Box paddingTop={4}>
        <Typography textColor="danger600">{t('hotClicks.error', 'Could not load the hot clicks.')}</Typography>
      </Box>
    );
  }

  const totals = data.data.totals;
  const partLinks = (part: 'html' | 'text') => view.links.filter((l) => l.part === part);

  const linksTable = (links: HotClickLink[]) => (
    <Table colCount={4} rowCount={links.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Typography variant="sigma">{t('hotClicks.column.link', 'Link')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('hotClicks.column.clicks', 'Clicks')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('hotClicks.column.unique', 'Unique')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('hotClicks.column.share', 'Share')}</Typography>
          </Th>
        </Tr>
      </Thead>
      <Tbody>
        {links.map((link) => (
          <Tr key={link.linkId} data-testid={`hot-link-${link.linkId}`}>
            <Td>
              <Box maxWidth="300px">
                <Flex gap={1}>
                  <Typography fontWeight="semiBold" ellipsis tag="div">
                    {link.label || t('hotClicks.noLabel', '(no text)')}
                  </Typography>
                  {view.isRepeated(link) && (
                    <Badge>{t('hotClicks.occurrence', '#{occurrence}', { occurrence: link.occurrence })}</Badge>
                  )}
                </Flex>
                <Typography variant="pi" textColor="neutral600" ellipsis tag="div" title={link.url}>
                  {link.url}
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
              <ShareBadge link={link} maxShare={view.maxShare} title={countsTitle(link)} />
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );

  return (
    <Flex direction="column" alignItems="stretch" gap={4} paddingTop={4}>
      <Flex justifyContent="space-between" wrap="wrap" gap={2}>
        {switches}
        <Typography textColor="neutral600" data-testid="hot-clicks-total">
          {unique
            ? t('hotClicks.total.unique', '{count, plural, one {# unique click} other {# unique clicks}} in all', {
                count: totals.uniqueClicks,
              })
            : t('hotClicks.total.clicks', '{count, plural, one {# click} other {# clicks}} in all', {
                count: totals.clicks,
              })}
        </Typography>
      </Flex>
      {view.links.length === 0 ? (
        <EmptyStateLayout content={t('hotClicks.empty', 'This message has no tracked link.')} />
      ) : (
        <Grid.Root gap={4}>
          <Grid.Item col={7} xs={12} direction="column" alignItems="stretch">
            <Box background="neutral100" padding={3} hasRadius>
              {view.srcDoc ? (
                <iframe
                  title={t('hotClicks.frame', 'Message with its hot clicks')}
                  sandbox=""
                  srcDoc={view.srcDoc}
                  style={{ width: '100%', height: '520px', border: 0, background: '#ffffff', borderRadius: 4 }}
                />
              ) : (
                <Typography textColor="neutral600">
                  {t('hotClicks.noHtml', 'This message has no HTML part.')}
                </Typography>
              )}
            </Box>
          </Grid.Item>
          <Grid.Item col={5} xs={12} direction="column" alignItems="stretch">
            <Flex direction="column" alignItems="stretch" gap={4}>
              {partLinks('html').length > 0 && linksTable(partLinks('html'))}
              {partLinks('text').length > 0 && (
                <>
                  <Typography variant="delta" tag="h2">
                    {t('hotClicks.textLinks', 'Links of the text part')}
                  </Typography>
                  {linksTable(partLinks('text'))}
                </>
              )}
            </Flex>
          </Grid.Item>
        </Grid.Root>
      )}
      {view.textRuns.length > 0 && (
        <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
          <Flex direction="column" alignItems="stretch" gap={3}>
            <Typography variant="delta" tag="h2">
              {t('hotClicks.text', 'Text part')}
            </Typography>
            <Typography
              tag="pre"
              data-testid="hot-clicks-text"
              style={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace', margin: 0 }}
            >
              {view.textRuns.map((run, index) =>
                'link' in run ? (
                  <span key={index}>
                    {run.text}
                    <ShareBadge link={run.link} maxShare={view.maxShare} title={countsTitle(run.link)} />
                  </span>
                ) : (
                  <span key={index}>{run.text}</span>
                ),
              )}
            </Typography>
          </Flex>
        </Box>
      )}
    </Flex>
  );
};

// A contact's timeline on its page: every delivery sent to them with its outcome, every open, click and mirror view
// (a bot's or a machine open flagged with why), bounces, complaints and unsubscriptions, newest first; paged (the
// page in the URL), with the engagement score over the last 90 days (README, "A contact's timeline").
import { Badge, Box, Flex, Link, Loader, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { NavLink, useSearchParams } from 'react-router-dom';
import type { ContactTimelineEntry, TimelineEntryKind } from '../../../../shared/contracts/contact-timeline';
import { useContactTimeline } from '../../api/contact-timeline';
import { useT } from '../../hooks/useT';
import { formatDateTime } from '../../utils/format';
import { paths } from '../../utils/paths';
import { humanize } from '../dashboard/DeliveryLogsTab';
import { EventFlags } from '../dashboard/EventFlags';
import { Section } from '../Section';
import { TableFooter } from '../TableFooter';

const KIND_TEXT: Record<TimelineEntryKind, string> = {
  delivery: 'Delivery',
  open: 'Open',
  click: 'Click',
  mirror: 'Viewed in browser',
  bounce: 'Bounce',
  complaint: 'Complaint',
  unsubscribe: 'Unsubscribed',
};

const Detail = ({ entry }: { entry: ContactTimelineEntry }) => {
  if (entry.kind === 'delivery')
    return (
      <Flex gap={2}>
        <Badge>{humanize(entry.status)}</Badge>
        {entry.reason && <Typography textColor="neutral600">{humanize(entry.reason)}</Typography>}
      </Flex>
    );
  if (entry.kind === 'open' || entry.kind === 'click' || entry.kind === 'mirror')
    return (
      <Flex direction="column" alignItems="flex-start" gap={1}>
        {entry.url && (
          <Typography variant="pi" textColor="neutral600" ellipsis tag="div" title={entry.url}>
            {entry.url}
          </Typography>
        )}
        <EventFlags event={entry} />
      </Flex>
    );
  return <Typography textColor="neutral600">{humanize(entry.reason)}</Typography>;
};

export const ContactTimeline = ({ contactId }: { contactId: string }) => {
  const t = useT();
  const [searchParams, setSearchParams] = useSearchParams();
  const page = Math.max(1, Number(searchParams.get('timelinePage')) || 1);
  const { data, isLoading, isError } = useContactTimeline(contactId, page);
  const setPage = (next: number) =>
    setSearchParams(
      (current) => {
        const params = new URLSearchParams(current);
        if (next > 1) params.set('timelinePage', String(next));
        else params.delete('timelinePage');
        return params;
      },
      { replace: true },
    );

  const engagement = data?.meta.engagement;
  return (
    <Section
      title={t('contact.timeline', 'Timeline')}
      description={
        engagement
          ? t(
              'contact.timeline.score',
              'Engagement {score} / 100: {opened} messages opened and {clicked} clicked by the person in the last {days} days',
              {
                score: engagement.score,
                opened: engagement.humanOpened,
                clicked: engagement.humanClicked,
                days: engagement.days,
              },
            )
          : undefined
      }
    >
      <Box data-testid="contact-timeline">
        {isLoading ? (
          <Loader small>{t('contact.timeline.loading', 'Loading the timeline')}</Loader>
        ) : isError || !data ? (
          <Typography textColor="danger600">
            {t('contact.timeline.error', 'The timeline could not be loaded.')}
          </Typography>
        ) : !data.data.length ? (
          <Typography textColor="neutral600">
            {t('contact.timeline.empty', 'Nothing yet: no delivery has been sent to this contact.')}
          </Typography>
        ) : (
          <>
            <Table colCount={4} rowCount={data.data.length + 1}>
              <Thead>
                <Tr>
                  <Th>
                    <Typography variant="sigma">{t('contact.timeline.at', 'When')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('contact.timeline.what', 'What')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('contact.timeline.delivery', 'Delivery')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('contact.timeline.detail', 'Detail')}</Typography>
                  </Th>
                </Tr>
              </Thead>
              <Tbody>
                {data.data.map((entry, index) => (
                  <Tr key={`${entry.at}-${entry.kind}-${index}`}>
                    <Td>
                      <Typography>{formatDateTime(entry.at)}</Typography>
                    </Td>
                    <Td>
                      <Typography fontWeight="semiBold">
                        {t(`contact.timeline.kind.${entry.kind}`, KIND_TEXT[entry.kind])}
                      </Typography>
                    </Td>
                    <Td>
                      {entry.delivery ? (
                        <Link tag={NavLink} to={paths.delivery(entry.delivery.documentId)}>
                          {entry.delivery.name}
                        </Link>
                      ) : (
                        <Typography textColor="neutral500">–</Typography>
                      )}
                    </Td>
                    <Td>
                      <Detail entry={entry} />
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
            <TableFooter
              summary={t('contact.timeline.total', '{count, plural, one {# event} other {# events}}', {
                count: data.meta.pagination.total,
              })}
              page={page}
              pageCount={data.meta.pagination.pageCount}
              onPageChange={setPage}
            />
          </>
        )}
      </Box>
    </Section>
  );
};

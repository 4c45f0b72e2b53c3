// What a segment's rules select now: how many messages a delivery to it would send, who is left out and why, and
// its first members. Counted by the server with the code that prepares a delivery (sending/segment-audience.ts).
import { Badge, Box, Flex, Loader, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import type { SegmentRules } from '../../../../shared/segments';
import { useSegmentEvaluation } from '../../api/segments';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';
import { formatNumber } from '../../utils/format';
import { humanize } from '../dashboard/DeliveryLogsTab';

export const SegmentSizePanel = ({ rules }: { rules: SegmentRules | null }) => {
  const t = useT();
  const { data, isLoading, isError, error, isFetching } = useSegmentEvaluation(rules);

  if (!rules)
    return (
      <Typography textColor="neutral600">
        {t('segments.size.incomplete', 'Complete the conditions to see who they select.')}
      </Typography>
    );
  if (isLoading)
    return (
      <Flex justifyContent="center" padding={4}>
        <Loader small>{t('segments.size.loading', 'Counting members')}</Loader>
      </Flex>
    );
  if (isError || !data) return <Typography textColor="danger600">{apiProblemOf(error).message}</Typography>;

  const excluded = Object.entries(data.size.excluded);
  return (
    <Flex direction="column" alignItems="stretch" gap={3} style={{ opacity: isFetching ? 0.6 : 1 }}>
      <Typography variant="beta" data-testid="segment-size">
        {t(
          'segments.size',
          '{recipients, plural, =0 {Nobody would get a message} one {# contact would get a message} other {# contacts would get a message}}',
          {
            recipients: data.size.recipients,
          },
        )}
      </Typography>
      <Typography textColor="neutral600">
        {t('segments.size.members', '{members, plural, one {# member} other {# members}} in all', {
          members: data.size.members,
        })}
        {excluded.length > 0 &&
          `; ${excluded.map(([reason, count]) => `${formatNumber(count)} ${humanize(reason)}`).join(', ')}`}
      </Typography>
      {data.members.length === 0 ? (
        <Typography textColor="neutral600">
          {t('segments.members.empty', 'No contact matches these conditions.')}
        </Typography>
      ) : (
        <Box>
          <Table colCount={2} rowCount={data.members.length + 1}>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">{t('segments.members.email', 'Contact')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('segments.members.gets', 'Would get it')}</Typography>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {data.members.map((member) => (
                <Tr key={member.documentId}>
                  <Td>
                    <Typography>{member.email}</Typography>
                  </Td>
                  <Td>
                    {member.exclusion ? (
                      <Badge>{humanize(member.exclusion)}</Badge>
                    ) : (
                      <Typography>{t('common.yes', 'Yes')}</Typography>
                    )}
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
          {data.size.members > data.members.length && (
            <Typography variant="pi" textColor="neutral600">
              {t('segments.members.more', 'The first {shown} of {members} members.', {
                shown: data.members.length,
                members: formatNumber(data.size.members),
              })}
            </Typography>
          )}
        </Box>
      )}
    </Flex>
  );
};

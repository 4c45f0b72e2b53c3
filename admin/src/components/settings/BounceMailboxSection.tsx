// Settings > Bounce mailbox: the IMAP mailbox delivery status notifications and complaint reports arrive in, a
// connection check, and the messages kept for review (shared/config-schema.ts's `bounceMailbox`; the reading itself
// is server/src/tracking/bounce-mailbox.ts).
import { Box, Grid, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useMailboxReview, useVerifyBounceMailbox } from '../../api/client';
import { useT } from '../../hooks/useT';
import { Section } from '../Section';
import { NumberField, TextField, ToggleField } from '../form/fields';
import type { FieldBinding } from '../form/binding';
import { VerifyButton } from './VerifyButton';

const ReviewTable = () => {
  const t = useT();
  const { data, isLoading, isError } = useMailboxReview();
  if (isLoading) return null;
  if (isError)
    return (
      <Typography textColor="danger600">
        {t('settings.mailbox.review.error', 'The list could not be loaded')}
      </Typography>
    );
  if (!data?.length)
    return (
      <Typography variant="pi" textColor="neutral600">
        {t('settings.mailbox.review.empty', 'Nothing to review: every report read so far was matched.')}
      </Typography>
    );
  return (
    <Table colCount={4} rowCount={data.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Typography variant="sigma">{t('settings.mailbox.review.date', 'Date')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('settings.mailbox.review.from', 'From')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('settings.mailbox.review.subject', 'Subject')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('settings.mailbox.review.reason', 'Why it was not recorded')}</Typography>
          </Th>
        </Tr>
      </Thead>
      <Tbody>
        {data.map((entry, index) => (
          <Tr key={`${entry.movedAt}-${index}`}>
            <Td>
              <Typography>{entry.date ? new Date(entry.date).toLocaleString() : '-'}</Typography>
            </Td>
            <Td>
              <Typography>{entry.from ?? '-'}</Typography>
            </Td>
            <Td>
              <Typography>{entry.subject ?? '-'}</Typography>
            </Td>
            <Td>
              <Typography>{entry.reason}</Typography>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};

export const BounceMailboxSection = ({ form: fields, dirty }: { form: FieldBinding; dirty: boolean }) => {
  const t = useT();
  const verifyMailbox = useVerifyBounceMailbox();
  return (
    <Section
      title={t('settings.mailbox', 'Bounce mailbox')}
      description={t(
        'settings.mailbox.description',
        'For a relay that reports bounces and complaints by email: they are read from this IMAP mailbox, recorded, and moved to another folder. Nothing is deleted.',
      )}
      action={
        <VerifyButton
          label={t('settings.mailbox.verify', 'Verify the mailbox')}
          check={() => verifyMailbox.mutateAsync()}
          checking={verifyMailbox.isLoading}
          dirty={dirty}
          testId="mailbox-verify-result"
        />
      }
    >
      <Grid.Root gap={4}>
        <ToggleField
          form={fields}
          path="bounceMailbox.enabled"
          label={t('settings.mailbox.enabled', 'Read the mailbox')}
        />
        <TextField form={fields} path="bounceMailbox.host" label={t('settings.mailbox.host', 'IMAP host')} col={5} />
        <NumberField
          form={fields}
          path="bounceMailbox.port"
          label={t('settings.mailbox.port', 'IMAP port')}
          col={3}
          plain
        />
        <ToggleField
          form={fields}
          path="bounceMailbox.secure"
          label={t('settings.mailbox.secure', 'TLS from the start (port 993)')}
          hint={t('settings.mailbox.secure.hint', 'Off: STARTTLS, required before the login to another machine')}
          col={4}
        />
        <TextField form={fields} path="bounceMailbox.user" label={t('settings.mailbox.user', 'IMAP user')} col={4} />
        <TextField
          form={fields}
          path="bounceMailbox.pass"
          label={t('settings.mailbox.pass', 'IMAP password')}
          col={4}
          type="password"
          hint={t('settings.smtp.pass.hint', 'Left as ******** keeps the saved password')}
        />
        <NumberField
          form={fields}
          path="bounceMailbox.intervalSeconds"
          label={t('settings.mailbox.interval', 'Read every (seconds)')}
          col={4}
        />
        <TextField form={fields} path="bounceMailbox.folder" label={t('settings.mailbox.folder', 'Folder')} col={4} />
        <TextField
          form={fields}
          path="bounceMailbox.processedFolder"
          label={t('settings.mailbox.processedFolder', 'Move recorded reports to')}
          col={4}
          hint={t('settings.mailbox.folder.hint', "Created if missing; sub-folders with '/'")}
        />
        <TextField
          form={fields}
          path="bounceMailbox.reviewFolder"
          label={t('settings.mailbox.reviewFolder', 'Move reports to review to')}
          col={4}
        />
      </Grid.Root>
      <Box>
        <Box paddingBottom={2}>
          <Typography variant="omega" fontWeight="bold">
            {t('settings.mailbox.review', 'Reports to review')}
          </Typography>
        </Box>
        <ReviewTable />
      </Box>
    </Section>
  );
};

// How an import went: its progress while it runs, then what it created, updated and refused, with the refused rows
// by line number, downloadable as CSV to fix and import again.
import { Box, Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { csvLine } from '../../../../../shared/csv';
import type { ContactImportJob } from '../../../../../shared/contracts/contacts';
import { Progress } from '../../Progress';
import { useT } from '../../../hooks/useT';
import { downloadBlob } from '../../../utils/download';

const downloadRejected = (job: ContactImportJob) => {
  const lines = [csvLine(['line', 'email', 'reason']), ...job.errors.map((e) => csvLine([e.line, e.email, e.reason]))];
  const name = (job.fileName ?? 'contacts.csv').replace(/\.csv$/i, '');
  downloadBlob(new Blob(lines, { type: 'text/csv;charset=utf-8' }), `${name}-rejected.csv`);
};

export const ImportResult = ({ job }: { job: ContactImportJob }) => {
  const t = useT();
  if (job.status === 'running')
    return (
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Typography>
          {t('import.running', 'Importing: {rows, plural, one {# row} other {# rows}} read', { rows: job.rowsRead })}
        </Typography>
        <Progress
          value={job.bytesTotal ? job.bytesRead / job.bytesTotal : 0}
          label={t('import.progress', 'Import progress')}
        />
      </Flex>
    );
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      {job.status === 'failed' ? (
        <Typography textColor="danger600">{job.error}</Typography>
      ) : (
        <Typography fontWeight="bold">{t('import.done', 'Import finished')}</Typography>
      )}
      <Typography>
        {t(
          'import.summary',
          '{created} created, {updated} updated, {unchanged} unchanged, {duplicates} repeated in the file, {failed} rejected.',
          {
            created: job.created,
            updated: job.updated,
            unchanged: job.unchanged,
            duplicates: job.duplicatesInFile,
            failed: job.failed,
          },
        )}
      </Typography>
      {job.errors.length > 0 && (
        <>
          <Flex justifyContent="space-between">
            <Typography variant="delta" tag="h2">
              {t('import.rejected', 'Rejected rows')}
            </Typography>
            <Button variant="secondary" startIcon={<Download />} onClick={() => downloadRejected(job)}>
              {t('import.rejected.download', 'Download the rejected rows')}
            </Button>
          </Flex>
          {job.failed > job.errors.length && (
            <Typography variant="pi" textColor="neutral600">
              {t('import.rejected.more', 'The first {shown} of {failed} rejected rows.', {
                shown: job.errors.length,
                failed: job.failed,
              })}
            </Typography>
          )}
          <Box>
            <Table colCount={3} rowCount={job.errors.length + 1}>
              <Thead>
                <Tr>
                  <Th>
                    <Typography variant="sigma">{t('import.rejected.line', 'Line')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('contacts.field.email', 'Email')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('import.rejected.reason', 'Reason')}</Typography>
                  </Th>
                </Tr>
              </Thead>
              <Tbody>
                {job.errors.map((error) => (
                  <Tr key={error.line}>
                    <Td>
                      <Typography>{error.line}</Typography>
                    </Td>
                    <Td>
                      <Typography>{error.email ?? ''}</Typography>
                    </Td>
                    <Td>
                      <Typography>{error.reason}</Typography>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </Box>
        </>
      )}
    </Flex>
  );
};

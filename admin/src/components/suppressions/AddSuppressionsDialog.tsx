// Putting addresses on the suppression list: typed or pasted (checked as the admin types by the API's own rule,
// shared/suppression-input.ts), or a file with one address per line or an `email` column. The answer says how many
// were added, how many contacts were unsubscribed, and each line of a file that was not taken.
import { useMemo, useState } from 'react';
import { Box, Button, Field, Flex, Grid, Modal, Typography } from '@strapi/design-system';
import type { SuppressionAddResult } from '../../../../shared/suppression-input';
import { suppressionAddInput } from '../../../../shared/suppression-input';
import { useSuppressionMutations } from '../../api/suppressions';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';
import { ListField, TextField } from '../form/fields';
import { useSchemaForm } from '../form/useSchemaForm';

const EMPTY = { emails: [] as string[], note: '' };

export const AddSuppressionsDialog = ({ onClose }: { onClose: () => void }) => {
  const t = useT();
  const { add, importFile } = useSuppressionMutations();
  const initial = useMemo(() => EMPTY, []);
  const form = useSchemaForm(suppressionAddInput, initial);
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<SuppressionAddResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const busy = add.isLoading || importFile.isLoading;

  const submit = async () => {
    setProblem(null);
    const note = form.values.note.trim() || undefined;
    try {
      setResult(
        file
          ? await importFile.mutateAsync({ file, note })
          : await add.mutateAsync({ emails: form.values.emails, note }),
      );
    } catch (error) {
      const answer = apiProblemOf(error);
      form.setServerErrors(answer.fields);
      setProblem(answer.message);
    }
  };

  return (
    <Modal.Root open onOpenChange={(open) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header>
          <Modal.Title>{t('suppressions.add.title', 'Suppress addresses')}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {result ? (
            <Flex direction="column" alignItems="stretch" gap={3} role="status">
              <Typography>
                {t(
                  'suppressions.add.result',
                  '{added, plural, one {# address suppressed} other {# addresses suppressed}}, {already} already were; {contacts, plural, one {# contact} other {# contacts}} unsubscribed.',
                  { added: result.added, already: result.alreadySuppressed, contacts: result.contactsUnsubscribed },
                )}
              </Typography>
              {result.rejected.length > 0 && (
                <Box background="warning100" padding={3} hasRadius>
                  <Typography fontWeight="bold" tag="p">
                    {t('suppressions.add.rejected', '{count, plural, one {# line} other {# lines}} not taken:', {
                      count: result.rejected.length,
                    })}
                  </Typography>
                  {result.rejected.slice(0, 50).map((line) => (
                    <Typography key={line.line} tag="p" variant="pi">
                      {t('suppressions.add.rejectedLine', 'Line {line}: {problem}', line)}
                    </Typography>
                  ))}
                </Box>
              )}
            </Flex>
          ) : (
            <Grid.Root gap={4}>
              {!file && (
                <ListField
                  form={form}
                  path="emails"
                  label={t('suppressions.add.emails', 'Addresses')}
                  hint={t('suppressions.add.emails.hint', 'Separated by commas, spaces or new lines.')}
                  col={12}
                  multiline
                />
              )}
              <Grid.Item col={12} direction="column" alignItems="stretch">
                <Field.Root
                  name="file"
                  hint={t(
                    'suppressions.add.file.hint',
                    'Or a file: one address per line, or a CSV with an "email" column.',
                  )}
                >
                  <Field.Label>{t('suppressions.add.file', 'File')}</Field.Label>
                  <input
                    type="file"
                    accept=".csv,.txt,text/csv,text/plain"
                    aria-label={t('suppressions.add.file', 'File')}
                    onChange={(event) => setFile(event.target.files?.[0] ?? null)}
                  />
                  <Field.Hint />
                </Field.Root>
              </Grid.Item>
              <TextField
                form={form}
                path="note"
                label={t('suppressions.add.note', 'Note')}
                hint={t('suppressions.add.note.hint', 'Why, for whoever reads the list later.')}
                col={12}
              />
              {problem && (
                <Grid.Item col={12}>
                  <Typography textColor="danger600" role="alert">
                    {problem}
                  </Typography>
                </Grid.Item>
              )}
            </Grid.Root>
          )}
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{result ? t('common.close', 'Close') : t('common.cancel', 'Cancel')}</Button>
          </Modal.Close>
          {!result && (
            <Button onClick={submit} loading={busy} disabled={!file && !form.valid}>
              {t('suppressions.add.submit', 'Suppress')}
            </Button>
          )}
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};

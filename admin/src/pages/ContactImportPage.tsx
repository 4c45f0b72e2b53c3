// Importing contacts from a CSV file: the file chosen, each column mapped (guessed from its header name as the API
// does), the first rows previewed, the target list chosen; then the import's progress and its result.
import { useState } from 'react';
import {
  Box,
  Button,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Upload } from '@strapi/icons';
import { BackButton, Layouts, Page } from '@strapi/strapi/admin';
import { columnFromHeader, importColumnsSchema } from '../../../shared/import-columns';
import { useLists } from '../api/client';
import { useImportJob, useStartImport } from '../api/contact-import';
import { Section } from '../components/Section';
import { ColumnMapping } from '../components/audience/import/ColumnMapping';
import { ImportResult } from '../components/audience/import/ImportResult';
import { useT } from '../hooks/useT';
import { apiProblemOf } from '../utils/errors';
import { previewCsv } from '../utils/csv-preview';
import { paths } from '../utils/paths';

const PREVIEW_ROWS = 5;

interface Chosen {
  file: File;
  header: string[];
  rows: string[][];
}

export const ContactImportPage = () => {
  const t = useT();
  const lists = useLists({ page: 1, pageSize: 100, sort: 'name:asc' });
  const start = useStartImport();
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [columns, setColumns] = useState<string[]>([]);
  const [list, setList] = useState('');
  const [newList, setNewList] = useState('');
  const [jobId, setJobId] = useState<string>();
  const [fileProblem, setFileProblem] = useState<string>();
  const job = useImportJob(jobId);

  const choose = async (file: File | undefined) => {
    setJobId(undefined);
    setFileProblem(undefined);
    if (!file) return setChosen(null);
    const preview = await previewCsv(file, PREVIEW_ROWS);
    if (!preview.header.length) {
      setChosen(null);
      return setFileProblem(t('import.file.empty', 'The file is empty: it needs a header row.'));
    }
    setChosen({ file, ...preview });
    setColumns(preview.header.map(columnFromHeader));
  };

  const mapping = importColumnsSchema.safeParse(columns);
  const mappingProblem = mapping.success ? undefined : mapping.error.issues[0]?.message;
  const run = () =>
    chosen &&
    start.mutate(
      { file: chosen.file, columns, list: list || undefined, newList: list ? undefined : newList.trim() || undefined },
      { onSuccess: (started) => setJobId(started.id) },
    );
  const running = start.isLoading || job.data?.status === 'running';

  return (
    <Page.Main>
      <Page.Title>{t('import.title', 'Import contacts')}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback={`${paths.home}?tab=contacts`} />}
        title={t('import.title', 'Import contacts')}
        subtitle={t(
          'import.subtitle',
          'A CSV file with a header row. Contacts are matched by email: known ones are updated, and an address that unsubscribed stays unsubscribed.',
        )}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Section title={t('import.file', 'File')}>
            <Field.Root name="file" error={fileProblem}>
              <Field.Label>{t('import.file.choose', 'CSV file')}</Field.Label>
              <input
                type="file"
                accept=".csv,text/csv"
                aria-label={t('import.file.choose', 'CSV file')}
                disabled={running}
                onChange={(event) => void choose(event.target.files?.[0])}
              />
              <Field.Error />
            </Field.Root>
          </Section>
          {chosen && (
            <Section
              title={t('import.mapping', 'Columns')}
              description={t(
                'import.mapping.hint',
                'Where each column goes, with the first rows of the file. One column holds the email.',
              )}
            >
              <ColumnMapping header={chosen.header} rows={chosen.rows} columns={columns} onChange={setColumns} />
              {mappingProblem && <Typography textColor="danger600">{mappingProblem}</Typography>}
            </Section>
          )}
          {chosen && (
            <Section title={t('import.target', 'List')}>
              <Flex gap={4} alignItems="flex-end" wrap="wrap">
                <Box width="280px">
                  <Field.Root name="list">
                    <Field.Label>{t('import.target.existing', 'Add them to a list')}</Field.Label>
                    <SingleSelect
                      placeholder={t('import.target.none', 'No list')}
                      value={list}
                      onChange={(value) => setList(String(value))}
                      onClear={list ? () => setList('') : undefined}
                    >
                      {(lists.data?.data ?? []).map((l) => (
                        <SingleSelectOption key={l.documentId} value={l.documentId}>
                          {l.name}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                  </Field.Root>
                </Box>
                <Box width="280px">
                  <Field.Root name="newList">
                    <Field.Label>{t('import.target.new', 'Or a new list')}</Field.Label>
                    <TextInput
                      value={newList}
                      disabled={Boolean(list)}
                      onChange={(event: React.ChangeEvent<HTMLInputElement>) => setNewList(event.target.value)}
                    />
                  </Field.Root>
                </Box>
                <Button
                  startIcon={<Upload />}
                  loading={running}
                  disabled={Boolean(mappingProblem) || running}
                  onClick={run}
                >
                  {t('import.start', 'Import')}
                </Button>
              </Flex>
              {start.isError && <Typography textColor="danger600">{apiProblemOf(start.error).message}</Typography>}
            </Section>
          )}
          {job.data && (
            <Section title={t('import.result', 'Result')}>
              <ImportResult job={job.data} />
            </Section>
          )}
          {job.isError && <Typography textColor="danger600">{apiProblemOf(job.error).message}</Typography>}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

// The report builder: dimensions and metrics dragged (or added from the keyboard) onto rows, columns, metrics and
// filters; a period, bots in or out, a comparison with the previous period; the answer as a table, a chart or KPI
// cards, refreshing by itself; saved, renamed, duplicated, deleted, and exported as CSV or PNG.
import { useMemo, useRef, useState } from 'react';
import { Box, Button, Dialog, Flex, Grid, Loader, Typography } from '@strapi/design-system';
import { Clock, Download, Duplicate, Pencil, Trash } from '@strapi/icons';
import { BackButton, ConfirmDialog, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useNavigate, useParams } from 'react-router-dom';
import { useTheme } from 'styled-components';
import type { ReportDefinition, ReportVisualisation, SavedReport } from '../../../shared/contracts/reports';
import { useReportMutations, useReportQuery, useReportSchema, useSavedReport } from '../api/reports';
import { emptyDefinition, runnableQuery } from '../components/reports/definition';
import { chartPng, downloadText, tablePng } from '../components/reports/exportFiles';
import { download } from '../utils/download';
import { NameDialog } from '../components/NameDialog';
import { ScheduleDialog } from '../components/reports/ScheduleDialog';
import { reportCsv, reportFilename } from '../components/reports/pivot';
import { Palette, Zones } from '../components/reports/ReportBoard';
import { ReportOptions } from '../components/reports/ReportOptions';
import { formatMetric, ReportView, useReportPivot } from '../components/reports/ReportView';
import { useReportNames } from '../components/reports/useReportNames';
import { useCampaignsPermissions } from '../hooks/useCampaignsPermissions';
import { apiProblemOf } from '../utils/errors';
import { formatDateTime } from '../utils/format';
import { paths } from '../utils/paths';
import { useT } from '../hooks/useT';

const CHARTS: ReportVisualisation[] = ['line', 'area', 'bar', 'stackedBar', 'donut'];

const Builder = ({ saved }: { saved: SavedReport | null }) => {
  const t = useT();
  const navigate = useNavigate();
  const { colors } = useTheme();
  const names = useReportNames();
  const { toggleNotification } = useNotification();
  const { canReports: canManage } = useCampaignsPermissions();
  const schema = useReportSchema();
  const mutations = useReportMutations();
  const [definition, setDefinition] = useState<ReportDefinition>(saved?.definition ?? emptyDefinition());
  const [naming, setNaming] = useState<'save' | 'rename' | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [scheduling, setScheduling] = useState(false);
  const chartBox = useRef<HTMLDivElement>(null);

  const query = useMemo(() => runnableQuery(definition), [definition]);
  const result = useReportQuery(query);
  const view = useReportPivot(definition, result.data);
  const name = saved?.name ?? t('reports.new', 'New report');
  const dirty = !saved || JSON.stringify(saved.definition) !== JSON.stringify(definition);
  const fail = (error: unknown) => toggleNotification({ type: 'danger', message: apiProblemOf(error).message });

  const save = async () => {
    if (!saved || saved.builtIn) return setNaming('save');
    try {
      await mutations.update.mutateAsync({
        id: saved.documentId,
        input: { name: saved.name, description: saved.description, definition },
      });
      toggleNotification({ type: 'success', message: t('reports.saved', 'Report saved') });
    } catch (error) {
      fail(error);
    }
  };

  const duplicate = async () => {
    if (!saved) return;
    try {
      const copy = await mutations.duplicate.mutateAsync(saved.documentId);
      toggleNotification({
        type: 'success',
        message: t('reports.duplicated', 'Duplicated as "{name}"', { name: copy.name }),
      });
      navigate(paths.report(copy.documentId));
    } catch (error) {
      fail(error);
    }
  };

  const remove = async () => {
    if (!saved) return;
    try {
      await mutations.remove.mutateAsync(saved.documentId);
      toggleNotification({ type: 'success', message: t('reports.deleted', 'Report deleted') });
      navigate(paths.reports);
    } catch (error) {
      fail(error);
    }
  };

  const exportCsv = () => {
    if (!result.data) return;
    downloadText(
      reportCsv(result.data.data, definition, {
        dimension: names.dimension,
        metric: names.metric,
        total: t('reports.total', 'Total'),
      }),
      reportFilename(name, 'csv'),
    );
  };

  const exportPng = () => {
    if (!result.data || !view) return;
    const canvas = chartBox.current?.querySelector('canvas');
    if (CHARTS.includes(definition.visualisation) && canvas) {
      download(chartPng(canvas, colors.neutral0), reportFilename(name, 'png'));
      return;
    }
    const kpi = definition.visualisation === 'kpi';
    const table = kpi
      ? {
          header: [t('reports.png.metric', 'Metric'), t('reports.png.value', 'Value')],
          rows: definition.query.metrics.map((m) => [names.metric(m), formatMetric(m, result.data!.data.totals[m])]),
        }
      : view.table;
    download(
      tablePng(name, table.header, table.rows, {
        background: colors.neutral0,
        text: colors.neutral800,
        muted: colors.neutral600,
        rule: colors.neutral200,
      }),
      reportFilename(name, 'png'),
    );
  };

  const headerActions = (
    <Flex gap={2}>
      {saved && !saved.builtIn && canManage && (
        <Button variant="tertiary" startIcon={<Pencil />} onClick={() => setNaming('rename')}>
          {t('reports.rename.action', 'Rename')}
        </Button>
      )}
      {saved && canManage && (
        <Button
          variant="tertiary"
          startIcon={<Duplicate />}
          onClick={duplicate}
          loading={mutations.duplicate.isLoading}
        >
          {t('reports.duplicate.action', 'Duplicate')}
        </Button>
      )}
      {saved && canManage && (
        <Button variant="tertiary" startIcon={<Clock />} onClick={() => setScheduling(true)}>
          {t('reports.schedule.action', 'Email…')}
        </Button>
      )}
      {saved && !saved.builtIn && canManage && (
        <Button variant="danger-light" startIcon={<Trash />} onClick={() => setDeleting(true)}>
          {t('reports.delete.action', 'Delete')}
        </Button>
      )}
      {canManage && (
        <Button
          onClick={save}
          disabled={!query || (!dirty && Boolean(saved && !saved.builtIn))}
          loading={mutations.update.isLoading || mutations.create.isLoading}
        >
          {saved && !saved.builtIn ? t('reports.save', 'Save') : t('reports.saveAs', 'Save as…')}
        </Button>
      )}
    </Flex>
  );

  const problem = result.isError ? apiProblemOf(result.error) : null;

  return (
    <Page.Main>
      <Page.Title>{name}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback={paths.reports} />}
        title={name}
        subtitle={
          saved?.builtIn
            ? t('reports.builtIn.hint', 'A built-in report: change it freely, then save it under a new name.')
            : (saved?.description ??
              t('reports.builder.hint', 'Drag dimensions and metrics onto the zones, or use the + button of each.'))
        }
        primaryAction={headerActions}
      />
      <Layouts.Content>
        {schema.isLoading ? (
          <Page.Loading />
        ) : schema.isError || !schema.data ? (
          <Page.Error />
        ) : (
          <Grid.Root gap={4}>
            <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
              <Palette schema={schema.data} definition={definition} onChange={setDefinition} />
            </Grid.Item>
            <Grid.Item col={9} s={12} direction="column" alignItems="stretch">
              <Flex direction="column" alignItems="stretch" gap={4}>
                <Zones definition={definition} onChange={setDefinition} />
                <ReportOptions
                  definition={definition}
                  onChange={setDefinition}
                  visualisations={schema.data.visualisations ?? []}
                />
                <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
                  <Flex direction="column" alignItems="stretch" gap={4}>
                    <Flex justifyContent="space-between" wrap="wrap" gap={2}>
                      <Flex gap={2}>
                        <Typography variant="delta" tag="h2">
                          {name}
                        </Typography>
                        {result.isFetching && <Loader small />}
                      </Flex>
                      <Flex gap={2}>
                        {result.data && (
                          <Typography variant="pi" textColor="neutral600" data-testid="report-computed-at">
                            {t('reports.computedAt', 'Updated {when}', {
                              when: formatDateTime(result.data.meta.computedAt),
                            })}
                          </Typography>
                        )}
                        <Button
                          variant="secondary"
                          startIcon={<Download />}
                          onClick={exportCsv}
                          disabled={!result.data}
                        >
                          {t('common.exportCsv', 'Export CSV')}
                        </Button>
                        <Button
                          variant="secondary"
                          startIcon={<Download />}
                          onClick={exportPng}
                          disabled={!result.data}
                        >
                          {t('reports.exportPng', 'Export PNG')}
                        </Button>
                      </Flex>
                    </Flex>
                    <Box ref={chartBox}>
                      {!query ? (
                        <Box padding={6}>
                          <Typography textColor="neutral600">
                            {t('reports.result.noMetric', 'Add a metric to see the report.')}
                          </Typography>
                        </Box>
                      ) : result.isLoading ? (
                        <Flex justifyContent="center" padding={8}>
                          <Loader />
                        </Flex>
                      ) : problem ? (
                        <Flex direction="column" alignItems="flex-start" gap={3} padding={4}>
                          <Typography textColor="danger600" data-testid="report-error">
                            {problem.message}
                          </Typography>
                          <Button variant="secondary" onClick={() => result.refetch()}>
                            {t('common.retry', 'Retry')}
                          </Button>
                        </Flex>
                      ) : result.data ? (
                        <ReportView definition={definition} response={result.data} title={name} />
                      ) : null}
                    </Box>
                  </Flex>
                </Box>
              </Flex>
            </Grid.Item>
          </Grid.Root>
        )}
      </Layouts.Content>
      <NameDialog
        open={naming !== null}
        title={
          naming === 'rename'
            ? t('reports.rename.title', 'Rename the report')
            : t('reports.save.title', 'Save the report')
        }
        initialName={
          naming === 'rename'
            ? (saved?.name ?? '')
            : saved
              ? t('reports.copyOf', 'Copy of {name}', { name: saved.name })
              : ''
        }
        submitLabel={naming === 'rename' ? t('reports.rename.submit', 'Rename') : t('reports.save', 'Save')}
        onClose={() => setNaming(null)}
        onSubmit={async (newName) => {
          if (naming === 'rename' && saved) {
            await mutations.update.mutateAsync({
              id: saved.documentId,
              input: { name: newName, description: saved.description, definition: saved.definition },
            });
            toggleNotification({ type: 'success', message: t('reports.renamed', 'Report renamed') });
            return;
          }
          const created = await mutations.create.mutateAsync({
            name: newName,
            description: saved?.builtIn ? saved.description : null,
            definition,
          });
          toggleNotification({ type: 'success', message: t('reports.saved', 'Report saved') });
          navigate(paths.report(created.documentId), { replace: true });
        }}
      />
      {scheduling && saved && (
        <ScheduleDialog reportId={saved.documentId} reportName={name} onClose={() => setScheduling(false)} />
      )}
      <Dialog.Root open={deleting} onOpenChange={(open) => !open && setDeleting(false)}>
        <ConfirmDialog onConfirm={remove}>
          {t('reports.delete.confirm', 'Delete the report "{name}"? This cannot be undone.', { name })}
        </ConfirmDialog>
      </Dialog.Root>
    </Page.Main>
  );
};

export const ReportBuilderPage = () => {
  const { id } = useParams<{ id: string }>();
  const { data, isLoading, isError } = useSavedReport(id);
  if (id && isLoading) return <Page.Loading />;
  if (id && (isError || !data)) return <Page.Error />;
  // A new key per report: opening another report (or a saved copy) starts from its own definition.
  return <Builder key={data?.documentId ?? 'new'} saved={data ?? null} />;
};

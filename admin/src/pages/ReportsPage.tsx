// The reports: built-in ones (run or duplicate) and the admins' own (also rename and delete), each opening in the
// report builder.
import { useState } from 'react';
import {
  Badge,
  Box,
  Button,
  Dialog,
  EmptyStateLayout,
  Flex,
  IconButton,
  Link,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Duplicate, Pencil, Play, Plus, Trash } from '@strapi/icons';
import { BackButton, ConfirmDialog, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { NavLink, useNavigate } from 'react-router-dom';
import type { SavedReport } from '../../../shared/contracts/reports';
import { useReportMutations, useSavedReports } from '../api/reports';
import { NameDialog } from '../components/NameDialog';
import { useReportNames } from '../components/reports/useReportNames';
import { useCampaignsPermissions } from '../hooks/useCampaignsPermissions';
import { apiProblemOf } from '../utils/errors';
import { formatDateTime } from '../utils/format';
import { paths } from '../utils/paths';
import { useT } from '../hooks/useT';

export const ReportsPage = () => {
  const t = useT();
  const navigate = useNavigate();
  const names = useReportNames();
  const { toggleNotification } = useNotification();
  const { canReports: canManage } = useCampaignsPermissions();
  const { data, isLoading, isError, refetch } = useSavedReports();
  const mutations = useReportMutations();
  const [renaming, setRenaming] = useState<SavedReport | null>(null);
  const [deleting, setDeleting] = useState<SavedReport | null>(null);

  const duplicate = async (report: SavedReport) => {
    try {
      const copy = await mutations.duplicate.mutateAsync(report.documentId);
      toggleNotification({
        type: 'success',
        message: t('reports.duplicated', 'Duplicated as "{name}"', { name: copy.name }),
      });
    } catch (error) {
      toggleNotification({ type: 'danger', message: apiProblemOf(error).message });
    }
  };

  const remove = async () => {
    if (!deleting) return;
    try {
      await mutations.remove.mutateAsync(deleting.documentId);
      toggleNotification({ type: 'success', message: t('reports.deleted', 'Report deleted') });
    } catch (error) {
      toggleNotification({ type: 'danger', message: apiProblemOf(error).message });
    } finally {
      setDeleting(null);
    }
  };

  const reports = data ?? [];
  const builtIns = reports.filter((r) => r.builtIn);
  const own = reports.filter((r) => !r.builtIn);

  const rows = (list: SavedReport[]) =>
    list.map((report) => (
      <Tr key={report.documentId}>
        <Td>
          <Flex direction="column" alignItems="flex-start" gap={1}>
            <Link tag={NavLink} to={paths.report(report.documentId)}>
              {report.name}
            </Link>
            {report.description && (
              <Box maxWidth="560px">
                <Typography variant="pi" textColor="neutral600" ellipsis tag="div">
                  {report.description}
                </Typography>
              </Box>
            )}
          </Flex>
        </Td>
        <Td>
          {report.builtIn ? (
            <Badge>{t('reports.builtIn', 'Built-in')}</Badge>
          ) : (
            <Badge variant="secondary">{t('reports.own', 'Saved')}</Badge>
          )}
        </Td>
        <Td>
          <Typography>{names.visualisation(report.definition.visualisation)}</Typography>
        </Td>
        <Td>
          <Typography textColor="neutral600">{report.builtIn ? '–' : formatDateTime(report.updatedAt)}</Typography>
        </Td>
        <Td>
          <Flex gap={1} justifyContent="flex-end">
            <IconButton
              tag={NavLink}
              to={paths.report(report.documentId)}
              label={t('reports.run', 'Run {name}', { name: report.name })}
              variant="ghost"
            >
              <Play />
            </IconButton>
            {canManage && !report.builtIn && (
              <IconButton
                onClick={() => setRenaming(report)}
                label={t('reports.rename', 'Rename {name}', { name: report.name })}
                variant="ghost"
              >
                <Pencil />
              </IconButton>
            )}
            {canManage && (
              <IconButton
                onClick={() => duplicate(report)}
                disabled={mutations.duplicate.isLoading}
                label={t('reports.duplicate', 'Duplicate {name}', { name: report.name })}
                variant="ghost"
              >
                <Duplicate />
              </IconButton>
            )}
            {canManage && !report.builtIn && (
              <IconButton
                onClick={() => setDeleting(report)}
                label={t('reports.delete', 'Delete {name}', { name: report.name })}
                variant="ghost"
              >
                <Trash />
              </IconButton>
            )}
          </Flex>
        </Td>
      </Tr>
    ));

  const table = (list: SavedReport[], testId: string) => (
    <Table colCount={5} rowCount={list.length + 1} data-testid={testId}>
      <Thead>
        <Tr>
          <Th width="46%">
            <Typography variant="sigma">{t('reports.column.name', 'Report')}</Typography>
          </Th>
          <Th width="12%">
            <Typography variant="sigma">{t('reports.column.kind', 'Kind')}</Typography>
          </Th>
          <Th width="12%">
            <Typography variant="sigma">{t('reports.column.visualisation', 'Shown as')}</Typography>
          </Th>
          <Th width="16%">
            <Typography variant="sigma">{t('reports.column.updated', 'Updated')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('common.actions', 'Actions')}</Typography>
          </Th>
        </Tr>
      </Thead>
      <Tbody>{rows(list)}</Tbody>
    </Table>
  );

  return (
    <Page.Main>
      <Page.Title>{t('reports.title', 'Reports')}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback={paths.home} />}
        title={t('reports.title', 'Reports')}
        subtitle={t('reports.subtitle', 'Deliveries, opens, clicks and failures by any dimension, over any period')}
        primaryAction={
          canManage ? (
            <Button startIcon={<Plus />} onClick={() => navigate(paths.newReport)}>
              {t('reports.create', 'New report')}
            </Button>
          ) : undefined
        }
      />
      <Layouts.Content>
        {isLoading ? (
          <Page.Loading />
        ) : isError ? (
          <Flex direction="column" gap={3} padding={8}>
            <Typography textColor="danger600">{t('reports.list.error', 'Could not load the reports.')}</Typography>
            <Button variant="secondary" onClick={() => refetch()}>
              {t('common.retry', 'Retry')}
            </Button>
          </Flex>
        ) : (
          <Flex direction="column" alignItems="stretch" gap={6}>
            <Flex direction="column" alignItems="stretch" gap={3}>
              <Typography variant="delta" tag="h2">
                {t('reports.own.title', 'Your reports')}
              </Typography>
              {own.length ? (
                table(own, 'own-reports')
              ) : (
                <EmptyStateLayout
                  content={t(
                    'reports.own.empty',
                    'No saved report yet: build one, or duplicate a built-in report to start from it.',
                  )}
                  action={
                    canManage ? (
                      <Button variant="secondary" startIcon={<Plus />} onClick={() => navigate(paths.newReport)}>
                        {t('reports.create', 'New report')}
                      </Button>
                    ) : undefined
                  }
                />
              )}
            </Flex>
            <Flex direction="column" alignItems="stretch" gap={3}>
              <Typography variant="delta" tag="h2">
                {t('reports.builtIn.title', 'Built-in reports')}
              </Typography>
              {builtIns.length ? (
                table(builtIns, 'built-in-reports')
              ) : (
                <EmptyStateLayout content={t('reports.builtIn.empty', 'No built-in report.')} />
              )}
            </Flex>
          </Flex>
        )}
      </Layouts.Content>
      <NameDialog
        open={renaming !== null}
        title={t('reports.rename.title', 'Rename the report')}
        initialName={renaming?.name ?? ''}
        submitLabel={t('reports.rename.submit', 'Rename')}
        onClose={() => setRenaming(null)}
        onSubmit={async (name) => {
          await mutations.update.mutateAsync({
            id: renaming!.documentId,
            input: { name, description: renaming!.description, definition: renaming!.definition },
          });
          toggleNotification({ type: 'success', message: t('reports.renamed', 'Report renamed') });
        }}
      />
      <Dialog.Root open={deleting !== null} onOpenChange={(open) => !open && setDeleting(null)}>
        <ConfirmDialog onConfirm={remove}>
          {t('reports.delete.confirm', 'Delete the report "{name}"? This cannot be undone.', {
            name: deleting?.name ?? '',
          })}
        </ConfirmDialog>
      </Dialog.Root>
    </Page.Main>
  );
};

// A layout being edited: its name, legal lines and look on the left, the message as readers will see it on the right
// (rendered by the server as sending renders it, with the layout's starting blocks as sample content).
import { useMemo } from 'react';
import { Box, Button, Flex, Grid, Loader, Typography } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { BackButton, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useParams } from 'react-router-dom';
import type { z } from 'zod';
import { DEFAULT_LAYOUT_STYLE, layoutDraftSchema, layoutPartsSchema } from '../../../shared/layouts';
import { TextField } from '../components/form/fields';
import { problemsByPath, useSchemaForm } from '../components/form/useSchemaForm';
import type { Layout } from '../../../shared/contracts/authoring';
import { useLayout, useLayoutMutations, usePreview } from '../api/layouts';
import { LayoutFields } from '../components/layouts/LayoutFields';
import { MessagePreview } from '../components/layouts/MessagePreview';
import { useCampaignsPermissions } from '../hooks/useCampaignsPermissions';
import { useDebounced } from '../hooks/useDebounced';
import { useT } from '../hooks/useT';
import { apiProblemOf } from '../utils/errors';
import { paths } from '../utils/paths';

type Draft = z.infer<typeof layoutDraftSchema>;

/** The form's values until the layout has loaded. */
const NO_DRAFT: Draft = {
  name: '',
  description: '',
  parts: { style: DEFAULT_LAYOUT_STYLE, header: [], footer: [], postalAddress: '', unsubscribeLabel: '' },
};

const draftOf = (layout: Layout): Draft => ({
  name: layout.name,
  description: layout.description ?? '',
  parts: {
    style: layout.style,
    header: layout.header,
    footer: layout.footer,
    postalAddress: layout.postalAddress,
    unsubscribeLabel: layout.unsubscribeLabel,
    ...(layout.mirrorLabel ? { mirrorLabel: layout.mirrorLabel } : {}),
    ...(layout.preferencesLabel ? { preferencesLabel: layout.preferencesLabel } : {}),
  },
});

/** The API names the parts' fields at the top level of a layout; the form holds them under `parts`. */
const formPathOf = (apiPath: string) =>
  apiPath === 'name' || apiPath === 'description' ? apiPath : `parts.${apiPath}`;

export const LayoutEditorPage = () => {
  const t = useT();
  const { id } = useParams<{ id: string }>();
  const { toggleNotification } = useNotification();
  const { canSend } = useCampaignsPermissions();
  const { data: layout, isLoading, isError } = useLayout(id);
  const { update } = useLayoutMutations();
  const initial = useMemo(() => (layout ? draftOf(layout) : null), [layout]);
  const form = useSchemaForm(layoutDraftSchema, initial ?? NO_DRAFT);
  const fields = { ...form, disabled: !canSend };
  const draft = form.values;
  const settled = useDebounced(draft, 400);
  const preview = usePreview(
    initial && layout && !Object.keys(problemsByPath(layoutPartsSchema, settled.parts)).length
      ? { contentMode: 'blocks', content: layout.content ?? { version: 1, blocks: [] }, layoutParts: settled.parts }
      : null,
  );

  if (isLoading)
    return (
      <Page.Main>
        <Flex justifyContent="center" padding={8}>
          <Loader>{t('layouts.loading', 'Loading layouts')}</Loader>
        </Flex>
      </Page.Main>
    );
  if (isError || !layout) return <Page.Error />;

  const save = () =>
    update.mutate(
      { id: layout.documentId, input: { name: draft.name, description: draft.description || null, ...draft.parts } },
      {
        onSuccess: () => toggleNotification({ type: 'success', message: t('layouts.saved', 'Layout saved') }),
        onError: (error) => {
          const problem = apiProblemOf(error);
          form.setServerErrors(
            Object.fromEntries(Object.entries(problem.fields).map(([path, message]) => [formPathOf(path), message])),
          );
          toggleNotification({ type: 'danger', message: problem.message });
        },
      },
    );

  return (
    <Page.Main>
      <Page.Title>{draft.name}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback={`${paths.home}?tab=layouts`} />}
        title={draft.name || t('layouts.untitled', 'New layout')}
        subtitle={
          form.dirty
            ? t('layouts.unsaved', 'Unsaved changes')
            : t('layouts.saved.state', 'Saved: newsletters made from it use it')
        }
        primaryAction={
          canSend ? (
            <Button
              startIcon={<Check />}
              onClick={save}
              loading={update.isLoading}
              disabled={!form.dirty || !form.valid}
            >
              {t('layouts.save', 'Save layout')}
            </Button>
          ) : undefined
        }
      />
      <Layouts.Content>
        <Grid.Root gap={6}>
          <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
            <Box background="neutral0" padding={6} shadow="tableShadow" hasRadius>
              <Flex direction="column" alignItems="stretch" gap={4}>
                <Grid.Root gap={4}>
                  <TextField form={fields} path="name" label={t('layouts.field.name', 'Name')} col={12} required />
                  <TextField
                    form={fields}
                    path="description"
                    label={t('layouts.field.description', 'Description')}
                    col={12}
                    multiline
                  />
                </Grid.Root>
                <Typography variant="pi" textColor="neutral600">
                  {t(
                    'layouts.blocks',
                    'Header: {header, plural, one {# block} other {# blocks}}. Footer: {footer, plural, one {# block} other {# blocks}}.',
                    {
                      header: draft.parts.header.length,
                      footer: draft.parts.footer.length,
                    },
                  )}
                </Typography>
                <LayoutFields form={fields} />
              </Flex>
            </Box>
          </Grid.Item>
          <Grid.Item col={7} s={12} direction="column" alignItems="stretch">
            <Box background="neutral0" padding={6} shadow="tableShadow" hasRadius>
              {preview.isError ? (
                <Typography textColor="danger600">{apiProblemOf(preview.error).message}</Typography>
              ) : preview.data ? (
                <MessagePreview
                  html={preview.data.personalized.html || preview.data.html}
                  width={draft.parts.style.width}
                  title={t('layouts.preview', 'Layout preview')}
                />
              ) : (
                <Flex justifyContent="center" padding={8}>
                  <Loader>{t('layouts.preview.loading', 'Rendering the preview')}</Loader>
                </Flex>
              )}
            </Box>
          </Grid.Item>
        </Grid.Root>
      </Layouts.Content>
    </Page.Main>
  );
};

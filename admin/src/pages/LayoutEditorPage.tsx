// A layout being edited: its name, legal lines and look on the left, the message as readers will see it on the right
// (rendered by the server as sending renders it, with the layout's starting blocks as sample content).
import { useEffect, useMemo, useState } from 'react';
import { Box, Button, Field, Flex, Grid, Loader, TextInput, Textarea, Typography } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { BackButton, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useParams } from 'react-router-dom';
import { layoutPartsSchema, type LayoutParts } from '../../../shared/layouts';
import { problemsByPath } from '../components/form/useSchemaForm';
import type { Layout } from '../../../shared/contracts/authoring';
import { useLayout, useLayoutMutations, usePreview } from '../api/layouts';
import { LayoutFields } from '../components/layouts/LayoutFields';
import { MessagePreview } from '../components/layouts/MessagePreview';
import { useCampaignsPermissions } from '../hooks/useCampaignsPermissions';
import { useDebounced } from '../hooks/useDebounced';
import { useT } from '../hooks/useT';
import { apiProblemOf } from '../utils/errors';
import { paths } from '../utils/paths';

interface Draft {
  name: string;
  description: string;
  parts: LayoutParts;
}

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
  },
});

/** The problems of the parts by dotted path, in the schema's words: shown as the admin types. */
const problemsOf = (parts: LayoutParts) => problemsByPath(layoutPartsSchema, parts);

export const LayoutEditorPage = () => {
  const t = useT();
  const { id } = useParams<{ id: string }>();
  const { toggleNotification } = useNotification();
  const { canSend } = useCampaignsPermissions();
  const { data: layout, isLoading, isError } = useLayout(id);
  const { update } = useLayoutMutations();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    if (layout) setDraft(draftOf(layout));
  }, [layout]);

  const problems = useMemo(() => (draft ? problemsOf(draft.parts) : {}), [draft]);
  const errors = { ...serverErrors, ...problems };
  const settled = useDebounced(draft, 400);
  const preview = usePreview(
    settled && layout && !Object.keys(problemsOf(settled.parts)).length
      ? { contentMode: 'blocks', content: layout.content ?? { version: 1, blocks: [] }, layoutParts: settled.parts }
      : null,
  );

  if (isLoading || (layout && !draft))
    return (
      <Page.Main>
        <Flex justifyContent="center" padding={8}>
          <Loader>{t('layouts.loading', 'Loading layouts')}</Loader>
        </Flex>
      </Page.Main>
    );
  if (isError || !layout || !draft) return <Page.Error />;

  const dirty = JSON.stringify(draft) !== JSON.stringify(draftOf(layout));
  const change = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next });
    setServerErrors({});
  };
  const save = () =>
    update.mutate(
      { id: layout.documentId, input: { name: draft.name, description: draft.description || null, ...draft.parts } },
      {
        onSuccess: () => toggleNotification({ type: 'success', message: t('layouts.saved', 'Layout saved') }),
        onError: (error) => {
          const problem = apiProblemOf(error);
          setServerErrors(problem.fields);
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
          dirty
            ? t('layouts.unsaved', 'Unsaved changes')
            : t('layouts.saved.state', 'Saved: newsletters made from it use it')
        }
        primaryAction={
          canSend ? (
            <Button
              startIcon={<Check />}
              onClick={save}
              loading={update.isLoading}
              disabled={!dirty || Object.keys(problems).length > 0 || !draft.name.trim()}
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
                <Field.Root
                  name="name"
                  error={draft.name.trim() ? serverErrors.name : t('layouts.name.required', 'Give the layout a name.')}
                  required
                >
                  <Field.Label>{t('layouts.field.name', 'Name')}</Field.Label>
                  <TextInput
                    value={draft.name}
                    disabled={!canSend}
                    onChange={(event: React.ChangeEvent<HTMLInputElement>) => change({ name: event.target.value })}
                  />
                  <Field.Error />
                </Field.Root>
                <Field.Root name="description">
                  <Field.Label>{t('layouts.field.description', 'Description')}</Field.Label>
                  <Textarea
                    value={draft.description}
                    disabled={!canSend}
                    onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) =>
                      change({ description: event.target.value })
                    }
                  />
                </Field.Root>
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
                <LayoutFields
                  parts={draft.parts}
                  errors={errors}
                  disabled={!canSend}
                  onChange={(parts) => change({ parts })}
                />
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

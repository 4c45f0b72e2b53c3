// Settings > Campaigns > Newsletter shapes: for each of the app's collection types, which field is the title, the
// body, the excerpt and the picture of a newsletter made from an entry, and the URL of an entry's public page.
import { Box, Button, EmptyStateLayout, Flex, Grid, Loader, Typography } from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import type { EntryTypeSummary } from '../../../shared/contracts/authoring';
import { entryShapeSchema } from '../../../shared/entries';
import { useEntryMutations, useEntryTypes } from '../api/entries';
import { useT } from '../hooks/useT';
import { bindValue, type FieldBinding } from '../components/form/binding';
import { SelectField, TextField } from '../components/form/fields';
import { errorsUnder, useSchemaForm } from '../components/form/useSchemaForm';
import { apiProblemOf } from '../utils/errors';

type Role = 'titleField' | 'bodyField' | 'excerptField' | 'imageField';
const KINDS: Record<Role, string[]> = {
  titleField: ['string', 'text', 'uid', 'email'],
  bodyField: ['blocks', 'richtext', 'text'],
  excerptField: ['text', 'string', 'richtext', 'blocks'],
  imageField: ['media'],
};
const NONE = '__none';

const ShapeForm = ({ type }: { type: EntryTypeSummary }) => {
  const t = useT();
  const { toggleNotification } = useNotification();
  const { saveShape } = useEntryMutations();
  const form = useSchemaForm(entryShapeSchema, type.shape);
  // A role without a field is held as null and shown as "(none)".
  const roles: FieldBinding = {
    ...form,
    get: (path) => form.get(path) ?? NONE,
    set: (path, value) => form.set(path, value === NONE ? null : value),
  };
  // A locale without its own pattern has no key (its entries use the main pattern).
  const localePatterns = bindValue(
    form.values.localeUrlPatterns ?? {},
    (patterns) => form.set('localeUrlPatterns', Object.fromEntries(Object.entries(patterns).filter(([, v]) => v))),
    errorsUnder(form.errors, 'localeUrlPatterns'),
  );
  const labels: Record<Role, string> = {
    titleField: t('shapes.title', 'Title'),
    bodyField: t('shapes.body', 'Body'),
    excerptField: t('shapes.excerpt', 'Excerpt'),
    imageField: t('shapes.image', 'Picture'),
  };
  const save = () =>
    saveShape.mutate(form.values, {
      onSuccess: () => toggleNotification({ type: 'success', message: t('shapes.saved', 'Newsletter shape saved') }),
      onError: (error) => {
        const problem = apiProblemOf(error);
        form.setServerErrors(problem.fields);
        toggleNotification({ type: 'danger', message: problem.message });
      },
    });

  return (
    <Box tag="section" aria-label={type.displayName} background="neutral0" padding={6} shadow="tableShadow" hasRadius>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between">
          <Typography variant="delta" tag="h2">
            {type.displayName}
          </Typography>
          <Typography variant="pi" textColor="neutral600">
            {type.shapeSaved ? t('shapes.saved.state', 'Mapped') : t('shapes.guessed', 'Guessed from the field names')}
          </Typography>
        </Flex>
        <Grid.Root gap={4}>
          {(Object.keys(KINDS) as Role[]).map((role) => (
            <SelectField
              key={role}
              form={roles}
              path={role}
              label={labels[role]}
              required={role === 'titleField'}
              col={3}
              options={[
                ...(role === 'titleField' ? [] : [{ value: NONE, label: t('shapes.none', '(none)') }]),
                ...type.fields
                  .filter((field) => KINDS[role].includes(field.type))
                  .map((field) => ({ value: field.name, label: field.name })),
              ]}
            />
          ))}
          <TextField
            form={form}
            path="urlPattern"
            label={t('shapes.url', 'Public page of an entry')}
            hint={t('shapes.url.hint', 'Any field of the entry, documentId or locale in braces, as in {example}', {
              example: 'https://example.com/blog/{slug}',
            })}
            col={12}
          />
          {type.locales.map((locale) => (
            <TextField
              key={locale.code}
              form={localePatterns}
              path={locale.code}
              label={t('shapes.localeUrl', 'Public page of an entry in {locale}', {
                locale: `${locale.name} (${locale.code})`,
              })}
              hint={t('shapes.localeUrl.hint', 'Empty: the page above')}
              placeholder={form.values.urlPattern}
              col={12}
            />
          ))}
        </Grid.Root>
        <Flex justifyContent="flex-end">
          <Button startIcon={<Check />} onClick={save} loading={saveShape.isLoading} disabled={!form.valid}>
            {t('shapes.save', 'Save {type}', { type: type.displayName })}
          </Button>
        </Flex>
      </Flex>
    </Box>
  );
};

export const EntryShapesPage = () => {
  const t = useT();
  const { data, isLoading, isError } = useEntryTypes();
  return (
    <Page.Main>
      <Page.Title>{t('shapes.page', 'Newsletter shapes')}</Page.Title>
      <Layouts.Header
        title={t('shapes.page', 'Newsletter shapes')}
        subtitle={t('shapes.subtitle', 'How an entry of each collection type becomes a newsletter, a card or a digest')}
      />
      <Layouts.Content>
        {isLoading ? (
          <Flex justifyContent="center" padding={8}>
            <Loader>{t('shapes.loading', 'Loading the collection types')}</Loader>
          </Flex>
        ) : isError || !data ? (
          <Page.Error />
        ) : !data.length ? (
          <EmptyStateLayout content={t('shapes.empty', 'This app has no collection type to send yet.')} />
        ) : (
          <Flex direction="column" alignItems="stretch" gap={4}>
            {data.map((type) => (
              <ShapeForm key={type.uid} type={type} />
            ))}
          </Flex>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

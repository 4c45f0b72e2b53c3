// Settings > Campaigns > Newsletter shapes: for each of the app's collection types, which field is the title, the
// body, the excerpt and the picture of a newsletter made from an entry, and the URL of an entry's public page.
import { useEffect, useState } from 'react';
import {
  Box,
  Button,
  EmptyStateLayout,
  Field,
  Flex,
  Grid,
  Loader,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import type { EntryTypeSummary } from '../../../shared/contracts/authoring';
import { entryShapeSchema, type EntryShape } from '../../../shared/entries';
import { useEntryMutations, useEntryTypes } from '../api/entries';
import { useT } from '../hooks/useT';
import { problemsByPath } from '../components/form/useSchemaForm';
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
  const [shape, setShape] = useState<EntryShape>(type.shape);
  useEffect(() => setShape(type.shape), [type.shape]);
  const errors = problemsByPath(entryShapeSchema, shape);
  const labels: Record<Role, string> = {
    titleField: t('shapes.title', 'Title'),
    bodyField: t('shapes.body', 'Body'),
    excerptField: t('shapes.excerpt', 'Excerpt'),
    imageField: t('shapes.image', 'Picture'),
  };
  const select = (role: Role) => (
    <Field.Root name={role} error={errors[role]} required={role === 'titleField'}>
      <Field.Label>{labels[role]}</Field.Label>
      <SingleSelect
        value={shape[role] ?? NONE}
        onChange={(value: string | number) => setShape({ ...shape, [role]: value === NONE ? null : String(value) })}
      >
        {role !== 'titleField' && <SingleSelectOption value={NONE}>{t('shapes.none', '(none)')}</SingleSelectOption>}
        {type.fields
          .filter((field) => KINDS[role].includes(field.type))
          .map((field) => (
            <SingleSelectOption key={field.name} value={field.name}>
              {field.name}
            </SingleSelectOption>
          ))}
      </SingleSelect>
      <Field.Error />
    </Field.Root>
  );
  const save = () =>
    saveShape.mutate(shape, {
      onSuccess: () => toggleNotification({ type: 'success', message: t('shapes.saved', 'Newsletter shape saved') }),
      onError: (error) => toggleNotification({ type: 'danger', message: apiProblemOf(error).message }),
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
            <Grid.Item key={role} col={3} s={12} direction="column" alignItems="stretch">
              {select(role)}
            </Grid.Item>
          ))}
        </Grid.Root>
        <Field.Root
          name="urlPattern"
          error={errors.urlPattern}
          hint={t('shapes.url.hint', 'Any field of the entry, documentId or locale in braces, as in {example}', {
            example: 'https://example.com/blog/{slug}',
          })}
        >
          <Field.Label>{t('shapes.url', 'Public page of an entry')}</Field.Label>
          <TextInput
            value={shape.urlPattern}
            onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
              setShape({ ...shape, urlPattern: event.target.value })
            }
          />
          <Field.Hint />
          <Field.Error />
        </Field.Root>
        {type.locales.map((locale) => (
          <Field.Root
            key={locale.code}
            name={`localeUrlPatterns.${locale.code}`}
            error={errors[`localeUrlPatterns.${locale.code}`]}
            hint={t('shapes.localeUrl.hint', 'Empty: the page above')}
          >
            <Field.Label>
              {t('shapes.localeUrl', 'Public page of an entry in {locale}', {
                locale: `${locale.name} (${locale.code})`,
              })}
            </Field.Label>
            <TextInput
              placeholder={shape.urlPattern}
              value={shape.localeUrlPatterns?.[locale.code] ?? ''}
              onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
                const { [locale.code]: _old, ...others } = shape.localeUrlPatterns ?? {};
                const value = event.target.value;
                setShape({ ...shape, localeUrlPatterns: value ? { ...others, [locale.code]: value } : others });
              }}
            />
            <Field.Hint />
            <Field.Error />
          </Field.Root>
        ))}
        <Flex justifyContent="flex-end">
          <Button
            startIcon={<Check />}
            onClick={save}
            loading={saveShape.isLoading}
            disabled={Object.keys(errors).length > 0}
          >
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

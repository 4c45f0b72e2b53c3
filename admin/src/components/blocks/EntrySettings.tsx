// Entry blocks: a card for one entry (picked by searching the titles of a collection type's published entries) and
// the latest entries of a type (the digest), each shown through the type's newsletter shape.
import { useState } from 'react';
import { Combobox, ComboboxOption, Field, Flex, Typography } from '@strapi/design-system';
import type { EntryCardBlock, EntryListBlock } from '../../../../shared/blocks';
import { useEntryPage, useEntryTypes } from '../../api/entries';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';
import { bindValue, type FieldBinding } from '../form/binding';
import { CheckboxField, NumberField, SelectField, TextField } from '../form/fields';
import { errorsUnder } from '../form/useSchemaForm';
import { blockFields, type SettingsProps } from './fields';

/** The collection type the block shows entries of, among the types that can be shown. */
const TypeField = ({ form }: { form: FieldBinding }) => {
  const t = useT();
  const types = useEntryTypes();
  if (types.isLoading) return <Typography textColor="neutral600">{t('common.loading', 'Loading…')}</Typography>;
  if (types.isError) return <Typography textColor="danger600">{apiProblemOf(types.error).message}</Typography>;
  if (!types.data?.length)
    return (
      <Typography textColor="neutral600">
        {t('blocks.entry.noTypes', 'No collection type can be shown yet.')}
      </Typography>
    );
  return (
    <SelectField
      form={form}
      path="contentType"
      label={t('blocks.entry.type', 'Collection type')}
      col={12}
      options={types.data.map((type) => ({ value: type.uid, label: type.displayName }))}
    />
  );
};

const Display = ({ form }: { form: FieldBinding }) => {
  const t = useT();
  return (
    <>
      <Flex gap={4}>
        <CheckboxField form={form} path="showImage" label={t('blocks.entry.showImage', 'Picture')} />
        <CheckboxField form={form} path="showExcerpt" label={t('blocks.entry.showExcerpt', 'Excerpt')} />
      </Flex>
      <TextField
        form={form}
        path="buttonLabel"
        label={t('blocks.entry.button', 'Button')}
        hint={t('blocks.entry.button.hint', 'Empty: no button (the title links to the page).')}
        col={12}
      />
    </>
  );
};

export const EntryCardSettings = (props: SettingsProps<EntryCardBlock>) => {
  const { block, onChange, errors, disabled } = props;
  const t = useT();
  const [search, setSearch] = useState('');
  const page = useEntryPage(block.contentType, search);
  const entries = page.data?.data ?? [];
  const form = blockFields(props);
  // Another type: the entry chosen in the previous one no longer applies.
  const typeForm: FieldBinding = {
    ...form,
    set: (_path, contentType) => onChange({ ...block, contentType: String(contentType), documentId: '' }),
  };
  return (
    <>
      <TypeField form={typeForm} />
      {block.contentType && (
        <Field.Root name="documentId" error={errors.documentId}>
          <Field.Label>{t('blocks.entry.entry', 'Entry')}</Field.Label>
          <Combobox
            value={block.documentId || undefined}
            onInputChange={(event: React.ChangeEvent<HTMLInputElement>) => setSearch(event.target.value)}
            onChange={(documentId?: string) => {
              const entry = entries.find((candidate) => candidate.documentId === documentId);
              onChange({ ...block, documentId: documentId ?? '', locale: entry?.locale ?? null });
            }}
            loading={page.isFetching}
            // The server searched the titles already: every option it answered is shown.
            autocomplete={{ type: 'list', filter: 'contains' }}
            disabled={disabled}
            placeholder={t('blocks.entry.search', 'Search by title')}
          >
            {entries.map((entry) => (
              <ComboboxOption key={entry.documentId} value={entry.documentId}>
                {entry.title}
              </ComboboxOption>
            ))}
          </Combobox>
          <Field.Error />
        </Field.Root>
      )}
      <Display form={form} />
    </>
  );
};

export const EntryListSettings = (props: SettingsProps<EntryListBlock>) => {
  const { block, onChange, errors, disabled } = props;
  const t = useT();
  const form = blockFields(props);
  // The filter is one field and the value it must equal; without a field there is no filter.
  const where = bindValue(
    block.where ?? { field: '', value: '' },
    (next) => onChange({ ...block, where: next.field ? next : null }, 'where'),
    errorsUnder(errors, 'where'),
    disabled,
  );
  return (
    <>
      <TypeField form={form} />
      <NumberField form={form} path="limit" label={t('blocks.entry.limit', 'How many (1 to 20)')} col={12} />
      <NumberField
        form={form}
        path="publishedWithinDays"
        label={t('blocks.entry.days', 'Published in the last days')}
        hint={t('blocks.entry.days.hint', 'Empty: however old.')}
        col={12}
        nullable
      />
      <Flex gap={2}>
        <TextField form={where} path="field" label={t('blocks.entry.whereField', 'Only where the field')} />
        <TextField
          form={where}
          path="value"
          label={t('blocks.entry.whereValue', 'equals')}
          disabled={disabled || !block.where}
        />
      </Flex>
      <Display form={form} />
    </>
  );
};

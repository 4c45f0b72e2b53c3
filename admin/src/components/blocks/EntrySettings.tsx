// Entry blocks: a card for one entry (picked by searching the titles of a collection type's published entries) and
// the latest entries of a type (the digest), each shown through the type's newsletter shape.
import { useState } from 'react';
import { Checkbox, Combobox, ComboboxOption, Field, Flex, NumberInput, Typography } from '@strapi/design-system';
import type { EntryCardBlock, EntryListBlock } from '../../../../shared/blocks';
import { useEntryPage, useEntryTypes } from '../../api/entries';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';
import { SelectRow, TextRow, type SettingsProps } from './fields';

const TypeRow = ({
  value,
  onChange,
  disabled,
  error,
}: {
  value: string;
  onChange: (uid: string) => void;
  disabled: boolean;
  error?: string;
}) => {
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
    <SelectRow<string>
      name="contentType"
      label={t('blocks.entry.type', 'Collection type')}
      value={value}
      error={error}
      disabled={disabled}
      onChange={onChange}
      options={types.data.map((type) => [type.uid, type.displayName])}
    />
  );
};

const Display = ({ block, onChange, disabled }: SettingsProps<EntryCardBlock | EntryListBlock>) => {
  const t = useT();
  return (
    <>
      <Flex gap={4}>
        <Checkbox
          checked={block.showImage}
          disabled={disabled}
          onCheckedChange={(on) => onChange({ ...block, showImage: on === true })}
        >
          {t('blocks.entry.showImage', 'Picture')}
        </Checkbox>
        <Checkbox
          checked={block.showExcerpt}
          disabled={disabled}
          onCheckedChange={(on) => onChange({ ...block, showExcerpt: on === true })}
        >
          {t('blocks.entry.showExcerpt', 'Excerpt')}
        </Checkbox>
      </Flex>
      <TextRow
        name="buttonLabel"
        label={t('blocks.entry.button', 'Button')}
        hint={t('blocks.entry.button.hint', 'Empty: no button (the title links to the page).')}
        value={block.buttonLabel}
        disabled={disabled}
        onChange={(buttonLabel) => onChange({ ...block, buttonLabel }, 'buttonLabel')}
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
  return (
    <>
      <TypeRow
        value={block.contentType}
        error={errors.contentType}
        disabled={disabled}
        onChange={(contentType) => onChange({ ...block, contentType, documentId: '' })}
      />
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
      <Display {...(props as SettingsProps<EntryCardBlock | EntryListBlock>)} />
    </>
  );
};

export const EntryListSettings = (props: SettingsProps<EntryListBlock>) => {
  const { block, onChange, errors, disabled } = props;
  const t = useT();
  return (
    <>
      <TypeRow
        value={block.contentType}
        error={errors.contentType}
        disabled={disabled}
        onChange={(contentType) => onChange({ ...block, contentType })}
      />
      <Field.Root name="limit" error={errors.limit}>
        <Field.Label>{t('blocks.entry.limit', 'How many (1 to 20)')}</Field.Label>
        <NumberInput
          value={block.limit}
          disabled={disabled}
          onValueChange={(limit?: number) => onChange({ ...block, limit: limit ?? 1 }, 'limit')}
        />
        <Field.Error />
      </Field.Root>
      <Field.Root
        name="publishedWithinDays"
        hint={t('blocks.entry.days.hint', 'Empty: however old.')}
        error={errors.publishedWithinDays}
      >
        <Field.Label>{t('blocks.entry.days', 'Published in the last days')}</Field.Label>
        <NumberInput
          value={block.publishedWithinDays ?? undefined}
          disabled={disabled}
          onValueChange={(days?: number) =>
            onChange({ ...block, publishedWithinDays: days ?? null }, 'publishedWithinDays')
          }
        />
        <Field.Hint />
        <Field.Error />
      </Field.Root>
      <Flex gap={2}>
        <TextRow
          name="where.field"
          label={t('blocks.entry.whereField', 'Only where the field')}
          value={block.where?.field ?? ''}
          error={errors['where.field']}
          disabled={disabled}
          onChange={(field) =>
            onChange({ ...block, where: field ? { field, value: block.where?.value ?? '' } : null }, 'where')
          }
        />
        <TextRow
          name="where.value"
          label={t('blocks.entry.whereValue', 'equals')}
          value={String(block.where?.value ?? '')}
          disabled={disabled || !block.where}
          onChange={(value) => block.where && onChange({ ...block, where: { ...block.where, value } }, 'where')}
        />
      </Flex>
      <Display {...(props as SettingsProps<EntryCardBlock | EntryListBlock>)} />
    </>
  );
};

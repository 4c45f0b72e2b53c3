// A delivery's audience is its lists, or one engagement segment (whose rules can name lists themselves): choosing a
// segment clears the lists, so what the editor shows is what is sent.
import { Field, SingleSelect, SingleSelectOption, Typography } from '@strapi/design-system';
import { useSegmentAudience, useSegments } from '../../api/segments';
import { useT } from '../../hooks/useT';
import { formatNumber } from '../../utils/format';
import type { FieldBinding } from '../form/binding';
import { errorAt } from '../form/useSchemaForm';

const LISTS = '';

export const SegmentChoice = ({ fields, segment }: { fields: FieldBinding; segment: string | null }) => {
  const t = useT();
  const segments = useSegments();
  const chosen = useSegmentAudience(segment);
  const choose = (value: string) => {
    fields.set('segment', value === LISTS ? null : value);
    if (value !== LISTS) {
      fields.set('lists', []);
      fields.set('audienceSegments', []);
    }
  };
  return (
    <Field.Root name="segment" error={errorAt(fields.errors, 'segment')} width="100%">
      <Field.Label>{t('editor.segment', 'Send to')}</Field.Label>
      <SingleSelect
        value={segment ?? LISTS}
        onChange={(value: string | number) => choose(String(value))}
        disabled={fields.disabled}
        placeholder={segments.isLoading ? t('common.loading', 'Loading…') : undefined}
      >
        <SingleSelectOption value={LISTS}>{t('editor.segment.lists', 'The lists ticked below')}</SingleSelectOption>
        {(segments.data?.data ?? []).map((item) => (
          <SingleSelectOption key={item.documentId} value={item.documentId}>
            {t('editor.segment.option', 'The segment "{name}"', { name: item.name })}
          </SingleSelectOption>
        ))}
      </SingleSelect>
      <Field.Error />
      {segment && (
        <Typography
          variant="pi"
          textColor={chosen.isError ? 'danger600' : 'neutral600'}
          data-testid="segment-audience-size"
        >
          {chosen.isError
            ? t('editor.segment.error', 'Could not count the segment.')
            : chosen.recipients === null
              ? t('segments.size.loading', 'Counting members')
              : t(
                  'editor.segment.size',
                  'Audience: {count} contacts would get it now (counted as sending counts them)',
                  {
                    count: formatNumber(chosen.recipients),
                  },
                )}
        </Typography>
      )}
    </Field.Root>
  );
};

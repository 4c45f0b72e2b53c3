// Who a delivery goes to: lists (with their subscribed sizes) and segments of the app's audience sources, or one
// engagement segment.
import { Checkbox, Flex, Typography } from '@strapi/design-system';
import type { ListResponse } from '../../../../shared/contracts/common';
import type { ContactList } from '../../../../shared/contracts/lists';
import type { AudienceSourceInfo } from '../../../../shared/contracts/extensions';
import { useT } from '../../hooks/useT';
import { formatNumber } from '../../utils/format';
import { Section } from '../Section';
import { SourceSegmentsPicker } from '../editor/SourceSegmentsPicker';
import type { FieldBinding } from '../form/binding';
import { errorAt } from '../form/useSchemaForm';
import { FollowUpAudience } from './FollowUpAudience';
import { SegmentChoice } from './SegmentChoice';
import type { FormState } from './form';

interface Props {
  form: FormState;
  fields: FieldBinding;
  lists: { isLoading: boolean; isError: boolean; data?: ListResponse<ContactList> };
  sources: { data?: AudienceSourceInfo[] };
  audienceSize: number;
  /** A follow-up's documentId: its audience is its parent's recipients, not lists. */
  followUpOf?: string | null;
}

export const AudienceSection = ({ form, fields, lists, sources, audienceSize, followUpOf }: Props) => {
  const t = useT();
  if (followUpOf)
    return (
      <Section title={t('editor.section.audience', 'Audience')}>
        <FollowUpAudience documentId={followUpOf} />
      </Section>
    );
  const listsError = errorAt(fields.errors, 'lists');
  const segmentsError = errorAt(fields.errors, 'audienceSegments');
  const toggleList = (documentId: string, checked: boolean) =>
    fields.set('lists', checked ? [...form.lists, documentId] : form.lists.filter((id) => id !== documentId));
  if (form.segment)
    return (
      <Section title={t('editor.section.audience', 'Audience')}>
        <SegmentChoice fields={fields} segment={form.segment} />
      </Section>
    );
  return (
    <Section title={t('editor.section.audience', 'Audience')}>
      <SegmentChoice fields={fields} segment={null} />
      {lists.isLoading ? (
        <Typography textColor="neutral600">{t('common.loading', 'Loading…')}</Typography>
      ) : lists.isError ? (
        <Typography textColor="danger600">{t('editor.lists.error', 'Could not load the lists.')}</Typography>
      ) : !lists.data?.data.length ? (
        <Typography textColor="neutral600">
          {t('editor.lists.empty', 'No lists yet: create one in the Lists tab and add contacts to it.')}
        </Typography>
      ) : (
        <Flex direction="column" alignItems="flex-start" gap={2} role="group" aria-label={t('editor.lists', 'Lists')}>
          {lists.data.data.map((list) => (
            <Checkbox
              key={list.documentId}
              checked={form.lists.includes(list.documentId)}
              onCheckedChange={(checked) => toggleList(list.documentId, checked === true)}
              disabled={fields.disabled}
            >
              {t(
                'editor.lists.item',
                '{name} ({subscribed, plural, one {# subscribed contact} other {# subscribed contacts}})',
                {
                  name: list.name,
                  subscribed: list.subscribed,
                },
              )}
            </Checkbox>
          ))}
        </Flex>
      )}
      {listsError && <Typography textColor="danger600">{listsError}</Typography>}
      {Boolean(sources.data?.length) && (
        <SourceSegmentsPicker
          sources={sources.data ?? []}
          value={form.audienceSegments}
          onChange={(value) => fields.set('audienceSegments', value)}
          disabled={fields.disabled}
        />
      )}
      {segmentsError && <Typography textColor="danger600">{segmentsError}</Typography>}
      <Typography variant="pi" textColor="neutral600" data-testid="audience-size">
        {t('editor.audience.size', 'Audience: up to {count} subscribed contacts', {
          count: formatNumber(audienceSize),
        })}
      </Typography>
    </Section>
  );
};

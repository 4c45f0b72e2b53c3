// One condition of a segment: what it looks at (a list, opens, clicks, one link, inactivity, soft bounces), its
// parameters, and whether it is turned around ("not"). Bound to `rules.conditions.<index>` of the segment's form.
import { Box, Flex, Grid, IconButton } from '@strapi/design-system';
import { Trash } from '@strapi/icons';
import { SEGMENT_CONDITION_KINDS, type SegmentCondition, type SegmentConditionKind } from '../../../../shared/segments';
import { useDeliveries, useDeliveryLinks, useLists } from '../../api/client';
import { useT } from '../../hooks/useT';
import type { FieldBinding } from '../form/binding';
import { CheckboxField, NumberField, SelectField } from '../form/fields';

/** A new condition of a kind, with the values it starts from. */
export const newCondition = (kind: SegmentConditionKind): SegmentCondition => {
  switch (kind) {
    case 'list':
      return { kind, list: '', not: false };
    case 'opened':
    case 'clicked':
      return { kind, scope: { type: 'last', count: 3 }, not: false };
    case 'clickedLink':
      return { kind, delivery: '', link: '', not: false };
    case 'inactive':
      return { kind, days: 90, not: false };
    case 'softBounced':
      return { kind, days: 30, not: false };
  }
};

const useKindLabels = (): Record<SegmentConditionKind, string> => {
  const t = useT();
  return {
    list: t('segments.kind.list', 'Is in the list'),
    opened: t('segments.kind.opened', 'Opened'),
    clicked: t('segments.kind.clicked', 'Clicked'),
    clickedLink: t('segments.kind.clickedLink', 'Clicked the link'),
    inactive: t('segments.kind.inactive', 'No open or click for'),
    softBounced: t('segments.kind.softBounced', 'Soft-bounced within'),
  };
};

interface Props {
  form: FieldBinding;
  index: number;
  condition: SegmentCondition;
  onRemove?: () => void;
}

const LinkPicker = ({ form, path, delivery }: { form: FieldBinding; path: string; delivery: string }) => {
  const t = useT();
  const links = useDeliveryLinks(delivery);
  return (
    <SelectField
      form={form}
      path={`${path}.link`}
      label={t('segments.field.link', 'Link')}
      col={4}
      options={(links.data?.data ?? [])
        .filter((link) => link.tracked)
        .map((link) => ({ value: link.documentId, label: link.label ? `${link.label} (${link.url})` : link.url }))}
      placeholder={
        links.isLoading ? t('common.loading', 'Loading…') : t('segments.field.link.placeholder', 'Choose a link')
      }
    />
  );
};

export const ConditionFields = ({ form, index, condition, onRemove }: Props) => {
  const t = useT();
  const kinds = useKindLabels();
  const path = `rules.conditions.${index}`;
  const lists = useLists({ page: 1, pageSize: 500, sort: 'name:asc' });
  const sent = useDeliveries({ page: 1, pageSize: 100, status: 'sent', sort: 'startedAt:desc' });
  const deliveryOptions = (sent.data?.data ?? []).map((delivery) => ({
    value: delivery.documentId,
    label: delivery.name,
  }));
  // A new kind starts from its own values: the parameters of another kind mean nothing to it.
  const kindBinding: FieldBinding = {
    ...form,
    set: (_path, kind) => form.set(path, newCondition(kind as SegmentConditionKind)),
  };
  // "a delivery" or "the last N": switching starts the scope afresh.
  const scopeBinding: FieldBinding = {
    ...form,
    set: (_path, type) =>
      form.set(`${path}.scope`, type === 'last' ? { type: 'last', count: 3 } : { type: 'delivery', delivery: '' }),
  };

  return (
    <Box padding={4} background="neutral100" hasRadius data-testid={`segment-condition-${index}`}>
      <Flex alignItems="flex-start" gap={2}>
        <Grid.Root gap={4} style={{ flex: 1 }}>
          <SelectField
            form={kindBinding}
            path={`${path}.kind`}
            label={t('segments.field.kind', 'Condition')}
            col={4}
            options={SEGMENT_CONDITION_KINDS.map((kind) => ({ value: kind, label: kinds[kind] }))}
          />
          {condition.kind === 'list' && (
            <SelectField
              form={form}
              path={`${path}.list`}
              label={t('segments.field.list', 'List')}
              col={4}
              options={(lists.data?.data ?? []).map((list) => ({ value: list.documentId, label: list.name }))}
              placeholder={t('segments.field.list.placeholder', 'Choose a list')}
            />
          )}
          {(condition.kind === 'opened' || condition.kind === 'clicked') && (
            <>
              <SelectField
                form={scopeBinding}
                path={`${path}.scope.type`}
                label={t('segments.field.scope', 'In')}
                col={4}
                options={[
                  { value: 'last', label: t('segments.scope.last', 'any of the last deliveries') },
                  { value: 'delivery', label: t('segments.scope.delivery', 'one delivery') },
                ]}
              />
              {condition.scope.type === 'last' ? (
                <NumberField
                  form={form}
                  path={`${path}.scope.count`}
                  label={t('segments.field.count', 'How many')}
                  col={4}
                />
              ) : (
                <SelectField
                  form={form}
                  path={`${path}.scope.delivery`}
                  label={t('segments.field.delivery', 'Delivery')}
                  col={4}
                  options={deliveryOptions}
                  placeholder={t('segments.field.delivery.placeholder', 'Choose a sent delivery')}
                />
              )}
            </>
          )}
          {condition.kind === 'clickedLink' && (
            <>
              <SelectField
                form={{ ...form, set: (_path, delivery) => form.set(path, { ...condition, delivery, link: '' }) }}
                path={`${path}.delivery`}
                label={t('segments.field.delivery', 'Delivery')}
                col={4}
                options={deliveryOptions}
                placeholder={t('segments.field.delivery.placeholder', 'Choose a sent delivery')}
              />
              {condition.delivery && <LinkPicker form={form} path={path} delivery={condition.delivery} />}
            </>
          )}
          {(condition.kind === 'inactive' || condition.kind === 'softBounced') && (
            <NumberField form={form} path={`${path}.days`} label={t('segments.field.days', 'Days')} col={4} />
          )}
          <Grid.Item col={12} s={12}>
            <CheckboxField form={form} path={`${path}.not`} label={t('segments.field.not', 'Not: the opposite')} />
          </Grid.Item>
        </Grid.Root>
        {onRemove && (
          <IconButton
            label={t('segments.condition.remove', 'Remove this condition')}
            variant="ghost"
            onClick={onRemove}
          >
            <Trash />
          </IconButton>
        )}
      </Flex>
    </Box>
  );
};

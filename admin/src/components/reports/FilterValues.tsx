// The values of one report filter: deliveries and lists picked from the plugin's own, event types from their list,
// recipient domains typed in. An empty filter narrows nothing.
import { MultiSelect, MultiSelectOption, TextInput } from '@strapi/design-system';
import type { ReportDefinition, ReportFilterName } from '../../../../shared/contracts/reports';
import { useDeliveries, useLists } from '../../api/client';
import { setFilterValues } from './definition';
import { useT } from '../../hooks/useT';

const EVENT_TYPES = ['open', 'click', 'unsubscribe', 'mirror'] as const;

interface Props {
  name: ReportFilterName;
  label: string;
  definition: ReportDefinition;
  onChange: (definition: ReportDefinition) => void;
}

/** Domains typed as "a.com, b.org": lower case, trimmed, empty ones dropped. */
export const parseDomains = (value: string) =>
  value
    .split(/[\s,;]+/)
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);

const Picker = ({
  label,
  values,
  options,
  onChange,
}: {
  label: string;
  values: string[];
  options: Array<{ value: string; label: string }>;
  onChange: (v: string[]) => void;
}) => {
  const t = useT();
  return (
    <MultiSelect
      aria-label={label}
      placeholder={t('reports.filter.any', 'Any')}
      value={values}
      onChange={onChange}
      withTags
      size="S"
    >
      {options.map((option) => (
        <MultiSelectOption key={option.value} value={option.value}>
          {option.label}
        </MultiSelectOption>
      ))}
    </MultiSelect>
  );
};

const DeliveryPicker = ({
  label,
  values,
  onChange,
}: {
  label: string;
  values: string[];
  onChange: (v: string[]) => void;
}) => {
  const { data } = useDeliveries({ page: 1, pageSize: 100, sort: 'updatedAt:desc' });
  return (
    <Picker
      label={label}
      values={values}
      onChange={onChange}
      options={(data?.data ?? []).map((d) => ({ value: d.documentId, label: d.name }))}
    />
  );
};

const ListPicker = ({
  label,
  values,
  onChange,
}: {
  label: string;
  values: string[];
  onChange: (v: string[]) => void;
}) => {
  const { data } = useLists({ page: 1, pageSize: 100 });
  return (
    <Picker
      label={label}
      values={values}
      onChange={onChange}
      options={(data?.data ?? []).map((l) => ({ value: l.documentId, label: l.name }))}
    />
  );
};

export const FilterValues = ({ name, label, definition, onChange }: Props) => {
  const t = useT();
  const values = ((definition.query.filters ?? {})[name] ?? []) as string[];
  const set = (next: string[]) => onChange(setFilterValues(definition, name, next));
  if (name === 'deliveries') return <DeliveryPicker label={label} values={values} onChange={set} />;
  if (name === 'lists') return <ListPicker label={label} values={values} onChange={set} />;
  if (name === 'eventTypes')
    return (
      <Picker
        label={label}
        values={values}
        onChange={set}
        options={EVENT_TYPES.map((type) => ({ value: type, label: type }))}
      />
    );
  return (
    <TextInput
      aria-label={label}
      size="S"
      placeholder={t('reports.filter.domains', 'example.com, example.org')}
      defaultValue={values.join(', ')}
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the input's blur event, to type as React.FocusEvent<HTMLInputElement>
      onBlur={(event: any) => set(parseDomains(event.target.value))}
    />
  );
};

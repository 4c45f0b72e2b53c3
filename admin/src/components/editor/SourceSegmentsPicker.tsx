// The segments of the app's audience sources (its users, a CRM, ...), picked beside the lists, each with its size.
import { Checkbox, Flex, Typography } from '@strapi/design-system';
import type { AudienceSegmentRef, AudienceSourceInfo } from '../../../../shared/contracts/extensions';
import { useT } from '../../hooks/useT';

const same = (a: AudienceSegmentRef, b: AudienceSegmentRef) => a.source === b.source && a.segment === b.segment;

/** Recipients of the chosen segments, before exclusions and duplicates. */
export const segmentsSize = (sources: AudienceSourceInfo[] | undefined, chosen: AudienceSegmentRef[]) =>
  chosen.reduce(
    (sum, ref) =>
      sum + (sources?.find((s) => s.id === ref.source)?.segments.find((s) => s.id === ref.segment)?.count ?? 0),
    0,
  );

/** Labels of the chosen segments, "Source: segment", for the send confirmation. */
export const segmentLabels = (sources: AudienceSourceInfo[] | undefined, chosen: AudienceSegmentRef[]) =>
  chosen.map((ref) => {
    const source = sources?.find((s) => s.id === ref.source);
    const segment = source?.segments.find((s) => s.id === ref.segment);
    return `${source?.label ?? ref.source}: ${segment?.label ?? ref.segment}`;
  });

export const SourceSegmentsPicker = ({
  sources,
  value,
  onChange,
  disabled,
}: {
  sources: AudienceSourceInfo[];
  value: AudienceSegmentRef[];
  onChange: (value: AudienceSegmentRef[]) => void;
  disabled?: boolean;
}) => {
  const t = useT();
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      {sources.map((source) => (
        <Flex key={source.id} direction="column" alignItems="flex-start" gap={2} role="group" aria-label={source.label}>
          <Typography variant="sigma" textColor="neutral600">
            {source.label}
          </Typography>
          {!source.segments.length && (
            <Typography variant="pi" textColor="neutral600">
              {t('editor.sources.noSegments', 'No segment to pick from.')}
            </Typography>
          )}
          {source.segments.map((segment) => {
            const ref = { source: source.id, segment: segment.id };
            const checked = value.some((chosen) => same(chosen, ref));
            return (
              <Checkbox
                key={segment.id}
                checked={checked}
                onCheckedChange={(next) =>
                  onChange(next === true ? [...value, ref] : value.filter((chosen) => !same(chosen, ref)))
                }
                disabled={disabled}
              >
                {t('editor.sources.segment', '{name} ({count, plural, one {# recipient} other {# recipients}})', {
                  name: segment.label,
                  count: segment.count,
                })}
              </Checkbox>
            );
          })}
        </Flex>
      ))}
    </Flex>
  );
};

// The delivery editor's tracking section: opens and links switched on or off, and each link found in the HTML with
// its own switch. Switching link tracking as a whole forgets the per-link choices.
import { Field, Flex } from '@strapi/design-system';
import type { FoundLink } from '../../utils/links';
import { useT } from '../../hooks/useT';
import { Switch } from '../Switch';
import { LinkTrackingTable } from './LinkTrackingTable';
import { Section } from '../Section';

export interface TrackingChoices {
  trackOpens: boolean;
  trackLinks: boolean;
  linkTracking: Record<string, boolean>;
}

interface Props extends TrackingChoices {
  links: FoundLink[];
  onChange: (patch: Partial<TrackingChoices>) => void;
  disabled: boolean;
}

export const TrackingSection = ({ trackOpens, trackLinks, linkTracking, links, onChange, disabled }: Props) => {
  const t = useT();
  return (
    <Section title={t('editor.section.tracking', 'Tracking')}>
      <Flex gap={6} wrap="wrap">
        <Field.Root name="trackOpens">
          <Field.Label>{t('editor.trackOpens', 'Track opens')}</Field.Label>
          <Switch
            aria-label={t('editor.trackOpens', 'Track opens')}
            checked={trackOpens}
            onCheckedChange={(checked: boolean) => onChange({ trackOpens: checked })}
            disabled={disabled}
          />
        </Field.Root>
        <Field.Root name="trackLinks">
          <Field.Label>{t('editor.trackLinks', 'Track links')}</Field.Label>
          <Switch
            aria-label={t('editor.trackLinks', 'Track links')}
            checked={trackLinks}
            onCheckedChange={(checked: boolean) => onChange({ trackLinks: checked, linkTracking: {} })}
            disabled={disabled}
          />
        </Field.Root>
      </Flex>
      <LinkTrackingTable
        links={links}
        trackLinks={trackLinks}
        linkTracking={linkTracking}
        onChange={(position, tracked) => onChange({ linkTracking: { ...linkTracking, [String(position)]: tracked } })}
        disabled={disabled}
      />
    </Section>
  );
};

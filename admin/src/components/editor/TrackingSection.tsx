// The delivery editor's tracking section: opens and links switched on or off, and each link found in the HTML with
// its own switch. Switching link tracking as a whole forgets the per-link choices.
import { Grid } from '@strapi/design-system';
import type { FoundLink } from '../../utils/links';
import { useT } from '../../hooks/useT';
import type { FieldBinding } from '../form/binding';
import { ToggleField } from '../form/fields';
import { LinkTrackingTable } from './LinkTrackingTable';
import { Section } from '../Section';

interface Props {
  fields: FieldBinding;
  links: FoundLink[];
}

export const TrackingSection = ({ fields, links }: Props) => {
  const t = useT();
  const linkTracking = (fields.get('linkTracking') as Record<string, boolean> | undefined) ?? {};
  const switchLinks: FieldBinding = {
    ...fields,
    set: (path, value) => {
      fields.set(path, value);
      fields.set('linkTracking', {});
    },
  };
  return (
    <Section title={t('editor.section.tracking', 'Tracking')}>
      <Grid.Root gap={4}>
        <ToggleField form={fields} path="trackOpens" label={t('editor.trackOpens', 'Track opens')} col={3} />
        <ToggleField form={switchLinks} path="trackLinks" label={t('editor.trackLinks', 'Track links')} col={3} />
      </Grid.Root>
      <LinkTrackingTable
        links={links}
        trackLinks={Boolean(fields.get('trackLinks'))}
        linkTracking={linkTracking}
        onChange={(position, tracked) => fields.set(`linkTracking.${position}`, tracked)}
        disabled={Boolean(fields.disabled)}
      />
    </Section>
  );
};

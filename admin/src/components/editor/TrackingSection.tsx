// The delivery editor's tracking section: opens and links switched on or off, UTM tags on the tracked links (with
// the defaults of Settings shown as placeholders), and each link found in the HTML with its own switch and its final
// URL. Switching link tracking as a whole forgets the per-link choices.
import { Grid } from '@strapi/design-system';
import type { FoundLink } from '../../utils/links';
import { useT } from '../../hooks/useT';
import type { FieldBinding } from '../form/binding';
import { TextField, ToggleField } from '../form/fields';
import { campaignSlug, utmTagsOf, UTM_DEFAULTS } from '../../../../shared/utm';
import { useUtmDefaults } from '../../api/utm';
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
  const utmOn = Boolean(fields.get('utmTags'));
  const defaults = useUtmDefaults(utmOn).data ?? UTM_DEFAULTS;
  const text = (path: string) => String(fields.get(path) ?? '');
  const utm = utmTagsOf(
    {
      name: text('name'),
      utmTags: utmOn,
      utmSource: text('utmSource'),
      utmMedium: text('utmMedium'),
      utmCampaign: text('utmCampaign'),
    },
    defaults,
  );
  return (
    <Section title={t('editor.section.tracking', 'Tracking')}>
      <Grid.Root gap={4}>
        <ToggleField form={fields} path="trackOpens" label={t('editor.trackOpens', 'Track opens')} col={3} />
        <ToggleField form={switchLinks} path="trackLinks" label={t('editor.trackLinks', 'Track links')} col={3} />
        <ToggleField
          form={fields}
          path="utmTags"
          label={t('editor.utmTags', 'Add UTM tags')}
          hint={t('editor.utmTags.hint', 'To tracked links, never replacing a tag a link has')}
          col={6}
        />
        {utmOn && (
          <>
            <TextField form={fields} path="utmSource" label="utm_source" placeholder={defaults.source} col={4} />
            <TextField form={fields} path="utmMedium" label="utm_medium" placeholder={defaults.medium} col={4} />
            <TextField
              form={fields}
              path="utmCampaign"
              label="utm_campaign"
              placeholder={defaults.campaign || campaignSlug(text('name'))}
              col={4}
            />
          </>
        )}
      </Grid.Root>
      <LinkTrackingTable
        links={links}
        trackLinks={Boolean(fields.get('trackLinks'))}
        linkTracking={linkTracking}
        onChange={(position, tracked) => fields.set(`linkTracking.${position}`, tracked)}
        disabled={Boolean(fields.disabled)}
        utm={utm}
      />
    </Section>
  );
};

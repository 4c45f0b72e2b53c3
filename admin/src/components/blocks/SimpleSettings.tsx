// Settings of the blocks made of plain fields: heading, button, divider, space, social links and HTML.
import { Button, Flex, IconButton } from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import {
  SOCIAL_NETWORKS,
  type ButtonBlock,
  type DividerBlock,
  type HeadingBlock,
  type HtmlBlock,
  type SocialBlock,
  type SpacerBlock,
} from '../../../../shared/blocks';
import { useT } from '../../hooks/useT';
import { ColourField, NumberField, SelectField, TextField } from '../form/fields';
import { AlignField, blockFields, type SettingsProps } from './fields';

export const HeadingSettings = (props: SettingsProps<HeadingBlock>) => {
  const t = useT();
  const form = blockFields(props);
  return (
    <>
      <TextField form={form} path="text" label={t('blocks.heading.text', 'Heading')} col={12} />
      <SelectField
        form={form}
        path="level"
        label={t('blocks.heading.level', 'Size')}
        col={12}
        options={[
          { value: 1, label: t('blocks.heading.level1', 'Large') },
          { value: 2, label: t('blocks.heading.level2', 'Medium') },
          { value: 3, label: t('blocks.heading.level3', 'Small') },
        ]}
      />
      <AlignField form={form} />
    </>
  );
};

export const ButtonSettings = (props: SettingsProps<ButtonBlock>) => {
  const t = useT();
  const form = blockFields(props);
  const layoutColour = t('blocks.button.layoutColour', "Empty: the layout's colour");
  return (
    <>
      <TextField form={form} path="label" label={t('blocks.button.label', 'Label')} col={12} />
      <TextField
        form={form}
        path="url"
        label={t('blocks.button.url', 'Link')}
        hint={t('blocks.url.hint', 'https://…, mailto:… or tel:…')}
        col={12}
      />
      <ColourField
        form={form}
        path="backgroundColor"
        label={t('blocks.button.background', 'Button colour')}
        hint={layoutColour}
        col={12}
      />
      <ColourField
        form={form}
        path="textColor"
        label={t('blocks.button.textColour', 'Label colour')}
        hint={layoutColour}
        col={12}
      />
      <AlignField form={form} />
    </>
  );
};

export const DividerSettings = (props: SettingsProps<DividerBlock>) => {
  const t = useT();
  const form = blockFields(props);
  return (
    <>
      <ColourField form={form} path="color" label={t('blocks.divider.colour', 'Colour')} col={12} />
      <NumberField form={form} path="thickness" label={t('blocks.divider.thickness', 'Thickness (px)')} col={12} />
    </>
  );
};

export const SpacerSettings = (props: SettingsProps<SpacerBlock>) => {
  const t = useT();
  return (
    <NumberField form={blockFields(props)} path="height" label={t('blocks.spacer.height', 'Height (px)')} col={12} />
  );
};

export const SocialSettings = (props: SettingsProps<SocialBlock>) => {
  const { block, onChange, disabled } = props;
  const t = useT();
  const form = blockFields(props);
  return (
    <>
      {block.links.map((_, index) => (
        <Flex key={index} gap={2} alignItems="flex-end">
          <SelectField
            form={form}
            path={`links.${index}.network`}
            label={t('blocks.social.network', 'Network')}
            options={SOCIAL_NETWORKS.map((network) => ({ value: network, label: network }))}
          />
          <TextField form={form} path={`links.${index}.url`} label={t('blocks.social.url', 'Address')} />
          <IconButton
            label={t('blocks.social.remove', 'Remove this link')}
            disabled={disabled}
            onClick={() => onChange({ ...block, links: block.links.filter((_link, i) => i !== index) })}
          >
            <Trash />
          </IconButton>
        </Flex>
      ))}
      <Button
        variant="tertiary"
        startIcon={<Plus />}
        disabled={disabled || block.links.length >= 12}
        onClick={() => onChange({ ...block, links: [...block.links, { network: 'web', url: '' }] })}
      >
        {t('blocks.social.add', 'Add a link')}
      </Button>
      <AlignField form={form} />
    </>
  );
};

export const HtmlSettings = (props: SettingsProps<HtmlBlock>) => {
  const t = useT();
  return (
    <TextField
      form={blockFields(props)}
      path="html"
      label={t('blocks.html.label', 'HTML')}
      hint={t('blocks.html.hint', 'Placed as written; its links are tracked like the others.')}
      col={12}
      code
    />
  );
};

// Settings of the blocks made of plain fields: heading, button, divider, space, social links and HTML.
import { Button, Flex, IconButton, NumberInput, Field } from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import {
  SOCIAL_NETWORKS,
  type ButtonBlock,
  type DividerBlock,
  type HeadingBlock,
  type HtmlBlock,
  type SocialBlock,
  type SpacerBlock,
  type SocialNetwork,
} from '../../../../shared/blocks';
import { useT } from '../../hooks/useT';
import { ColourField } from '../ColourField';
import { AlignRow, SelectRow, TextRow, type SettingsProps } from './fields';

export const HeadingSettings = ({ block, onChange, errors, disabled }: SettingsProps<HeadingBlock>) => {
  const t = useT();
  return (
    <>
      <TextRow
        name="text"
        label={t('blocks.heading.text', 'Heading')}
        value={block.text}
        error={errors.text}
        disabled={disabled}
        onChange={(text) => onChange({ ...block, text }, 'text')}
      />
      <SelectRow<1 | 2 | 3>
        name="level"
        label={t('blocks.heading.level', 'Size')}
        value={block.level}
        disabled={disabled}
        onChange={(level) => onChange({ ...block, level })}
        options={[
          [1, t('blocks.heading.level1', 'Large')],
          [2, t('blocks.heading.level2', 'Medium')],
          [3, t('blocks.heading.level3', 'Small')],
        ]}
      />
      <AlignRow value={block.align} disabled={disabled} onChange={(align) => onChange({ ...block, align })} />
    </>
  );
};

export const ButtonSettings = ({ block, onChange, errors, disabled }: SettingsProps<ButtonBlock>) => {
  const t = useT();
  const layoutColour = t('blocks.button.layoutColour', "Empty: the layout's colour");
  return (
    <>
      <TextRow
        name="label"
        label={t('blocks.button.label', 'Label')}
        value={block.label}
        error={errors.label}
        disabled={disabled}
        onChange={(label) => onChange({ ...block, label }, 'label')}
      />
      <TextRow
        name="url"
        label={t('blocks.button.url', 'Link')}
        value={block.url}
        error={errors.url}
        hint={t('blocks.url.hint', 'https://…, mailto:… or tel:…')}
        disabled={disabled}
        onChange={(url) => onChange({ ...block, url }, 'url')}
      />
      <ColourField
        name="backgroundColor"
        label={t('blocks.button.background', 'Button colour')}
        hint={layoutColour}
        value={block.backgroundColor}
        error={errors.backgroundColor}
        disabled={disabled}
        onChange={(backgroundColor) => onChange({ ...block, backgroundColor }, 'backgroundColor')}
      />
      <ColourField
        name="textColor"
        label={t('blocks.button.textColour', 'Label colour')}
        hint={layoutColour}
        value={block.textColor}
        error={errors.textColor}
        disabled={disabled}
        onChange={(textColor) => onChange({ ...block, textColor }, 'textColor')}
      />
      <AlignRow value={block.align} disabled={disabled} onChange={(align) => onChange({ ...block, align })} />
    </>
  );
};

const NumberRow = (props: {
  name: string;
  label: string;
  value: number;
  disabled: boolean;
  error?: string;
  onChange: (value: number) => void;
}) => (
  <Field.Root name={props.name} error={props.error}>
    <Field.Label>{props.label}</Field.Label>
    <NumberInput
      value={props.value}
      disabled={props.disabled}
      onValueChange={(value?: number) => props.onChange(value ?? 0)}
    />
    <Field.Error />
  </Field.Root>
);

export const DividerSettings = ({ block, onChange, errors, disabled }: SettingsProps<DividerBlock>) => {
  const t = useT();
  return (
    <>
      <ColourField
        name="color"
        label={t('blocks.divider.colour', 'Colour')}
        value={block.color}
        error={errors.color}
        disabled={disabled}
        onChange={(color) => onChange({ ...block, color }, 'color')}
      />
      <NumberRow
        name="thickness"
        label={t('blocks.divider.thickness', 'Thickness (px)')}
        value={block.thickness}
        error={errors.thickness}
        disabled={disabled}
        onChange={(thickness) => onChange({ ...block, thickness }, 'thickness')}
      />
    </>
  );
};

export const SpacerSettings = ({ block, onChange, errors, disabled }: SettingsProps<SpacerBlock>) => {
  const t = useT();
  return (
    <NumberRow
      name="height"
      label={t('blocks.spacer.height', 'Height (px)')}
      value={block.height}
      error={errors.height}
      disabled={disabled}
      onChange={(height) => onChange({ ...block, height }, 'height')}
    />
  );
};

export const SocialSettings = ({ block, onChange, errors, disabled }: SettingsProps<SocialBlock>) => {
  const t = useT();
  const setLink = (index: number, change: Partial<SocialBlock['links'][number]>) =>
    onChange(
      { ...block, links: block.links.map((link, i) => (i === index ? { ...link, ...change } : link)) },
      `links.${index}`,
    );
  return (
    <>
      {block.links.map((link, index) => (
        <Flex key={index} gap={2} alignItems="flex-end">
          <SelectRow<SocialNetwork>
            name={`links.${index}.network`}
            label={t('blocks.social.network', 'Network')}
            value={link.network}
            disabled={disabled}
            onChange={(network) => setLink(index, { network })}
            options={SOCIAL_NETWORKS.map((network) => [network, network])}
          />
          <TextRow
            name={`links.${index}.url`}
            label={t('blocks.social.url', 'Address')}
            value={link.url}
            error={errors[`links.${index}.url`]}
            disabled={disabled}
            onChange={(url) => setLink(index, { url })}
          />
          <IconButton
            label={t('blocks.social.remove', 'Remove this link')}
            disabled={disabled}
            onClick={() => onChange({ ...block, links: block.links.filter((_, i) => i !== index) })}
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
      <AlignRow value={block.align} disabled={disabled} onChange={(align) => onChange({ ...block, align })} />
    </>
  );
};

export const HtmlSettings = ({ block, onChange, errors, disabled }: SettingsProps<HtmlBlock>) => {
  const t = useT();
  return (
    <TextRow
      name="html"
      label={t('blocks.html.label', 'HTML')}
      hint={t('blocks.html.hint', 'Placed as written; its links are tracked like the others.')}
      value={block.html}
      error={errors.html}
      multiline
      disabled={disabled}
      onChange={(html) => onChange({ ...block, html }, 'html')}
    />
  );
};

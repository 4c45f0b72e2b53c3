// The fields of a layout: its legal lines, its look (width, fonts, colours, dark colours). Each shows the problem of
// its path as the admin types (shared/layouts.ts, the schema the server checks with) or as the server answered it.
import { Box, Field, Flex, Grid, NumberInput, TextInput, Textarea, Typography } from '@strapi/design-system';
import type { LayoutParts, LayoutStyle } from '../../../../shared/layouts';
import { useT } from '../../hooks/useT';
import { ColourField } from '../ColourField';

type ColourKey = 'backgroundColor' | 'contentBackgroundColor' | 'textColor' | 'linkColor' | 'accentColor';
type DarkKey = keyof LayoutStyle['dark'];

interface Props {
  parts: LayoutParts;
  errors: Record<string, string>;
  disabled: boolean;
  onChange: (parts: LayoutParts) => void;
}

export const LayoutFields = ({ parts, errors, disabled, onChange }: Props) => {
  const t = useT();
  const style = parts.style;
  const setStyle = (change: Partial<LayoutStyle>) => onChange({ ...parts, style: { ...style, ...change } });
  const colours: Array<[ColourKey, string]> = [
    ['backgroundColor', t('layouts.field.backgroundColor', 'Around the message')],
    ['contentBackgroundColor', t('layouts.field.contentBackgroundColor', 'Message background')],
    ['textColor', t('layouts.field.textColor', 'Text')],
    ['linkColor', t('layouts.field.linkColor', 'Links')],
    ['accentColor', t('layouts.field.accentColor', 'Buttons')],
  ];
  const darkColours: Array<[DarkKey, string]> = [
    ['backgroundColor', t('layouts.field.backgroundColor', 'Around the message')],
    ['contentBackgroundColor', t('layouts.field.contentBackgroundColor', 'Message background')],
    ['textColor', t('layouts.field.textColor', 'Text')],
    ['linkColor', t('layouts.field.linkColor', 'Links')],
  ];
  const text = (name: 'unsubscribeLabel' | 'mirrorLabel', label: string, hint?: string) => (
    <Field.Root name={name} error={errors[name]} hint={hint}>
      <Field.Label>{label}</Field.Label>
      <TextInput
        value={parts[name] ?? ''}
        disabled={disabled}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
          onChange({ ...parts, [name]: event.target.value || undefined })
        }
      />
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );

  return (
    <Flex direction="column" alignItems="stretch" gap={6}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="delta" tag="h2">
          {t('layouts.section.legal', 'Footer the law requires')}
        </Typography>
        <Field.Root
          name="postalAddress"
          error={errors.postalAddress}
          required
          hint={t('layouts.field.postalAddress.hint', 'Printed at the end of every newsletter made with this layout.')}
        >
          <Field.Label>{t('layouts.field.postalAddress', 'Postal address')}</Field.Label>
          <Textarea
            value={parts.postalAddress}
            disabled={disabled}
            onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) =>
              onChange({ ...parts, postalAddress: event.target.value })
            }
          />
          <Field.Hint />
          <Field.Error />
        </Field.Root>
        <Grid.Root gap={4}>
          <Grid.Item col={6} s={12}>
            {text('unsubscribeLabel', t('layouts.field.unsubscribeLabel', 'Unsubscribe link'))}
          </Grid.Item>
          <Grid.Item col={6} s={12}>
            {text(
              'mirrorLabel',
              t('layouts.field.mirrorLabel', 'Web version link'),
              t('layouts.field.mirrorLabel.hint', 'Empty: "View in your browser".'),
            )}
          </Grid.Item>
        </Grid.Root>
      </Flex>

      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="delta" tag="h2">
          {t('layouts.section.look', 'Look')}
        </Typography>
        <Grid.Root gap={4}>
          <Grid.Item col={4} s={12}>
            <Field.Root
              name="style.width"
              error={errors['style.width']}
              hint={t('layouts.field.width.hint', '320 to 900 px; phones get their own width.')}
            >
              <Field.Label>{t('layouts.field.width', 'Width (px)')}</Field.Label>
              <NumberInput
                value={style.width}
                disabled={disabled}
                onValueChange={(value?: number) => setStyle({ width: value ?? 0 })}
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
          {(['fontFamily', 'headingFontFamily'] as const).map((key) => (
            <Grid.Item key={key} col={4} s={12}>
              <Field.Root name={`style.${key}`} error={errors[`style.${key}`]}>
                <Field.Label>
                  {key === 'fontFamily'
                    ? t('layouts.field.fontFamily', 'Text font')
                    : t('layouts.field.headingFontFamily', 'Heading font')}
                </Field.Label>
                <TextInput
                  value={style[key]}
                  disabled={disabled}
                  onChange={(event: React.ChangeEvent<HTMLInputElement>) => setStyle({ [key]: event.target.value })}
                />
                <Field.Error />
              </Field.Root>
            </Grid.Item>
          ))}
          {colours.map(([key, label]) => (
            <Grid.Item key={key} col={4} s={12}>
              <ColourField
                name={`style.${key}`}
                label={label}
                value={style[key]}
                error={errors[`style.${key}`]}
                disabled={disabled}
                onChange={(value) => setStyle({ [key]: value })}
              />
            </Grid.Item>
          ))}
        </Grid.Root>
        <Box>
          <Typography variant="sigma" tag="h3">
            {t('layouts.section.dark', 'In dark mode')}
          </Typography>
        </Box>
        <Grid.Root gap={4}>
          {darkColours.map(([key, label]) => (
            <Grid.Item key={key} col={3} s={12}>
              <ColourField
                name={`style.dark.${key}`}
                label={label}
                value={style.dark[key]}
                error={errors[`style.dark.${key}`]}
                disabled={disabled}
                onChange={(value) => setStyle({ dark: { ...style.dark, [key]: value } })}
              />
            </Grid.Item>
          ))}
        </Grid.Root>
      </Flex>
    </Flex>
  );
};

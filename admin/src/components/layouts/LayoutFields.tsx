// The fields of a layout: its legal lines, its look (width, fonts, colours, dark colours), bound to the `parts` of the
// layout editor's form. Each shows the problem of its path as the admin types (shared/layouts.ts, the schema the
// server checks with) or as the server answered it.
import { Box, Flex, Grid, Typography } from '@strapi/design-system';
import type { LayoutStyle } from '../../../../shared/layouts';
import { useT } from '../../hooks/useT';
import type { FieldBinding } from '../form/binding';
import { ColourField, NumberField, TextField } from '../form/fields';

type ColourKey = 'backgroundColor' | 'contentBackgroundColor' | 'textColor' | 'linkColor' | 'accentColor';
type DarkKey = keyof LayoutStyle['dark'];

export const LayoutFields = ({ form }: { form: FieldBinding }) => {
  const t = useT();
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

  return (
    <Flex direction="column" alignItems="stretch" gap={6}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="delta" tag="h2">
          {t('layouts.section.legal', 'Footer the law requires')}
        </Typography>
        <Grid.Root gap={4}>
          <TextField
            form={form}
            path="parts.postalAddress"
            label={t('layouts.field.postalAddress', 'Postal address')}
            hint={t(
              'layouts.field.postalAddress.hint',
              'Printed at the end of every newsletter made with this layout.',
            )}
            col={12}
            multiline
            required
          />
          <TextField
            form={form}
            path="parts.unsubscribeLabel"
            label={t('layouts.field.unsubscribeLabel', 'Unsubscribe link')}
          />
          <TextField
            form={form}
            path="parts.mirrorLabel"
            label={t('layouts.field.mirrorLabel', 'Web version link')}
            hint={t('layouts.field.mirrorLabel.hint', 'Empty: "View in your browser".')}
            optional
          />
          <TextField
            form={form}
            path="parts.preferencesLabel"
            label={t('layouts.field.preferencesLabel', 'Preference centre link')}
            hint={t('layouts.field.preferencesLabel.hint', 'Empty: "Email preferences".')}
            optional
          />
        </Grid.Root>
      </Flex>

      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="delta" tag="h2">
          {t('layouts.section.look', 'Look')}
        </Typography>
        <Grid.Root gap={4}>
          <NumberField
            form={form}
            path="parts.style.width"
            label={t('layouts.field.width', 'Width (px)')}
            hint={t('layouts.field.width.hint', '320 to 900 px; phones get their own width.')}
          />
          <TextField
            form={form}
            path="parts.style.fontFamily"
            label={t('layouts.field.fontFamily', 'Text font')}
            col={4}
          />
          <TextField
            form={form}
            path="parts.style.headingFontFamily"
            label={t('layouts.field.headingFontFamily', 'Heading font')}
            col={4}
          />
          {colours.map(([key, label]) => (
            <ColourField key={key} form={form} path={`parts.style.${key}`} label={label} col={4} />
          ))}
        </Grid.Root>
        <Box>
          <Typography variant="sigma" tag="h3">
            {t('layouts.section.dark', 'In dark mode')}
          </Typography>
        </Box>
        <Grid.Root gap={4}>
          {darkColours.map(([key, label]) => (
            <ColourField key={key} form={form} path={`parts.style.dark.${key}`} label={label} col={3} />
          ))}
        </Grid.Root>
      </Flex>
    </Flex>
  );
};

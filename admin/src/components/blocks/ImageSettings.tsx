// A picture block: chosen in the Media Library (the admin's own dialog), with its alternative text asked for, an
// optional link, a width and an alignment.
import { useState } from 'react';
import { Box, Button, Field, Flex, Typography } from '@strapi/design-system';
import { Images } from '@strapi/icons';
import { useStrapiApp } from '@strapi/strapi/admin';
import type { ImageBlock, MediaRef } from '../../../../shared/blocks';
import { useT } from '../../hooks/useT';
import { NumberField, TextField } from '../form/fields';
import { AlignField, blockFields, type SettingsProps } from './fields';

/** The upload plugin's dialog, as the admin registers it (its props, the ones used here). */
type MediaLibraryDialog = React.ComponentType<{
  allowedTypes?: string[];
  multiple?: boolean;
  onClose: () => void;
  onSelectAssets: (
    assets: Array<{
      id: number;
      url: string;
      width?: number | null;
      height?: number | null;
      alternativeText?: string | null;
    }>,
  ) => void;
}>;

export const ImageSettings = (props: SettingsProps<ImageBlock>) => {
  const { block, onChange, errors, disabled } = props;
  const t = useT();
  const form = blockFields({
    ...props,
    errors: block.alt.trim()
      ? errors
      : { ...errors, alt: errors.alt ?? t('blocks.image.alt.missing', 'Describe the picture.') },
  });
  const [picking, setPicking] = useState(false);
  const MediaLibrary = useStrapiApp('campaigns-image-block', (state) => state.components['media-library']) as
    MediaLibraryDialog | undefined;
  const pick = (assets: Parameters<React.ComponentProps<MediaLibraryDialog>['onSelectAssets']>[0]) => {
    const [asset] = assets;
    setPicking(false);
    if (!asset) return;
    const media: MediaRef = { id: asset.id, url: asset.url, width: asset.width ?? null, height: asset.height ?? null };
    onChange({ ...block, media, alt: block.alt || asset.alternativeText || '' });
  };
  return (
    <>
      <Field.Root name="media" error={errors.media}>
        <Field.Label>{t('blocks.image.media', 'Picture')}</Field.Label>
        <Flex gap={3} alignItems="center">
          {block.media ? (
            <Box hasRadius borderColor="neutral200" padding={1} background="neutral100">
              <img src={block.media.url} alt="" style={{ display: 'block', maxWidth: 120, maxHeight: 80 }} />
            </Box>
          ) : null}
          <Button
            variant="secondary"
            startIcon={<Images />}
            disabled={disabled || !MediaLibrary}
            onClick={() => setPicking(true)}
          >
            {block.media
              ? t('blocks.image.change', 'Change picture')
              : t('blocks.image.choose', 'Choose from the Media Library')}
          </Button>
        </Flex>
        <Field.Error />
      </Field.Root>
      {picking && MediaLibrary && (
        <MediaLibrary
          allowedTypes={['images']}
          multiple={false}
          onClose={() => setPicking(false)}
          onSelectAssets={pick}
        />
      )}
      <TextField
        form={form}
        path="alt"
        label={t('blocks.image.alt', 'Alternative text')}
        hint={t('blocks.image.alt.hint', 'What the picture shows, for readers who do not see it.')}
        col={12}
      />
      <TextField form={form} path="href" label={t('blocks.image.href', 'Link (optional)')} col={12} />
      <NumberField
        form={form}
        path="width"
        label={t('blocks.image.width', 'Width (px)')}
        hint={t('blocks.image.width.hint', 'Empty: the width of the column.')}
        col={12}
        nullable
      />
      <AlignField form={form} />
      {!MediaLibrary && (
        <Typography variant="pi" textColor="neutral600">
          {t('blocks.image.noLibrary', 'The Media Library is not available in this admin.')}
        </Typography>
      )}
    </>
  );
};

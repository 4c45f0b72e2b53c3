// A message as a reader's client shows it: the HTML in a sandboxed frame (no scripts) at a desktop's width, a
// phone's (375 px) or in dark mode, where the frame's colour scheme makes `prefers-color-scheme: dark` apply inside.
import { useState } from 'react';
import { Box, Flex, Tabs, Typography } from '@strapi/design-system';
import { useT } from '../../hooks/useT';

type View = 'desktop' | 'phone' | 'dark';

interface Props {
  html: string;
  /** The layout's width: the desktop view shows the message at that width plus its margins. */
  width: number;
  title: string;
}

export const PHONE_WIDTH = 375;

export const MessagePreview = ({ html, width, title }: Props) => {
  const t = useT();
  const [view, setView] = useState<View>('desktop');
  const frameWidth = view === 'phone' ? PHONE_WIDTH : width + 80;
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Tabs.Root value={view} onValueChange={(value) => setView(value as View)} variant="simple">
        <Tabs.List aria-label={t('preview.view', 'Preview as')}>
          <Tabs.Trigger value="desktop">{t('preview.desktop', 'Desktop')}</Tabs.Trigger>
          <Tabs.Trigger value="phone">{t('preview.phone', 'Phone')}</Tabs.Trigger>
          <Tabs.Trigger value="dark">{t('preview.dark', 'Dark mode')}</Tabs.Trigger>
        </Tabs.List>
      </Tabs.Root>
      <Box background="neutral100" padding={2} hasRadius style={{ overflowX: 'auto' }}>
        <iframe
          title={title}
          sandbox=""
          srcDoc={html}
          data-view={view}
          style={{
            display: 'block',
            margin: '0 auto',
            width: frameWidth,
            maxWidth: view === 'phone' ? PHONE_WIDTH : '100%',
            height: 640,
            border: 0,
            background: 'white',
            colorScheme: view === 'dark' ? 'dark' : 'light',
          }}
        />
      </Box>
      <Typography variant="pi" textColor="neutral600">
        {view === 'phone'
          ? t('preview.phone.hint', 'At 375 px, as on most phones: columns stack.')
          : view === 'dark'
            ? t('preview.dark.hint', "As mail clients that follow the reader's dark mode show it.")
            : t('preview.desktop.hint', 'At the layout width, as in a desktop mail client.')}
      </Typography>
    </Flex>
  );
};

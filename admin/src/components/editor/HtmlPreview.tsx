// The message as a recipient sees it, in a sandboxed iframe (no scripts, no same-origin), at desktop or mobile width.
import { useState } from 'react';
import { Box, Flex, Tabs, Typography } from '@strapi/design-system';
import { useT } from '../../hooks/useT';

const WIDTHS = { desktop: 640, mobile: 375 } as const;
type Width = keyof typeof WIDTHS;

/** A sample recipient, so the preview reads like a real message. */
const SAMPLE: Record<string, string> = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  locale: 'en',
  unsubscribeUrl: '#unsubscribe',
  preferencesUrl: '#preferences',
  mirrorUrl: '#mirror',
};

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const personalise = (source: string) =>
  source.replace(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, (written, name: string) =>
    name in SAMPLE
      ? escapeHtml(SAMPLE[name])
      : name.startsWith('attributes.')
        ? `[${escapeHtml(name.slice(11))}]`
        : escapeHtml(written),
  );

export const HtmlPreview = ({ html, text }: { html: string; text: string }) => {
  const t = useT();
  const [width, setWidth] = useState<Width>('desktop');
  const hasHtml = Boolean(html.trim());

  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Flex justifyContent="space-between">
        <Typography variant="delta" tag="h2">
          {t('editor.preview', 'Preview')}
        </Typography>
        <Tabs.Root value={width} onValueChange={(value) => setWidth(value as Width)} variant="simple">
          <Tabs.List aria-label={t('editor.preview.width', 'Preview width')}>
            <Tabs.Trigger value="desktop">{t('editor.preview.desktop', 'Desktop')}</Tabs.Trigger>
            <Tabs.Trigger value="mobile">{t('editor.preview.mobile', 'Mobile')}</Tabs.Trigger>
          </Tabs.List>
        </Tabs.Root>
      </Flex>
      <Flex justifyContent="center" background="neutral100" padding={3} hasRadius>
        {hasHtml ? (
          <iframe
            title={t('editor.preview.frame', 'Message preview')}
            sandbox=""
            srcDoc={personalise(html)}
            style={{
              width: `${WIDTHS[width]}px`,
              maxWidth: '100%',
              height: '560px',
              border: 0,
              background: '#ffffff',
              borderRadius: 4,
            }}
          />
        ) : (
          <Box
            background="neutral0"
            padding={4}
            hasRadius
            style={{ width: `${WIDTHS[width]}px`, maxWidth: '100%', minHeight: 200 }}
          >
            <Typography tag="pre" style={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace' }}>
              {text.trim()
                ? text.replace(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, (written, name: string) => SAMPLE[name] ?? written)
                : t('editor.preview.empty', 'Write the HTML or the text of the message to see it here.')}
            </Typography>
          </Box>
        )}
      </Flex>
      <Typography variant="pi" textColor="neutral600">
        {t(
          'editor.preview.hint',
          'Shown with a sample recipient (Ada Lovelace). The unsubscribe and "view in browser" footer is added when sending.',
        )}
      </Typography>
    </Flex>
  );
};

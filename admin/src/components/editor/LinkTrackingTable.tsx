// The links found in the HTML, in the order the server numbers them, each with its tracking switch.
import { Badge, Box, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { isLinkTracked, type FoundLink } from '../../utils/links';
import { useT } from '../../hooks/useT';
import { appendUtm, type UtmTags } from '../../../../shared/utm';
import { Switch } from '../Switch';

interface Props {
  links: FoundLink[];
  trackLinks: boolean;
  linkTracking: Record<string, boolean>;
  onChange: (position: number, tracked: boolean) => void;
  disabled?: boolean;
  /** UTM tags the tracked links get: their final URL is shown. */
  utm?: UtmTags | null;
}

const KIND_LABEL: Record<string, [string, string]> = {
  unsubscribe: ['editor.links.kind.unsubscribe', 'Unsubscribe link'],
  mirror: ['editor.links.kind.mirror', 'View in browser'],
  untracked: ['editor.links.kind.untracked', 'Not trackable (not an absolute http(s) URL, or personalised)'],
};

export const LinkTrackingTable = ({ links, trackLinks, linkTracking, onChange, disabled, utm }: Props) => {
  const t = useT();
  const finalUrl = (link: FoundLink) =>
    link.kind === 'tracked' && isLinkTracked(link, trackLinks, linkTracking)
      ? appendUtm(link.url, utm ?? null)
      : link.url;
  if (!links.length) {
    return <Typography textColor="neutral600">{t('editor.links.none', 'No links in the HTML yet.')}</Typography>;
  }
  return (
    <Table colCount={3} rowCount={links.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Typography variant="sigma">#</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('editor.links.link', 'Link')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('editor.links.tracking', 'Tracking')}</Typography>
          </Th>
        </Tr>
      </Thead>
      <Tbody>
        {links.map((link) => (
          <Tr key={link.position}>
            <Td>
              <Typography textColor="neutral600">{link.position + 1}</Typography>
            </Td>
            <Td>
              <Box maxWidth="420px">
                <Typography fontWeight="semiBold" ellipsis tag="div">
                  {link.label || '–'}
                </Typography>
                <Typography variant="pi" textColor="neutral600" ellipsis tag="div" title={finalUrl(link)}>
                  {finalUrl(link)}
                </Typography>
              </Box>
            </Td>
            <Td>
              {link.kind === 'tracked' ? (
                <Switch
                  aria-label={t('editor.links.trackThis', 'Track clicks on {url}', { url: link.url })}
                  checked={isLinkTracked(link, trackLinks, linkTracking)}
                  onCheckedChange={(checked) => onChange(link.position, checked)}
                  disabled={disabled}
                />
              ) : (
                <Badge>{t(KIND_LABEL[link.kind][0], KIND_LABEL[link.kind][1])}</Badge>
              )}
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};

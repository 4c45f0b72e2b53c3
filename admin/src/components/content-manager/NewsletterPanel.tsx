// "Send as newsletter" in the Content Manager's edit view of an app's collection type: the whole entry or a card
// with its excerpt becomes a draft delivery opened in the editor; below, the deliveries already made from the entry
// with their open and click rates. Shown only to admins who may create deliveries, and only on a saved entry.
import { Box, Button, Flex, Link, Typography } from '@strapi/design-system';
import { Mail } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { NavLink, useNavigate } from 'react-router-dom';
import { useEntryDeliveries, useEntryMutations } from '../../api/entries';
import { useCampaignsPermissions } from '../../hooks/useCampaignsPermissions';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';
import { paths } from '../../utils/paths';

/** What the Content Manager gives a panel (its EditViewContext, the fields used here). */
export interface EditViewPanelProps {
  model: string;
  collectionType: string;
  documentId?: string;
  document?: { locale?: string | null } & Record<string, unknown>;
}

const percent = (rate: number) => `${Math.round(rate * 1000) / 10} %`;

const PanelContent = ({ model, documentId, locale }: { model: string; documentId: string; locale: string | null }) => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { fromEntry } = useEntryMutations();
  const made = useEntryDeliveries(model, documentId);
  const send = (mode: 'full' | 'excerpt') =>
    fromEntry.mutate(
      { contentType: model, documentId, locale, mode },
      {
        onSuccess: (delivery) => navigate(paths.editDelivery(delivery.documentId)),
        onError: (error) => {
          const problem = apiProblemOf(error);
          toggleNotification({
            type: 'warning',
            message:
              problem.status === 404
                ? t('entries.panel.unpublished', 'Publish this entry first: only published entries are sent.')
                : problem.message,
          });
        },
      },
    );
  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%">
      <Button startIcon={<Mail />} fullWidth onClick={() => send('full')} loading={fromEntry.isLoading}>
        {t('entries.panel.full', 'Send as newsletter')}
      </Button>
      <Button variant="secondary" fullWidth onClick={() => send('excerpt')} disabled={fromEntry.isLoading}>
        {t('entries.panel.excerpt', 'Send an excerpt')}
      </Button>
      <Box paddingTop={2}>
        <Typography variant="sigma" textColor="neutral600">
          {t('entries.panel.made', 'Sent from this entry')}
        </Typography>
        {made.isLoading ? (
          <Typography variant="pi">{t('entries.panel.loading', 'Loading…')}</Typography>
        ) : made.isError ? (
          <Typography variant="pi" textColor="danger600">
            {apiProblemOf(made.error).message}
          </Typography>
        ) : !made.data?.length ? (
          <Typography variant="pi" textColor="neutral600" tag="p">
            {t('entries.panel.none', 'Nothing yet.')}
          </Typography>
        ) : (
          <Flex direction="column" alignItems="stretch" gap={2} paddingTop={1} tag="ul">
            {made.data.map((delivery) => (
              <li key={delivery.documentId}>
                <Link tag={NavLink} to={paths.delivery(delivery.documentId)}>
                  {delivery.name}
                </Link>
                <Typography variant="pi" textColor="neutral600" tag="p">
                  {t('entries.panel.rates', '{status}: opened {open}, clicked {click}', {
                    status: delivery.status,
                    open: percent(delivery.openRate),
                    click: percent(delivery.clickThroughRate),
                  })}
                </Typography>
              </li>
            ))}
          </Flex>
        )}
      </Box>
    </Flex>
  );
};

export const NewsletterPanel = ({ model, collectionType, documentId, document }: EditViewPanelProps) => {
  const t = useT();
  const { canSend } = useCampaignsPermissions();
  if (!model.startsWith('api::') || collectionType !== 'collection-types' || !documentId || !canSend) return null;
  return {
    title: t('entries.panel.title', 'Newsletter'),
    content: <PanelContent model={model} documentId={documentId} locale={(document?.locale as string) ?? null} />,
  };
};

// The Campaigns home: deliveries, contacts and lists in tabs.
import { Button, Flex, Tabs } from '@strapi/design-system';
import { ChartPie, Plus, Monitor } from '@strapi/icons';
import { Layouts, Page } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ContactsTab } from '../components/ContactsTab';
import { DeliveriesTab } from '../components/DeliveriesTab';
import { ListsTab } from '../components/ListsTab';
import { useCampaignsPermissions } from '../hooks/useCampaignsPermissions';
import { getTranslation } from '../utils/getTranslation';
import { paths } from '../utils/paths';

const TABS = ['deliveries', 'contacts', 'lists'] as const;

export const HomePage = () => {
  const { formatMessage } = useIntl();
  const navigate = useNavigate();
  const { canSend, canReports } = useCampaignsPermissions();
  const [searchParams, setSearchParams] = useSearchParams();
  const tab = TABS.find((t) => t === searchParams.get('tab')) ?? 'deliveries';

  return (
    <Page.Main>
      <Page.Title>{formatMessage({ id: getTranslation('plugin.name'), defaultMessage: 'Campaigns' })}</Page.Title>
      <Layouts.Header
        title={formatMessage({ id: getTranslation('plugin.name'), defaultMessage: 'Campaigns' })}
        subtitle={formatMessage({
          id: getTranslation('deliveries.subtitle'),
          defaultMessage: 'Email deliveries sent from Strapi, and how recipients react to them',
        })}
        primaryAction={
          canSend ? (
            <Button startIcon={<Plus />} onClick={() => navigate(paths.newDelivery)}>
              {formatMessage({ id: getTranslation('deliveries.create'), defaultMessage: 'Create delivery' })}
            </Button>
          ) : undefined
        }
        secondaryAction={
          <Flex gap={2}>
            <Button variant="tertiary" startIcon={<Monitor />} onClick={() => navigate(paths.monitoring)}>
              {formatMessage({ id: getTranslation('monitoring.title'), defaultMessage: 'Live monitoring' })}
            </Button>
            {canReports && (
              <Button variant="tertiary" startIcon={<ChartPie />} onClick={() => navigate(paths.reports)}>
                {formatMessage({ id: getTranslation('reports.title'), defaultMessage: 'Reports' })}
              </Button>
            )}
          </Flex>
        }
      />
      <Layouts.Content>
        <Tabs.Root value={tab} onValueChange={(value) => setSearchParams(value === 'deliveries' ? {} : { tab: value }, { replace: true })}>
          <Tabs.List aria-label={formatMessage({ id: getTranslation('plugin.name'), defaultMessage: 'Campaigns' })}>
            <Tabs.Trigger value="deliveries">{formatMessage({ id: getTranslation('tabs.deliveries'), defaultMessage: 'Deliveries' })}</Tabs.Trigger>
            <Tabs.Trigger value="contacts">{formatMessage({ id: getTranslation('tabs.contacts'), defaultMessage: 'Contacts' })}</Tabs.Trigger>
            <Tabs.Trigger value="lists">{formatMessage({ id: getTranslation('tabs.lists'), defaultMessage: 'Lists' })}</Tabs.Trigger>
          </Tabs.List>
          <Tabs.Content value="deliveries"><DeliveriesTab /></Tabs.Content>
          <Tabs.Content value="contacts"><ContactsTab /></Tabs.Content>
          <Tabs.Content value="lists"><ListsTab /></Tabs.Content>
        </Tabs.Root>
      </Layouts.Content>
    </Page.Main>
  );
};

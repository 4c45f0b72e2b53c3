// The Campaigns home: deliveries, contacts and lists in tabs.
import { Button, Flex, LinkButton, Tabs } from '@strapi/design-system';
import { ChartPie, Cog, Plus, Monitor } from '@strapi/icons';
import { Layouts, Page } from '@strapi/strapi/admin';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ContactsTab } from '../components/ContactsTab';
import { DeliveriesTab } from '../components/DeliveriesTab';
import { ListsTab } from '../components/ListsTab';
import { SegmentsTab } from '../components/segments/SegmentsTab';
import { LayoutsTab } from '../components/layouts/LayoutsTab';
import { useCampaignsPermissions } from '../hooks/useCampaignsPermissions';
import { paths } from '../utils/paths';
import { useT } from '../hooks/useT';

const TABS = ['deliveries', 'layouts', 'contacts', 'lists', 'segments'] as const;

export const HomePage = () => {
  const t = useT();
  const navigate = useNavigate();
  const { canSend, canReports, canSettings } = useCampaignsPermissions();
  const [searchParams, setSearchParams] = useSearchParams();
  const tab = TABS.find((t) => t === searchParams.get('tab')) ?? 'deliveries';

  return (
    <Page.Main>
      <Page.Title>{t('plugin.name', 'Campaigns')}</Page.Title>
      <Layouts.Header
        title={t('plugin.name', 'Campaigns')}
        subtitle={t('deliveries.subtitle', 'Email deliveries sent from Strapi, and how recipients react to them')}
        primaryAction={
          canSend ? (
            <Button startIcon={<Plus />} onClick={() => navigate(paths.newDelivery)}>
              {t('deliveries.create', 'Create delivery')}
            </Button>
          ) : undefined
        }
        secondaryAction={
          <Flex gap={2}>
            <Button variant="tertiary" startIcon={<Monitor />} onClick={() => navigate(paths.monitoring)}>
              {t('monitoring.title', 'Live monitoring')}
            </Button>
            {canReports && (
              <Button variant="tertiary" startIcon={<ChartPie />} onClick={() => navigate(paths.reports)}>
                {t('reports.title', 'Reports')}
              </Button>
            )}
            {canSettings && (
              <LinkButton tag={Link} to={paths.settings} variant="tertiary" startIcon={<Cog />}>
                {t('settings.title.short', 'Settings')}
              </LinkButton>
            )}
          </Flex>
        }
      />
      <Layouts.Content>
        <Tabs.Root
          value={tab}
          onValueChange={(value) => setSearchParams(value === 'deliveries' ? {} : { tab: value }, { replace: true })}
        >
          <Tabs.List aria-label={t('plugin.name', 'Campaigns')}>
            <Tabs.Trigger value="deliveries">{t('tabs.deliveries', 'Deliveries')}</Tabs.Trigger>
            <Tabs.Trigger value="layouts">{t('tabs.layouts', 'Layouts')}</Tabs.Trigger>
            <Tabs.Trigger value="contacts">{t('tabs.contacts', 'Contacts')}</Tabs.Trigger>
            <Tabs.Trigger value="lists">{t('tabs.lists', 'Lists')}</Tabs.Trigger>
            <Tabs.Trigger value="segments">{t('tabs.segments', 'Segments')}</Tabs.Trigger>
          </Tabs.List>
          <Tabs.Content value="deliveries">
            <DeliveriesTab />
          </Tabs.Content>
          <Tabs.Content value="layouts">
            <LayoutsTab />
          </Tabs.Content>
          <Tabs.Content value="contacts">
            <ContactsTab />
          </Tabs.Content>
          <Tabs.Content value="lists">
            <ListsTab />
          </Tabs.Content>
          <Tabs.Content value="segments">
            <SegmentsTab />
          </Tabs.Content>
        </Tabs.Root>
      </Layouts.Content>
    </Page.Main>
  );
};

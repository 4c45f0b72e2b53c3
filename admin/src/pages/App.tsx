// The Campaigns page: deliveries, contacts and lists in tabs.
import { Page, Layouts } from '@strapi/strapi/admin';
import { Tabs } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { PERMISSIONS } from '../permissions';
import { getTranslation } from '../utils/getTranslation';
import { DeliveriesTab } from '../components/DeliveriesTab';
import { ContactsTab } from '../components/ContactsTab';
import { ListsTab } from '../components/ListsTab';

export const App = () => {
  const { formatMessage } = useIntl();
  return (
    <Page.Protect permissions={PERMISSIONS.read}>
      <Page.Main>
        <Page.Title>{formatMessage({ id: getTranslation('plugin.name'), defaultMessage: 'Campaigns' })}</Page.Title>
        <Layouts.Header
          title={formatMessage({ id: getTranslation('plugin.name'), defaultMessage: 'Campaigns' })}
          subtitle={formatMessage({
            id: getTranslation('deliveries.subtitle'),
            defaultMessage: 'Email deliveries sent from Strapi, and how recipients react to them',
          })}
        />
        <Layouts.Content>
          <Tabs.Root defaultValue="deliveries">
            <Tabs.List aria-label="Campaigns">
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
    </Page.Protect>
  );
};

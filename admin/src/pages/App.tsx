// The Campaigns pages: the home tabs, the delivery editor, the message dashboard and live monitoring.
import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { HomePage } from './HomePage';
import { DeliveryEditorPage } from './DeliveryEditorPage';
import { DeliveryDashboardPage } from './DeliveryDashboardPage';
import { MonitoringPage } from './MonitoringPage';

export const App = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <Routes>
      <Route index element={<HomePage />} />
      <Route path="deliveries/new" element={<DeliveryEditorPage />} />
      <Route path="deliveries/:id/edit" element={<DeliveryEditorPage />} />
      <Route path="deliveries/:id" element={<DeliveryDashboardPage />} />
      <Route path="monitoring" element={<MonitoringPage />} />
      <Route path="*" element={<Page.Error />} />
    </Routes>
  </Page.Protect>
);

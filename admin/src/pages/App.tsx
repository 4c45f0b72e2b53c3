// The Campaigns pages: the home tabs, a contact's page, the CSV import, the delivery editor, the message dashboard, live monitoring and the reports.
import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../permissions';
import { HomePage } from './HomePage';
import { DeliveryEditorPage } from './DeliveryEditorPage';
import { DeliveryDashboardPage } from './DeliveryDashboardPage';
import { MonitoringPage } from './MonitoringPage';
import { ContactPage } from './ContactPage';
import { SegmentEditorPage } from './SegmentEditorPage';
import { ContactImportPage } from './ContactImportPage';
import { LayoutEditorPage } from './LayoutEditorPage';
import { ReportBuilderPage } from './ReportBuilderPage';
import { ReportsPage } from './ReportsPage';

export const App = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <Routes>
      <Route index element={<HomePage />} />
      <Route path="deliveries/new" element={<DeliveryEditorPage />} />
      <Route path="deliveries/:id/edit" element={<DeliveryEditorPage />} />
      <Route path="deliveries/:id" element={<DeliveryDashboardPage />} />
      <Route path="layouts/:id" element={<LayoutEditorPage />} />
      <Route path="contacts/import" element={<ContactImportPage />} />
      <Route path="contacts/:id" element={<ContactPage />} />
      <Route path="segments/:id" element={<SegmentEditorPage />} />
      <Route path="monitoring" element={<MonitoringPage />} />
      <Route
        path="reports"
        element={
          <Page.Protect permissions={PERMISSIONS.reports}>
            <ReportsPage />
          </Page.Protect>
        }
      />
      <Route
        path="reports/new"
        element={
          <Page.Protect permissions={PERMISSIONS.reports}>
            <ReportBuilderPage />
          </Page.Protect>
        }
      />
      <Route
        path="reports/:id"
        element={
          <Page.Protect permissions={PERMISSIONS.reports}>
            <ReportBuilderPage />
          </Page.Protect>
        }
      />
      <Route path="*" element={<Page.Error />} />
    </Routes>
  </Page.Protect>
);

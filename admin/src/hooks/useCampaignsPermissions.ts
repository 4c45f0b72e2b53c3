// What the logged-in admin may do in the plugin, from the same PERMISSIONS the routes are guarded with.
//
// Read from the admin's permissions as they stand, like Strapi's Page.Protect, rather than through useRBAC: useRBAC
// checks once per mount, so a page that mounted before the admin's permissions arrived (the layout does not wait
// for them) kept every action hidden until it was left (tests/e2e/suppressions.test.ts). The routes ask for the
// action alone, whatever conditions a role puts on it, and so does this.
import { useAuth } from '@strapi/strapi/admin';
import { PERMISSIONS } from '../permissions';

export const useCampaignsPermissions = () => {
  const permissions = useAuth('useCampaignsPermissions', (state) => state.permissions);
  const allows = (wanted: Array<{ action: string }>) =>
    wanted.some(({ action }) => permissions.some((permission) => permission.action === action));
  return {
    canRead: allows(PERMISSIONS.read),
    canSend: allows(PERMISSIONS.send),
    canReports: allows(PERMISSIONS.reports),
    canSettings: allows(PERMISSIONS.settings),
  };
};

// What the logged-in admin may do in the plugin, from the same PERMISSIONS the routes are guarded with.
import { useRBAC } from '@strapi/strapi/admin';
import { PERMISSIONS } from '../permissions';

const ALL = [...PERMISSIONS.read, ...PERMISSIONS.send, ...PERMISSIONS.reports, ...PERMISSIONS.settings];

export const useCampaignsPermissions = () => {
  const { allowedActions, isLoading } = useRBAC(ALL);
  return {
    isLoading,
    canRead: Boolean(allowedActions.canRead),
    canSend: Boolean(allowedActions.canSend),
    canReports: Boolean(allowedActions.canReports),
    canSettings: Boolean(allowedActions.canSettings),
  };
};

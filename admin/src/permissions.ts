// The admin's view of the plugin's RBAC actions, built from the same constants the server registers.
import { ACTIONS } from '../../shared/constants';

const only = (action: string) => [{ action, subject: null }];

export const PERMISSIONS = {
  read: only(ACTIONS.read),
  send: only(ACTIONS.send),
  reports: only(ACTIONS.reports),
  settings: only(ACTIONS.settings),
};

import contacts from './contacts';
import lists from './lists';
import contactImport from './contact-import';
import settings from './settings';

export default {
  contacts,
  lists,
  'contact-import': contactImport,
  settings,
};

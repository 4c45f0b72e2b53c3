import contacts from './contacts';
import lists from './lists';
import settings from './settings';

export default { contacts, lists, settings };

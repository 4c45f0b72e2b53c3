// Where Strapi keeps the contact <-> list relation, read from its metadata rather than guessed.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';

/** How Strapi's metadata describes a many-to-many relation's join table. */
interface JoinTable {
  name: string;
  joinColumn: { name: string };
  inverseJoinColumn: { name: string };
  orderColumnName?: string;
  inverseOrderColumnName?: string;
}

export const contactListsJoin = (strapi: Core.Strapi) => {
  const attribute = strapi.db.metadata.get(UID.contact).attributes.lists as unknown as { joinTable: JoinTable };
  const joinTable = attribute.joinTable;
  return {
    table: joinTable.name,
    contactColumn: joinTable.joinColumn.name,
    listColumn: joinTable.inverseJoinColumn.name,
    contactOrderColumn: joinTable.orderColumnName,
    listOrderColumn: joinTable.inverseOrderColumnName,
  };
};

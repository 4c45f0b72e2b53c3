// Where Strapi keeps the contact <-> list relation, read from its metadata rather than guessed.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';

export const contactListsJoin = (strapi: Core.Strapi) => {
  const attribute = strapi.db.metadata.get(UID.contact).attributes.lists as any;
  const joinTable = attribute.joinTable;
  return {
    table: joinTable.name as string,
    contactColumn: joinTable.joinColumn.name as string,
    listColumn: joinTable.inverseJoinColumn.name as string,
    contactOrderColumn: joinTable.orderColumnName as string | undefined,
    listOrderColumn: joinTable.inverseOrderColumnName as string | undefined,
  };
};

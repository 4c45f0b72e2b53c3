// The mapping step of the import: where each column of the file goes (a contact field, an attribute named by the
// admin, or nowhere), with the first rows of the file under their columns.
import {
  Box,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  TextInput,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { ATTRIBUTE_PREFIX } from '../../../../../shared/import-columns';
import { useT } from '../../../hooks/useT';

interface Props {
  header: string[];
  rows: string[][];
  columns: string[];
  onChange: (columns: string[]) => void;
}

export const ColumnMapping = ({ header, rows, columns, onChange }: Props) => {
  const t = useT();
  const options = [
    { value: 'skip', label: t('import.column.skip', 'Skip this column') },
    { value: 'email', label: t('contacts.field.email', 'Email') },
    { value: 'firstName', label: t('contacts.field.firstName', 'First name') },
    { value: 'lastName', label: t('contacts.field.lastName', 'Last name') },
    { value: 'locale', label: t('contacts.field.locale', 'Language') },
    { value: 'attribute', label: t('import.column.attribute', 'Attribute') },
  ];
  const set = (index: number, value: string) => onChange(columns.map((column, i) => (i === index ? value : column)));
  const kindOf = (column: string) => (column.startsWith(ATTRIBUTE_PREFIX) ? 'attribute' : column || 'skip');

  return (
    <Box overflow="auto">
      <Table colCount={header.length} rowCount={rows.length + 2}>
        <Thead>
          <Tr>
            {header.map((name, index) => (
              <Th key={index}>
                <Typography variant="sigma">{name}</Typography>
              </Th>
            ))}
          </Tr>
        </Thead>
        <Tbody>
          <Tr>
            {header.map((name, index) => (
              <Td key={index}>
                <Box minWidth="180px" paddingTop={2} paddingBottom={2}>
                  <SingleSelect
                    aria-label={t('import.column.for', 'Column {name} goes to', { name })}
                    value={kindOf(columns[index] ?? '')}
                    onChange={(value) => {
                      const kind = String(value);
                      set(
                        index,
                        kind === 'skip'
                          ? ''
                          : kind === 'attribute'
                            ? `${ATTRIBUTE_PREFIX}${name.trim().replace(/[^A-Za-z0-9_]+/g, '_')}`
                            : kind,
                      );
                    }}
                  >
                    {options.map((option) => (
                      <SingleSelectOption key={option.value} value={option.value}>
                        {option.label}
                      </SingleSelectOption>
                    ))}
                  </SingleSelect>
                  {kindOf(columns[index] ?? '') === 'attribute' && (
                    <Box paddingTop={2}>
                      <TextInput
                        aria-label={t('import.column.attributeName', 'Attribute name for {name}', { name })}
                        value={(columns[index] ?? '').slice(ATTRIBUTE_PREFIX.length)}
                        onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
                          set(index, `${ATTRIBUTE_PREFIX}${event.target.value}`)
                        }
                      />
                    </Box>
                  )}
                </Box>
              </Td>
            ))}
          </Tr>
          {rows.map((row, rowIndex) => (
            <Tr key={rowIndex}>
              {header.map((_, index) => (
                <Td key={index}>
                  <Typography textColor="neutral700">{row[index] ?? ''}</Typography>
                </Td>
              ))}
            </Tr>
          ))}
        </Tbody>
      </Table>
    </Box>
  );
};

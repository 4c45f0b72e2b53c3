import { Box, EmptyStateLayout } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { getTranslation } from '../utils/getTranslation';

/** Deliveries come with the sending engine; until then the list is honestly empty. */
export const DeliveriesTab = () => {
  const { formatMessage } = useIntl();
  return (
    <Box paddingTop={4}>
      <EmptyStateLayout
        content={formatMessage({ id: getTranslation('deliveries.empty'), defaultMessage: 'No deliveries yet' })}
        action={formatMessage({ id: getTranslation('deliveries.empty.action'), defaultMessage: 'Deliveries you create appear here.' })}
      />
    </Box>
  );
};

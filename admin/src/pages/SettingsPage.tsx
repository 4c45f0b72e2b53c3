// Settings page: shows the effective configuration; editing arrives with the monitoring pages.
import { Box, Flex, Loader, Typography } from '@strapi/design-system';
import { Page, Layouts } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import { useSettings } from '../api/client';
import { PERMISSIONS } from '../permissions';
import { getTranslation } from '../utils/getTranslation';

export const SettingsPage = () => {
  const { formatMessage } = useIntl();
  const { data, isLoading, isError } = useSettings();
  return (
    <Page.Protect permissions={PERMISSIONS.settings}>
      <Page.Main>
        <Layouts.Header
          title={formatMessage({ id: getTranslation('settings.title'), defaultMessage: 'Campaigns settings' })}
          subtitle={formatMessage({ id: getTranslation('settings.subtitle'), defaultMessage: 'Transport, sender defaults, tracking and privacy, alerts and retention' })}
        />
        <Layouts.Content>
          {isLoading ? (
            <Flex justifyContent="center" padding={8}><Loader /></Flex>
          ) : isError || !data ? (
            <Page.Error />
          ) : (
            <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius>
              <Typography tag="p" textColor="neutral600">
                {formatMessage({ id: getTranslation('settings.empty'), defaultMessage: 'Settings are read from config/plugins.ts for now.' })}
              </Typography>
              <Box paddingTop={4}>
                <Typography tag="pre" style={{ fontFamily: "monospace", whiteSpace: "pre-wrap" }}>{JSON.stringify(data, null, 2)}</Typography>
              </Box>
            </Box>
          )}
        </Layouts.Content>
      </Page.Main>
    </Page.Protect>
  );
};

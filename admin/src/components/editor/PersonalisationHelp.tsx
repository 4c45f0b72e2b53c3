import { Box, Flex, Typography } from '@strapi/design-system';
import { useTemplateVariables } from '../../api/extensions';
import { useT } from '../../hooks/useT';

const VARIABLES: Array<[string, string, string]> = [
  ['{{firstName}}', 'editor.vars.firstName', 'First name of the contact'],
  ['{{lastName}}', 'editor.vars.lastName', 'Last name of the contact'],
  ['{{email}}', 'editor.vars.email', 'Email address of the contact'],
  ['{{locale}}', 'editor.vars.locale', 'Locale of the contact'],
  ['{{attributes.company}}', 'editor.vars.attributes', 'Any attribute of the contact (here "company")'],
  ['{{unsubscribeUrl}}', 'editor.vars.unsubscribeUrl', 'One-click unsubscribe link (added in a footer when missing)'],
  [
    '{{preferencesUrl}}',
    'editor.vars.preferencesUrl',
    'Preference centre link: the contact picks their lists or unsubscribes (added in the footer with the unsubscribe link)',
  ],
  ['{{mirrorUrl}}', 'editor.vars.mirrorUrl', '"View in your browser" link'],
];

export const PersonalisationHelp = () => {
  const t = useT();
  // Variables the app registered: computed for each recipient by the app's own code.
  const registered = useTemplateVariables();
  return (
    <Box background="neutral100" padding={4} hasRadius>
      <Typography variant="sigma" textColor="neutral600">
        {t('editor.vars.title', 'Personalisation')}
      </Typography>
      <Box paddingTop={1} paddingBottom={2}>
        <Typography variant="pi" textColor="neutral600">
          {t(
            'editor.vars.intro',
            'Variables are replaced for each recipient and HTML-escaped. An unknown variable is refused before sending, with its line and column.',
          )}
        </Typography>
      </Box>
      <Flex direction="column" alignItems="flex-start" gap={1} tag="dl">
        {VARIABLES.map(([code, id, text]) => (
          <Flex key={code} gap={2}>
            <Typography tag="dt" fontWeight="semiBold" style={{ fontFamily: 'monospace' }}>
              {code}
            </Typography>
            <Typography tag="dd" variant="pi" textColor="neutral600">
              {t(id, text)}
            </Typography>
          </Flex>
        ))}
        {(registered.data ?? []).map((variable) => (
          <Flex key={variable.name} gap={2} data-testid="registered-variable">
            <Typography
              tag="dt"
              fontWeight="semiBold"
              style={{ fontFamily: 'monospace' }}
            >{`{{${variable.name}}}`}</Typography>
            <Typography tag="dd" variant="pi" textColor="neutral600">
              {variable.description ?? t('editor.vars.registered', 'Computed by your app for each recipient')}
            </Typography>
          </Flex>
        ))}
      </Flex>
    </Box>
  );
};

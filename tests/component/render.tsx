// Renders an admin component as the admin does: inside Strapi's design system theme and react-intl, with the plugin's
// messages of one language (prefixed as admin/src/index.ts registers them).
import type { ReactElement } from 'react';
import { DesignSystemProvider } from '@strapi/design-system';
import { render } from '@testing-library/react';
import { IntlProvider } from 'react-intl';
import en from '../../admin/src/translations/en.json';
import fr from '../../admin/src/translations/fr.json';

const MESSAGES: Record<string, Record<string, string>> = { en, fr };

export const renderInAdmin = (element: ReactElement, locale: 'en' | 'fr' = 'en') => {
  const messages = Object.fromEntries(
    Object.entries(MESSAGES[locale]).map(([key, value]) => [`campaigns.${key}`, value]),
  );
  return render(
    <IntlProvider
      locale={locale}
      messages={messages}
      onError={(error) => {
        throw error;
      }}
    >
      <DesignSystemProvider locale={locale}>{element}</DesignSystemProvider>
    </IntlProvider>,
  );
};

// The plugin's translate function: t('tabs.deliveries', 'Deliveries') reads campaigns.tabs.deliveries
// from admin/src/translations/<locale>.json and falls back to the English default written at the call.
import { useCallback } from 'react';
import { useIntl, type IntlShape } from 'react-intl';
import { getTranslation } from '../utils/getTranslation';

export type TranslateValues = Parameters<IntlShape['formatMessage']>[1];
export type Translate = (id: string, defaultMessage: string, values?: TranslateValues) => string;

export const useT = (): Translate => {
  const { formatMessage } = useIntl();
  return useCallback(
    (id, defaultMessage, values) => formatMessage({ id: getTranslation(id), defaultMessage }, values) as string,
    [formatMessage],
  );
};

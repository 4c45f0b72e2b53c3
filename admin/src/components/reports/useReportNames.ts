// The names people read for dimension, metric and visualisation ids, through the translations.
import { useIntl } from 'react-intl';
import type { ReportDimension, ReportMetric, ReportVisualisation } from '../../../../shared/contracts/reports';
import { getTranslation } from '../../utils/getTranslation';
import { DIMENSION_LABELS, METRIC_LABELS, VISUALISATION_LABELS } from './definition';

export const useReportNames = () => {
  const { formatMessage } = useIntl();
  return {
    dimension: (id: string) => formatMessage({ id: getTranslation(`reports.dimension.${id}`), defaultMessage: DIMENSION_LABELS[id as ReportDimension] ?? id }),
    metric: (id: string) => formatMessage({ id: getTranslation(`reports.metric.${id}`), defaultMessage: METRIC_LABELS[id as ReportMetric] ?? id }),
    visualisation: (id: string) =>
      formatMessage({ id: getTranslation(`reports.visualisation.${id}`), defaultMessage: VISUALISATION_LABELS[id as ReportVisualisation] ?? id }),
  };
};

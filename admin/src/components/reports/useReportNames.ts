// The names people read for dimension, metric and visualisation ids, through the translations.
import type { ReportDimension, ReportMetric, ReportVisualisation } from '../../../../shared/contracts/reports';
import { DIMENSION_LABELS, METRIC_LABELS, VISUALISATION_LABELS } from './definition';
import { useT } from '../../hooks/useT';

export const useReportNames = () => {
  const t = useT();
  return {
    dimension: (id: string) => t(`reports.dimension.${id}`, DIMENSION_LABELS[id as ReportDimension] ?? id),
    metric: (id: string) => t(`reports.metric.${id}`, METRIC_LABELS[id as ReportMetric] ?? id),
    visualisation: (id: string) =>
      t(`reports.visualisation.${id}`, VISUALISATION_LABELS[id as ReportVisualisation] ?? id),
  };
};

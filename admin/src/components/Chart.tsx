// The one chart of the plugin: chart.js through react-chartjs-2, coloured from the Strapi theme (light and dark).
import { useMemo } from 'react';
import {
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Filler,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
  type ChartData,
  type ChartOptions,
} from 'chart.js';
import { Bar, Line } from 'react-chartjs-2';
import { Box, setOpacity } from '@strapi/design-system';
import { useTheme } from 'styled-components';

ChartJS.register(CategoryScale, LinearScale, PointElement, LineElement, BarElement, Filler, Tooltip, Legend);

export type ChartTone = 'primary' | 'alternative' | 'secondary' | 'success' | 'warning' | 'danger';

export interface ChartSeries {
  label: string;
  data: number[];
  tone: ChartTone;
}

export interface ChartProps {
  type: 'line' | 'bar';
  labels: string[];
  series: ChartSeries[];
  /** Accessible description of what the chart shows. */
  ariaLabel: string;
  height?: number;
  stacked?: boolean;
}

export const Chart = ({ type, labels, series, ariaLabel, height = 260, stacked = false }: ChartProps) => {
  const theme = useTheme();
  const { colors } = theme;

  const data = useMemo(
    () => ({
      labels,
      datasets: series.map((s) => {
        const color = colors[`${s.tone}600`];
        return {
          label: s.label,
          data: s.data,
          borderColor: color,
          backgroundColor: type === 'line' ? setOpacity(color, 0.15) : setOpacity(color, 0.75),
          pointBackgroundColor: color,
          pointRadius: labels.length > 48 ? 0 : 3,
          borderWidth: 2,
          tension: 0.25,
          fill: type === 'line',
        };
      }),
    }),
    [labels, series, colors, type]
  );

  const options = useMemo(() => {
    const axis = {
      stacked,
      grid: { color: colors.neutral150 },
      border: { color: colors.neutral200 },
      ticks: { color: colors.neutral600, font: { size: 11 } },
    };
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: { position: 'bottom', labels: { color: colors.neutral800, boxWidth: 12, usePointStyle: true } },
        tooltip: {
          backgroundColor: colors.neutral0,
          titleColor: colors.neutral800,
          bodyColor: colors.neutral800,
          borderColor: colors.neutral200,
          borderWidth: 1,
        },
      },
      scales: { x: axis, y: { ...axis, beginAtZero: true, ticks: { ...axis.ticks, precision: 0 } } },
    };
  }, [colors, stacked]);

  return (
    <Box height={`${height}px`} position="relative" role="img" aria-label={ariaLabel}>
      {type === 'line' ? (
        <Line data={data as ChartData<'line'>} options={options as ChartOptions<'line'>} />
      ) : (
        <Bar data={data as ChartData<'bar'>} options={options as ChartOptions<'bar'>} />
      )}
    </Box>
  );
};

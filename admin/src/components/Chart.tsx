// The one chart of the plugin: chart.js through react-chartjs-2, coloured from the Strapi theme (light and dark).
// Line, area, bar, stacked bar and donut; series without a tone take the next colour of the theme's palette.
import { useMemo } from 'react';
import {
  ArcElement,
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
  type ChartType as ChartJsType,
  type TooltipItem,
} from 'chart.js';
import { Bar, Doughnut, Line } from 'react-chartjs-2';
import { Box, setOpacity } from '@strapi/design-system';
import { useTheme } from 'styled-components';

ChartJS.register(
  CategoryScale,
  LinearScale,
  PointElement,
  LineElement,
  BarElement,
  ArcElement,
  Filler,
  Tooltip,
  Legend,
);

export type ChartTone = 'primary' | 'alternative' | 'secondary' | 'success' | 'warning' | 'danger';
export type ChartType = 'line' | 'area' | 'bar' | 'stackedBar' | 'donut';

export interface ChartSeries {
  label: string;
  data: Array<number | null>;
  /** A theme colour; without it the series takes the next colour of the palette. */
  tone?: ChartTone;
  /** Values are ratios in [0, 1], shown as percentages (on a right-hand axis when other series are counts). */
  percent?: boolean;
}

export interface ChartProps {
  type: ChartType;
  labels: string[];
  series: ChartSeries[];
  /** Accessible description of what the chart shows. */
  ariaLabel: string;
  height?: number;
  /** Bars (or areas) stacked on each other; `stackedBar` implies it. */
  stacked?: boolean;
}

const PALETTE: Array<[ChartTone, 500 | 600 | 700]> = [
  ['primary', 600],
  ['success', 600],
  ['warning', 600],
  ['danger', 600],
  ['alternative', 600],
  ['secondary', 600],
  ['primary', 700],
  ['success', 700],
  ['warning', 700],
  ['danger', 700],
  ['alternative', 500],
  ['secondary', 500],
];

const asPercent = (value: number | string) => `${Math.round(Number(value) * 1000) / 10} %`;

export const Chart = ({ type, labels, series, ariaLabel, height = 260, stacked = false }: ChartProps) => {
  const { colors } = useTheme();
  const colourAt = (index: number, tone?: ChartTone): string => {
    if (tone) return colors[`${tone}600`];
    const [paletteTone, shade] = PALETTE[index % PALETTE.length];
    return colors[`${paletteTone}${shade}`];
  };
  const isStacked = stacked || type === 'stackedBar';
  const filled = type === 'area';
  const lineLike = type === 'line' || type === 'area';
  const allPercent = series.length > 0 && series.every((s) => s.percent);
  // Rates beside counts get their own axis, or they would lie flat along the bottom.
  const mixed = !allPercent && series.some((s) => s.percent);

  const data = useMemo(() => {
    if (type === 'donut') {
      // One ring per series, one slice per label: slices take the palette in turn.
      const sliceColours = labels.map((_, i) => colourAt(i));
      return {
        labels,
        datasets: series.map((s) => ({
          label: s.label,
          data: s.data.map((v) => v ?? 0),
          backgroundColor: sliceColours.map((c) => setOpacity(c, 0.85)),
          borderColor: colors.neutral0,
          borderWidth: 2,
        })),
      };
    }
    return {
      labels,
      datasets: series.map((s, index) => {
        const color = colourAt(index, s.tone);
        return {
          label: s.label,
          data: s.data,
          borderColor: color,
          backgroundColor: lineLike ? setOpacity(color, filled ? 0.45 : 0.15) : setOpacity(color, 0.75),
          pointBackgroundColor: color,
          pointRadius: labels.length > 48 ? 0 : 3,
          borderWidth: 2,
          tension: 0.25,
          spanGaps: true,
          yAxisID: mixed && s.percent ? 'rates' : 'y',
          // Lines keep a light fill under them; areas a stronger one, each on the one below when stacked.
          fill: lineLike ? (filled && isStacked && index > 0 ? '-1' : 'origin') : false,
        };
      }),
    };
    // colourAt reads `colors` only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labels, series, colors, type, isStacked]);

  const options = useMemo(() => {
    const legend = { position: 'bottom', labels: { color: colors.neutral800, boxWidth: 12, usePointStyle: true } };
    const tooltip = {
      backgroundColor: colors.neutral0,
      titleColor: colors.neutral800,
      bodyColor: colors.neutral800,
      borderColor: colors.neutral200,
      borderWidth: 1,
      callbacks: {
        label: (item: TooltipItem<ChartJsType>) => {
          // The series' values: numbers, as the data were given.
          const value = (item.raw ?? 0) as number;
          return `${item.dataset.label}: ${series[item.datasetIndex]?.percent ? asPercent(value) : Number(value).toLocaleString()}`;
        },
      },
    };
    if (type === 'donut') {
      return {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        cutout: '55%',
        plugins: { legend: { ...legend, position: 'right' }, tooltip },
      };
    }
    const axis = {
      stacked: isStacked,
      grid: { color: colors.neutral150 },
      border: { color: colors.neutral200 },
      ticks: { color: colors.neutral600, font: { size: 11 } },
    };
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend, tooltip },
      scales: {
        x: axis,
        y: {
          ...axis,
          beginAtZero: true,
          ticks: { ...axis.ticks, ...(allPercent ? { callback: asPercent } : { precision: 0 }) },
        },
        ...(mixed
          ? {
              rates: {
                ...axis,
                stacked: false,
                position: 'right',
                beginAtZero: true,
                grid: { drawOnChartArea: false },
                ticks: { ...axis.ticks, callback: asPercent },
              },
            }
          : {}),
      },
    };
  }, [colors, isStacked, allPercent, mixed, series, type]);

  return (
    <Box height={`${height}px`} position="relative" role="img" aria-label={ariaLabel}>
      {type === 'donut' ? (
        <Doughnut data={data as ChartData<'doughnut'>} options={options as ChartOptions<'doughnut'>} />
      ) : lineLike ? (
        <Line data={data as ChartData<'line'>} options={options as ChartOptions<'line'>} />
      ) : (
        <Bar data={data as ChartData<'bar'>} options={options as ChartOptions<'bar'>} />
      )}
    </Box>
  );
};

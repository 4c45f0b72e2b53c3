// A progress bar for light and dark pages (the design system's ProgressBar is drawn for dark backgrounds).
import { Box } from '@strapi/design-system';

export const Progress = ({
  value,
  label,
  width = '100%',
  tone = 'primary600',
}: {
  value: number;
  label: string;
  width?: string;
  tone?: 'primary600' | 'success600';
}) => {
  const percent = Math.max(0, Math.min(100, Math.round(value * 100)));
  return (
    <Box
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      background="neutral150"
      hasRadius
      width={width}
      height="8px"
      overflow="hidden"
    >
      <Box
        background={percent === 100 ? 'success600' : tone}
        height="100%"
        style={{ width: `${percent}%`, transition: 'width 0.4s ease' }}
      />
    </Box>
  );
};

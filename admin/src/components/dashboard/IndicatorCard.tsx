import { Box, Flex, Typography } from '@strapi/design-system';

interface Props {
  label: string;
  value: string;
  detail?: string;
  tone?: 'neutral' | 'success' | 'danger' | 'warning' | 'primary';
  testId?: string;
}

const TONE: Record<
  NonNullable<Props['tone']>,
  'neutral800' | 'success600' | 'danger600' | 'warning600' | 'primary600'
> = {
  neutral: 'neutral800',
  success: 'success600',
  danger: 'danger600',
  warning: 'warning600',
  primary: 'primary600',
};

/** One figure of the dashboard: a label, the number, and what it is made of. */
export const IndicatorCard = ({ label, value, detail, tone = 'neutral', testId }: Props) => (
  <Box background="neutral0" padding={5} shadow="tableShadow" hasRadius height="100%" data-testid={testId}>
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Typography variant="sigma" textColor="neutral600">
        {label}
      </Typography>
      <Typography variant="alpha" tag="p" textColor={TONE[tone]}>
        {value}
      </Typography>
      {detail && (
        <Typography variant="pi" textColor="neutral600">
          {detail}
        </Typography>
      )}
    </Flex>
  </Box>
);

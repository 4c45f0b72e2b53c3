// The note above an A/B test's variants while no difference is significant: a tie names the variant a send now
// would pick (the first, as sending/ab-tests.ts decides a tie), a lead says it may be chance.
import { Box, Typography } from '@strapi/design-system';
import type { AbTestResults } from '../../../../shared/contracts/ab-tests';
import { variantLetter } from '../../../../shared/ab-test';
import { useT } from '../../hooks/useT';

export const AbTestVerdict = ({ results }: { results: AbTestResults }) => {
  const t = useT();
  const { variants } = results;
  if (variants.some((row) => row.significant) || !variants.some((row) => row.sent > 0)) return null;
  // Every rate equal: no variant leads, and the first one would win (sending/ab-tests.ts).
  const tied = variants.every((row) => row.rate === variants[0].rate);
  return (
    <Box paddingBottom={2}>
      {tied ? (
        <Typography textColor="warning600" data-testid="ab-tied">
          {t('abTest.tied', 'The variants are tied so far: the winner sent now would be variant {variant}.', {
            variant: variantLetter(results.leader),
          })}
        </Typography>
      ) : (
        <Typography textColor="warning600" data-testid="ab-not-significant">
          {t(
            'abTest.notSignificant',
            'No difference is significant yet (under 95% confidence): the leader may be ahead by chance.',
          )}
        </Typography>
      )}
    </Box>
  );
};

// The blocks message as the server renders it for sending, personalised for the recipient a test goes to, with the
// checks before sending (each naming its block) and the size against Gmail's clipping.
import { Box, Flex, Loader, Typography } from '@strapi/design-system';
import type { PreviewResponse } from '../../../../shared/contracts/authoring';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';
import { MessagePreview } from '../layouts/MessagePreview';

const GMAIL_CLIP_KB = 102;

interface Props {
  preview: { data?: PreviewResponse; isError: boolean; error: unknown; isFetching: boolean };
  width: number;
  blockName: (blockId: string | null) => string | null;
}

export const BlocksPreview = ({ preview, width, blockName }: Props) => {
  const t = useT();
  if (preview.isError) return <Typography textColor="danger600">{apiProblemOf(preview.error).message}</Typography>;
  if (!preview.data)
    return (
      <Flex justifyContent="center" padding={8}>
        <Loader>{t('editor.preview.rendering', 'Rendering the preview')}</Loader>
      </Flex>
    );
  const { data } = preview;
  const kb = Math.round(data.size / 102.4) / 10;
  const who = [data.sample.firstName, data.sample.lastName].filter(Boolean).join(' ');
  const item = (problem: PreviewResponse['problems'][number], tone: 'danger600' | 'warning600', index: number) => (
    <li key={index}>
      <Typography textColor={tone}>
        {blockName(problem.blockId) ? `${blockName(problem.blockId)}: ` : ''}
        {problem.message}
      </Typography>
    </li>
  );
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      <Flex justifyContent="space-between">
        <Typography variant="delta" tag="h2">
          {t('editor.preview', 'Preview')}
        </Typography>
        <Typography variant="pi" textColor={kb > GMAIL_CLIP_KB ? 'danger600' : 'neutral600'}>
          {t('editor.preview.size', '{kb} KB of {max} KB before Gmail clips it', { kb, max: GMAIL_CLIP_KB })}
        </Typography>
      </Flex>
      <Typography variant="pi" textColor="neutral600">
        {t('editor.preview.sample', 'As {who} ({email}) will see it; a test is personalised the same way.', {
          who: who || data.sample.email,
          email: data.sample.email,
        })}
      </Typography>
      <Box aria-busy={preview.isFetching}>
        <MessagePreview
          html={data.personalized.html || data.html}
          width={width}
          title={t('editor.preview.frame', 'Message preview')}
        />
      </Box>
      {data.problems.length > 0 && (
        <Box>
          <Typography variant="sigma" textColor="danger600" tag="h3">
            {t('editor.checks.problems', 'To fix before sending')}
          </Typography>
          <ul>{data.problems.map((problem, i) => item(problem, 'danger600', i))}</ul>
        </Box>
      )}
      {data.warnings.length > 0 && (
        <Box>
          <Typography variant="sigma" textColor="warning600" tag="h3">
            {t('editor.checks.warnings', 'Worth a look')}
          </Typography>
          <ul>{data.warnings.map((problem, i) => item(problem, 'warning600', i))}</ul>
        </Box>
      )}
    </Flex>
  );
};

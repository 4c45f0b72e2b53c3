// A follow-up's audience in the editor: not lists, but the parent's recipients without a human open (or click),
// counted by the query the sender resolves it with when it is prepared (server/src/db/follow-ups.ts).
import { Link, Typography } from '@strapi/design-system';
import { NavLink } from 'react-router-dom';
import { useFollowUps } from '../../api/follow-ups';
import { useT } from '../../hooks/useT';
import { paths } from '../../utils/paths';

export const FollowUpAudience = ({ documentId }: { documentId: string }) => {
  const t = useT();
  const { data, isLoading, isError } = useFollowUps(documentId, false);
  if (isLoading) return <Typography textColor="neutral600">{t('common.loading', 'Loading…')}</Typography>;
  if (isError || !data?.parent)
    return <Typography textColor="danger600">{t('followUps.error', 'The follow-ups could not be loaded.')}</Typography>;
  return (
    <Typography textColor="neutral800" data-testid="follow-up-audience">
      {data.parent.kind === 'not_opened'
        ? t('followUps.editor.not_opened', 'The recipients of')
        : t('followUps.editor.not_clicked', 'The recipients of')}{' '}
      <Link tag={NavLink} to={paths.delivery(data.parent.documentId)}>
        {data.parent.name}
      </Link>{' '}
      {data.parent.kind === 'not_opened'
        ? t('followUps.editor.not_opened.end', 'who have not opened it when this is sent')
        : t('followUps.editor.not_clicked.end', 'who have not clicked in it when this is sent')}
      {data.audienceNow !== null &&
        ` · ${t('followUps.audienceNow', '{count, plural, one {# recipient} other {# recipients}} if sent now', { count: data.audienceNow })}`}
    </Typography>
  );
};

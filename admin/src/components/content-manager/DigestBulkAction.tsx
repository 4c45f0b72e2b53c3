// "Make a digest" on the Content Manager's list view of an app's collection type: the selected entries become one
// entry card each in a draft delivery, opened in the editor.
import { useNotification } from '@strapi/strapi/admin';
import { useNavigate } from 'react-router-dom';
import { useEntryMutations } from '../../api/entries';
import { useCampaignsPermissions } from '../../hooks/useCampaignsPermissions';
import { useT } from '../../hooks/useT';
import { apiProblemOf } from '../../utils/errors';
import { paths } from '../../utils/paths';

/** What the Content Manager gives a bulk action (its ListViewContext, the fields used here). */
export interface ListViewActionProps {
  model: string;
  collectionType: string;
  documents: Array<{ documentId: string; locale?: string | null }>;
}

export const DigestBulkAction = ({ model, collectionType, documents }: ListViewActionProps) => {
  const t = useT();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const { canSend } = useCampaignsPermissions();
  const { digest } = useEntryMutations();
  if (!model.startsWith('api::') || collectionType !== 'collection-types' || !canSend) return null;
  return {
    label: t('entries.digest', 'Make a digest'),
    disabled: documents.length === 0 || documents.length > 20,
    onClick: () =>
      digest.mutate(
        {
          contentType: model,
          documentIds: documents.map((document) => document.documentId),
          locale: documents[0]?.locale ?? null,
        },
        {
          onSuccess: (delivery) => navigate(paths.editDelivery(delivery.documentId)),
          onError: (error) => toggleNotification({ type: 'warning', message: apiProblemOf(error).message }),
        },
      ),
  };
};

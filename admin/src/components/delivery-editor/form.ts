// The delivery editor's form: its state, from a saved delivery, and what the API receives.
import { emptyBlockDocument, type BlockDocument, type ContentMode } from '../../../../shared/blocks';
import type { Delivery, DeliveryInput } from '../../../../shared/contracts/deliveries';
import type { AudienceSegmentRef } from '../../../../shared/contracts/extensions';

export interface FormState {
  name: string;
  subject: string;
  fromName: string;
  fromEmail: string;
  replyTo: string;
  contentMode: ContentMode;
  /** documentId of the layout (blocks); null: the default one. */
  layout: string | null;
  html: string;
  text: string;
  lists: string[];
  audienceSegments: AudienceSegmentRef[];
  trackOpens: boolean;
  trackLinks: boolean;
  linkTracking: Record<string, boolean>;
  sendRate: number | undefined;
}

export type SetField = <K extends keyof FormState>(key: K, value: FormState[K]) => void;

/** A new delivery is written in blocks; raw HTML stays a choice. */
export const EMPTY: FormState = {
  name: '',
  subject: '',
  fromName: '',
  fromEmail: '',
  replyTo: '',
  contentMode: 'blocks',
  layout: null,
  html: '',
  text: '',
  lists: [],
  audienceSegments: [],
  trackOpens: true,
  trackLinks: true,
  linkTracking: {},
  sendRate: undefined,
};

export const fromDelivery = (d: Delivery): FormState => ({
  name: d.name,
  subject: d.subject,
  fromName: d.fromName ?? '',
  fromEmail: d.fromEmail ?? '',
  replyTo: d.replyTo ?? '',
  contentMode: d.contentMode ?? 'html',
  layout: d.layout?.documentId ?? null,
  html: d.html ?? '',
  text: d.text ?? '',
  lists: d.lists.map((list) => list.documentId),
  audienceSegments: d.audienceSegments ?? [],
  trackOpens: d.trackOpens,
  trackLinks: d.trackLinks,
  linkTracking: d.linkTracking ?? {},
  sendRate: d.sendRate ?? undefined,
});

export const contentOf = (d: Delivery | null): BlockDocument => d?.content ?? emptyBlockDocument();

const orNull = (value: string) => (value.trim() ? value.trim() : null);

/** What the API receives: empty optional fields as null, per-link choices only for links that still exist. */
export const toInput = (
  form: FormState,
  content: BlockDocument,
  linkCount: number,
): DeliveryInput & { name: string; subject: string } => ({
  name: form.name.trim(),
  subject: form.subject,
  fromName: orNull(form.fromName),
  fromEmail: orNull(form.fromEmail),
  replyTo: orNull(form.replyTo),
  contentMode: form.contentMode,
  ...(form.contentMode === 'blocks' ? { content, layout: form.layout } : { html: orNull(form.html) }),
  text: form.contentMode === 'blocks' ? null : orNull(form.text),
  lists: form.lists,
  audienceSegments: form.audienceSegments,
  trackOpens: form.trackOpens,
  trackLinks: form.trackLinks,
  linkTracking: Object.fromEntries(
    Object.entries(form.linkTracking).filter(([position]) => Number(position) < linkCount),
  ),
  sendRate: form.sendRate ?? null,
});

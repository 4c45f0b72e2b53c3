// The delivery editor's form: its state, from a saved delivery, what the API receives, and the problems of its
// fields.
import { useMemo, useState, type Dispatch, type SetStateAction } from 'react';
import { emptyBlockDocument, type BlockDocument, type ContentMode } from '../../../../shared/blocks';
import type { Delivery, DeliveryInput } from '../../../../shared/contracts/deliveries';
import type { AudienceSegmentRef } from '../../../../shared/contracts/extensions';
import { deliveryCreateBody } from '../../../../shared/delivery-input';
import type { AbTest } from '../../../../shared/ab-test';
import type { ApiProblem } from '../../utils/errors';
import type { PreviewResponse } from '../../../../shared/contracts/authoring';
import type { BlockProblems } from '../blocks/fields';
import type { FieldBinding } from '../form/binding';
import { getAt, setAt } from '../form/paths';
import { problemsByPath } from '../form/useSchemaForm';

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
  /** documentId of an engagement segment: the whole audience instead of lists (shared/segments.ts). */
  segment: string | null;
  audienceSegments: AudienceSegmentRef[];
  trackOpens: boolean;
  trackLinks: boolean;
  linkTracking: Record<string, boolean>;
  /** UTM tags on the tracked links; an empty value takes the default from Settings (shared/utm.ts). */
  utmTags: boolean;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  sendRate: number | null;
  /** An A/B test of the subject (shared/ab-test.ts), or none. */
  abTest: AbTest | null;
}

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
  segment: null,
  audienceSegments: [],
  trackOpens: true,
  trackLinks: true,
  linkTracking: {},
  utmTags: false,
  utmSource: '',
  utmMedium: '',
  utmCampaign: '',
  sendRate: null,
  abTest: null,
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
  segment: d.segment?.documentId ?? null,
  audienceSegments: d.audienceSegments ?? [],
  trackOpens: d.trackOpens,
  trackLinks: d.trackLinks,
  linkTracking: d.linkTracking ?? {},
  utmTags: d.utmTags ?? false,
  utmSource: d.utmSource ?? '',
  utmMedium: d.utmMedium ?? '',
  utmCampaign: d.utmCampaign ?? '',
  sendRate: d.sendRate ?? null,
  abTest: d.abTest ?? null,
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
  segment: form.segment,
  audienceSegments: form.audienceSegments,
  trackOpens: form.trackOpens,
  trackLinks: form.trackLinks,
  linkTracking: Object.fromEntries(
    Object.entries(form.linkTracking).filter(([position]) => Number(position) < linkCount),
  ),
  utmTags: form.utmTags,
  utmSource: orNull(form.utmSource),
  utmMedium: orNull(form.utmMedium),
  utmCampaign: orNull(form.utmCampaign),
  sendRate: form.sendRate ?? null,
  abTest: form.abTest,
});

/**
 * The editor's fields, bound for the form kit. Their problems are checked with the API's own rules
 * (shared/delivery-input.ts): a field changed since the last save shows what the rules say of it now; the others what
 * the last save answered, all at once.
 */
export const useEditorFields = (
  form: FormState,
  setForm: Dispatch<SetStateAction<FormState>>,
  content: BlockDocument,
  linkCount: number,
  problem: ApiProblem | null,
  editable: boolean,
): FieldBinding & { clear: () => void } => {
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const checks = useMemo(
    () => problemsByPath(deliveryCreateBody, toInput(form, content, linkCount)),
    [form, content, linkCount],
  );
  const errors = useMemo(() => {
    const found: Record<string, string> = {};
    for (const path of new Set([...Object.keys(checks), ...Object.keys(problem?.fields ?? {})])) {
      const message = touched.has(path.split('.')[0])
        ? checks[path]
        : (problem?.fields[path] ?? (problem ? checks[path] : undefined));
      if (message) found[path] = message;
    }
    return found;
  }, [checks, problem, touched]);
  return {
    get: (path) => getAt(form, path),
    set: (path, value) => {
      setForm((current) => setAt(current, path, value));
      const field = path.split('.')[0];
      setTouched((fields) => (fields.has(field) ? fields : new Set(fields).add(field)));
    },
    errors,
    disabled: !editable,
    clear: () => setTouched(new Set()),
  };
};

/** The preview's problems and warnings by block and field, as the block editor shows them. */
export const problemsByBlock = (preview: PreviewResponse | undefined): BlockProblems => {
  const found: BlockProblems = {};
  for (const item of [...(preview?.problems ?? []), ...(preview?.warnings ?? [])])
    if (item.blockId) (found[item.blockId] ??= {})[item.path] ??= item.message;
  return found;
};

/** What the send confirmation lists of the preview's checks. */
export const sendChecks = (preview: PreviewResponse | undefined) =>
  preview
    ? {
        problems: preview.problems.map((item) => item.message),
        warnings: preview.warnings.map((item) => item.message),
      }
    : undefined;

// Engagement segments: a saved audience described by what contacts did with earlier deliveries (opened, clicked,
// clicked one link, stayed inactive, soft-bounced) combined with list membership. Not to be confused with the
// segments of an app's audience sources (a delivery's `audienceSegments`): those are pages an app's code returns.
// One schema for the API and the admin's form; the server turns the rules into one SQL query (server/src/db/segments.ts).
import { z } from 'zod';
import { documentIdSchema } from './document-id';
import { nameSchema } from './name';

/** Which deliveries an engagement condition looks at: one delivery, or the last N sent before now. */
export const segmentScopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('delivery'), delivery: documentIdSchema }),
  z.object({ type: z.literal('last'), count: z.number().int().min(1, 'at least 1').max(50, 'at most 50') }),
]);
export type SegmentScope = z.infer<typeof segmentScopeSchema>;

const days = z.number().int().min(1, 'at least 1 day').max(3650, 'at most 3650 days');
/** `not` turns a condition around: see the comments of each kind below. */
const not = z.boolean().default(false);

export const segmentConditionSchema = z.discriminatedUnion('kind', [
  /** A member of the list (not: not a member). */
  z.object({ kind: z.literal('list'), list: documentIdSchema, not }),
  /** Opened a message of the scope (not: was sent one and opened none). A click or a mirror view counts as an open. */
  z.object({ kind: z.literal('opened'), scope: segmentScopeSchema, not }),
  /** Clicked a link of a message of the scope (not: was sent one and clicked in none). */
  z.object({ kind: z.literal('clicked'), scope: segmentScopeSchema, not }),
  /** Clicked this link of the delivery (not: was sent the delivery and did not click it). */
  z.object({ kind: z.literal('clickedLink'), delivery: documentIdSchema, link: documentIdSchema, not }),
  /** No open or click in the last N days (not: at least one). */
  z.object({ kind: z.literal('inactive'), days, not }),
  /** A message to them soft-bounced in the last N days (not: none did). */
  z.object({ kind: z.literal('softBounced'), days, not }),
]);
export type SegmentCondition = z.infer<typeof segmentConditionSchema>;
export type SegmentConditionKind = SegmentCondition['kind'];
export const SEGMENT_CONDITION_KINDS: SegmentConditionKind[] = [
  'list',
  'opened',
  'clicked',
  'clickedLink',
  'inactive',
  'softBounced',
];

export const segmentRulesSchema = z.object({
  /** all: every condition holds; any: at least one does. */
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(segmentConditionSchema).min(1, 'add at least one condition').max(20, 'at most 20 conditions'),
  /** Count machine opens (Apple Mail Privacy Protection) and bots' clicks as reactions; off by default, as in the indicators. */
  includeMachine: z.boolean().default(false),
});
export type SegmentRules = z.infer<typeof segmentRulesSchema>;

export const segmentInputSchema = z.object({ name: nameSchema, rules: segmentRulesSchema }).strict();
export type SegmentInput = z.infer<typeof segmentInputSchema>;

/** What a delivery to the segment would be sent to now, counted by the code that prepares it. */
export interface SegmentSize {
  /** Contacts the rules select. */
  members: number;
  /** Those who would get a message: members who are subscribed, not suppressed, with a valid address. */
  recipients: number;
  /** Members left out, by reason (unsubscribed, suppressed, ...). */
  excluded: Record<string, number>;
}

export interface SegmentMember {
  documentId: string;
  email: string;
  status: string;
  /** Why a delivery would leave them out (null: they would get it). */
  exclusion: string | null;
}

export interface Segment {
  documentId: string;
  name: string;
  rules: SegmentRules;
  createdAt: string;
  updatedAt: string;
}

// What the delivery editor reads about the app's registered extensions: audience sources and template variables.

/** A delivery's choice: one segment of one registered audience source. */
export interface AudienceSegmentRef {
  source: string;
  segment: string;
}

/** GET /campaigns/audience-sources: each registered source with its segments and their sizes. */
export interface AudienceSourceInfo {
  id: string;
  label: string;
  segments: Array<{ id: string; label: string; count: number }>;
}

/** GET /campaigns/template-variables: the variables the app registered, besides the built-in ones. */
export interface TemplateVariableInfo {
  name: string;
  description: string | null;
}

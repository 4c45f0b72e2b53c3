// A tracked link's label as every answer shows it: the anchor's text, or the alt text of the image it wraps; null when
// it has neither. The composer stores the URL in place of a missing label (sending/compose.ts), so that is undone here.
export const linkLabel = (label: unknown, url: string): string | null =>
  typeof label === 'string' && label !== '' && label !== url ? label : null;

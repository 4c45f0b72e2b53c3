// The public pages of the sign-up flow: the answer to a plain HTML form post (accepted, or why it was refused) and
// the confirmation link's pages (a Confirm button, since link scanners follow every link of a message; confirmed;
// already confirmed; expired). Same look, headers and CSP as the unsubscribe page (tracking/public-pages.ts).
import { escapeHtml } from '../sending/template';
import { PUBLIC_PAGE_STYLE } from './public-pages';
import { subscribeStrings, type SubscribeStrings } from './subscribe-strings';

export type ConfirmPageState = 'confirm' | 'confirmed' | 'already' | 'expired';

const fill = (template: string, values: Record<string, string>) =>
  escapeHtml(template).replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? `<strong>${escapeHtml(values[name])}</strong>` : whole,
  );

const page = (language: string, t: SubscribeStrings, body: string) =>
  `<!doctype html><html lang="${language}"><head><meta charset="utf-8">` +
  '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow">' +
  `<title>${escapeHtml(t.title)}</title><style>${PUBLIC_PAGE_STYLE}</style></head><body><main>${body}</main></body></html>`;

export interface ConfirmPageInput {
  state: ConfirmPageState;
  email: string;
  lists: string[];
  locale?: string | null;
  /** Where the Confirm button posts: the page's own path. */
  action: string;
}

export const renderConfirmPage = ({ state, email, lists, locale, action }: ConfirmPageInput): string => {
  const { language, t } = subscribeStrings(locale);
  const values = { email, lists: lists.join(', ') };
  let body: string;
  switch (state) {
    case 'confirm':
      body =
        `<h1>${escapeHtml(t.confirmHeading)}</h1><p>${fill(t.confirmText, values)}</p>` +
        `<form method="post" action="${escapeHtml(action)}"><button type="submit">${escapeHtml(t.confirmButton)}</button></form>`;
      break;
    case 'confirmed':
      body = `<h1>${escapeHtml(t.confirmedHeading)}</h1><p>${fill(t.confirmedText, values)}</p>`;
      break;
    case 'already':
      body = `<h1>${escapeHtml(t.alreadyHeading)}</h1><p>${escapeHtml(t.alreadyText)}</p>`;
      break;
    case 'expired':
      body = `<h1>${escapeHtml(t.expiredHeading)}</h1><p>${escapeHtml(t.expiredText)}</p>`;
      break;
  }
  return page(language, t, body);
};

/** The answer to a form posted from a web page: thanks (the same whoever the address belongs to), or the problem. */
export const renderSubscribeAnswer = (locale: string | null | undefined, problem?: string): string => {
  const { language, t } = subscribeStrings(locale);
  return page(
    language,
    t,
    problem
      ? `<h1>${escapeHtml(t.refusedHeading)}</h1><p>${escapeHtml(problem)}</p>`
      : `<h1>${escapeHtml(t.acceptedHeading)}</h1><p>${escapeHtml(t.acceptedText)}</p>`,
  );
};

// The pages a recipient sees without logging in (unsubscribe, resubscribe): small, self-contained, localised HTML.
// Every value is escaped; the page loads nothing from anywhere, so its Content-Security-Policy can forbid everything
// but its own inline style and a form posting back to the same URL.
import { escapeHtml } from '../sending/template';

export type UnsubscribePageState =
  /** Asks for confirmation: link scanners follow every link of a message, so a GET never unsubscribes anyone. */
  'confirm' | 'unsubscribed' | 'resubscribed';

interface PageStrings {
  title: string;
  confirmHeading: string;
  confirmText: string;
  unsubscribeButton: string;
  unsubscribedHeading: string;
  unsubscribedText: string;
  resubscribeOffer: string;
  resubscribeButton: string;
  resubscribedHeading: string;
  resubscribedText: string;
  previewNote: string;
}

/** English is the source and the fallback; a contact's locale ("fr", "fr-CA", "pt_BR") picks its language. */
export const UNSUBSCRIBE_STRINGS: Record<string, PageStrings> = {
  en: {
    title: 'Email preferences',
    confirmHeading: 'Unsubscribe?',
    confirmText: '{email} will no longer receive these emails.',
    unsubscribeButton: 'Unsubscribe',
    unsubscribedHeading: 'You are unsubscribed',
    unsubscribedText: '{email} will no longer receive these emails.',
    resubscribeOffer: 'Unsubscribed by mistake?',
    resubscribeButton: 'Subscribe again',
    resubscribedHeading: 'You are subscribed again',
    resubscribedText: '{email} will receive these emails again.',
    previewNote: 'This is a preview: nothing was changed.',
  },
  fr: {
    title: 'Préférences e-mail',
    confirmHeading: 'Se désabonner ?',
    confirmText: '{email} ne recevra plus ces e-mails.',
    unsubscribeButton: 'Se désabonner',
    unsubscribedHeading: 'Vous êtes désabonné(e)',
    unsubscribedText: '{email} ne recevra plus ces e-mails.',
    resubscribeOffer: 'Désabonné(e) par erreur ?',
    resubscribeButton: 'Se réabonner',
    resubscribedHeading: 'Vous êtes de nouveau abonné(e)',
    resubscribedText: '{email} recevra de nouveau ces e-mails.',
    previewNote: 'Ceci est un aperçu : rien n’a été modifié.',
  },
  de: {
    title: 'E-Mail-Einstellungen',
    confirmHeading: 'Abmelden?',
    confirmText: '{email} erhält diese E-Mails nicht mehr.',
    unsubscribeButton: 'Abmelden',
    unsubscribedHeading: 'Sie sind abgemeldet',
    unsubscribedText: '{email} erhält diese E-Mails nicht mehr.',
    resubscribeOffer: 'Versehentlich abgemeldet?',
    resubscribeButton: 'Wieder anmelden',
    resubscribedHeading: 'Sie sind wieder angemeldet',
    resubscribedText: '{email} erhält diese E-Mails wieder.',
    previewNote: 'Dies ist eine Vorschau: Es wurde nichts geändert.',
  },
  es: {
    title: 'Preferencias de correo',
    confirmHeading: '¿Darse de baja?',
    confirmText: '{email} dejará de recibir estos correos.',
    unsubscribeButton: 'Darse de baja',
    unsubscribedHeading: 'Se ha dado de baja',
    unsubscribedText: '{email} dejará de recibir estos correos.',
    resubscribeOffer: '¿Se dio de baja por error?',
    resubscribeButton: 'Suscribirse de nuevo',
    resubscribedHeading: 'Se ha suscrito de nuevo',
    resubscribedText: '{email} volverá a recibir estos correos.',
    previewNote: 'Esto es una vista previa: no se ha cambiado nada.',
  },
};

/** The language of the page: the contact's locale when we have its strings, else English. */
export const pageLanguage = (locale: string | null | undefined): string => {
  if (typeof locale !== 'string') return 'en';
  const language = locale.trim().toLowerCase().split(/[-_]/)[0];
  return Object.hasOwn(UNSUBSCRIBE_STRINGS, language) ? language : 'en';
};

/** CSP of these pages: no scripts, no outside resources, forms only back to this origin, never framed. */
export const PUBLIC_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const PUBLIC_PAGE_STYLE =
  'body{margin:0;background:#f6f6f9;color:#32324d;font:16px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}' +
  'main{max-width:28rem;margin:10vh auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(33,33,52,.1)}' +
  'h1{font-size:1.375rem;margin:0 0 .75rem}p{margin:0 0 1rem}.note{color:#666687;font-size:.875rem}' +
  'button{font:inherit;padding:.5rem 1rem;border:0;border-radius:4px;background:#4945ff;color:#fff;cursor:pointer}' +
  'button.secondary{background:#fff;color:#4945ff;border:1px solid #d9d8ff}';

const fill = (template: string, email: string) =>
  escapeHtml(template).replace('{email}', `<strong>${escapeHtml(email)}</strong>`);

export interface UnsubscribePageInput {
  state: UnsubscribePageState;
  email: string;
  locale?: string | null;
  /** Where the forms post: the page's own URL (path only). */
  action: string;
  /** A preview or test send: the page works, nothing is changed, and it says so. */
  preview?: boolean;
}

export const renderUnsubscribePage = ({ state, email, locale, action, preview }: UnsubscribePageInput): string => {
  const language = pageLanguage(locale);
  const t = UNSUBSCRIBE_STRINGS[language];
  const form = (value: 'unsubscribe' | 'resubscribe', label: string, secondary = false) =>
    `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="action" value="${value}">` +
    `<button type="submit"${secondary ? ' class="secondary"' : ''}>${escapeHtml(label)}</button></form>`;

  let body: string;
  switch (state) {
    case 'confirm':
      body =
        `<h1>${escapeHtml(t.confirmHeading)}</h1><p>${fill(t.confirmText, email)}</p>` +
        form('unsubscribe', t.unsubscribeButton);
      break;
    case 'unsubscribed':
      body =
        `<h1>${escapeHtml(t.unsubscribedHeading)}</h1><p>${fill(t.unsubscribedText, email)}</p>` +
        `<p class="note">${escapeHtml(t.resubscribeOffer)}</p>` +
        form('resubscribe', t.resubscribeButton, true);
      break;
    case 'resubscribed':
      body =
        `<h1>${escapeHtml(t.resubscribedHeading)}</h1><p>${fill(t.resubscribedText, email)}</p>` +
        form('unsubscribe', t.unsubscribeButton, true);
      break;
  }
  if (preview) body += `<p class="note">${escapeHtml(t.previewNote)}</p>`;
  return (
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow">' +
    `<title>${escapeHtml(t.title)}</title><style>${PUBLIC_PAGE_STYLE}</style></head><body><main>${body}</main></body></html>`
  );
};

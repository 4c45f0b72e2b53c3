// The preference centre's page (/api/campaigns/p/<token>): built like the unsubscribe page (tracking/public-pages.ts),
// self-contained, localised, every value escaped, no script, so the same strict Content-Security-Policy applies.
import { escapeHtml } from '../sending/template';
import { pageLanguage, PUBLIC_PAGE_STYLE } from './public-pages';
import type { PreferencesView } from './preferences';

/** What the last POST did, said at the top of the page. */
export type PreferencesNotice = 'saved' | 'unsubscribed' | 'resubscribed' | null;

interface PreferenceStrings {
  title: string;
  heading: string;
  intro: string;
  noLists: string;
  save: string;
  saved: string;
  leaveAllOffer: string;
  unsubscribeAll: string;
  unsubscribedHeading: string;
  unsubscribedText: string;
  resubscribe: string;
  resubscribed: string;
  previewNote: string;
}

/** English is the source and the fallback; the languages are the unsubscribe page's. */
export const PREFERENCE_STRINGS: Record<string, PreferenceStrings> = {
  en: {
    title: 'Email preferences',
    heading: 'Your email preferences',
    intro: 'Choose the emails {email} receives.',
    noLists: 'There are no lists to choose from.',
    save: 'Save my choices',
    saved: 'Your choices are saved.',
    leaveAllOffer: 'Rather receive nothing from us?',
    unsubscribeAll: 'Unsubscribe from all',
    unsubscribedHeading: 'You are unsubscribed',
    unsubscribedText: '{email} receives none of our emails.',
    resubscribe: 'Subscribe again',
    resubscribed: 'You are subscribed again.',
    previewNote: 'This is a preview: nothing was changed.',
  },
  fr: {
    title: 'Préférences e-mail',
    heading: 'Vos préférences e-mail',
    intro: 'Choisissez les e-mails que reçoit {email}.',
    noLists: 'Il n’y a aucune liste à choisir.',
    save: 'Enregistrer mes choix',
    saved: 'Vos choix sont enregistrés.',
    leaveAllOffer: 'Vous préférez ne plus rien recevoir ?',
    unsubscribeAll: 'Se désabonner de tout',
    unsubscribedHeading: 'Vous êtes désabonné(e)',
    unsubscribedText: '{email} ne reçoit plus aucun de nos e-mails.',
    resubscribe: 'Se réabonner',
    resubscribed: 'Vous êtes de nouveau abonné(e).',
    previewNote: 'Ceci est un aperçu : rien n’a été modifié.',
  },
  de: {
    title: 'E-Mail-Einstellungen',
    heading: 'Ihre E-Mail-Einstellungen',
    intro: 'Wählen Sie, welche E-Mails {email} erhält.',
    noLists: 'Es gibt keine Listen zur Auswahl.',
    save: 'Auswahl speichern',
    saved: 'Ihre Auswahl ist gespeichert.',
    leaveAllOffer: 'Lieber gar nichts mehr von uns erhalten?',
    unsubscribeAll: 'Von allem abmelden',
    unsubscribedHeading: 'Sie sind abgemeldet',
    unsubscribedText: '{email} erhält keine unserer E-Mails mehr.',
    resubscribe: 'Wieder anmelden',
    resubscribed: 'Sie sind wieder angemeldet.',
    previewNote: 'Dies ist eine Vorschau: Es wurde nichts geändert.',
  },
  es: {
    title: 'Preferencias de correo',
    heading: 'Sus preferencias de correo',
    intro: 'Elija los correos que recibe {email}.',
    noLists: 'No hay listas para elegir.',
    save: 'Guardar mis preferencias',
    saved: 'Sus preferencias se han guardado.',
    leaveAllOffer: '¿Prefiere no recibir nada de nosotros?',
    unsubscribeAll: 'Darse de baja de todo',
    unsubscribedHeading: 'Se ha dado de baja',
    unsubscribedText: '{email} no recibe ninguno de nuestros correos.',
    resubscribe: 'Suscribirse de nuevo',
    resubscribed: 'Se ha suscrito de nuevo.',
    previewNote: 'Esto es una vista previa: no se ha cambiado nada.',
  },
};

/** The strings of the page in the contact's language (for the wording kept in consent records too). */
export const preferenceStrings = (locale: string | null | undefined): PreferenceStrings =>
  PREFERENCE_STRINGS[pageLanguage(locale)] ?? PREFERENCE_STRINGS.en;

const EXTRA_STYLE =
  'fieldset{border:0;margin:0 0 1rem;padding:0}label{display:block;padding:.5rem 0;border-bottom:1px solid #eaeaef}' +
  'label small{display:block;color:#666687;margin-left:1.6rem}input[type=checkbox]{margin-right:.6rem}' +
  '.notice{background:#eafbe7;color:#2f6846;padding:.5rem .75rem;border-radius:4px}hr{border:0;border-top:1px solid #eaeaef;margin:1.5rem 0}';

const fill = (template: string, email: string) =>
  escapeHtml(template).replace('{email}', `<strong>${escapeHtml(email)}</strong>`);

export interface PreferencePageInput {
  view: PreferencesView;
  /** Where the forms post: the page's own URL (path only). */
  action: string;
  notice?: PreferencesNotice;
}

export const renderPreferencePage = ({ view, action, notice = null }: PreferencePageInput): string => {
  const language = pageLanguage(view.locale);
  const t = preferenceStrings(view.locale);
  const formStart = (value: string) =>
    `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="action" value="${value}">`;
  const button = (label: string, secondary = false) =>
    `<button type="submit"${secondary ? ' class="secondary"' : ''}>${escapeHtml(label)}</button>`;

  let body = '';
  if (notice === 'saved') body += `<p class="notice" role="status">${escapeHtml(t.saved)}</p>`;
  if (notice === 'resubscribed') body += `<p class="notice" role="status">${escapeHtml(t.resubscribed)}</p>`;
  if (view.unsubscribed) {
    body +=
      `<h1>${escapeHtml(t.unsubscribedHeading)}</h1><p>${fill(t.unsubscribedText, view.email)}</p>` +
      `${formStart('resubscribe')}${button(t.resubscribe, true)}</form>`;
  } else {
    body += `<h1>${escapeHtml(t.heading)}</h1><p>${fill(t.intro, view.email)}</p>`;
    if (view.lists.length) {
      const boxes = view.lists
        .map(
          (list) =>
            `<label><input type="checkbox" name="lists" value="${list.id}"${list.subscribed ? ' checked' : ''}>` +
            `${escapeHtml(list.name)}${list.description ? `<small>${escapeHtml(list.description)}</small>` : ''}</label>`,
        )
        .join('');
      body += `${formStart('save')}<fieldset>${boxes}</fieldset>${button(t.save)}</form>`;
    } else {
      body += `<p class="note">${escapeHtml(t.noLists)}</p>`;
    }
    body +=
      `<hr><p class="note">${escapeHtml(t.leaveAllOffer)}</p>` +
      `${formStart('unsubscribe')}${button(t.unsubscribeAll, true)}</form>`;
  }
  if (view.preview) body += `<p class="note">${escapeHtml(t.previewNote)}</p>`;
  return (
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow">' +
    `<title>${escapeHtml(t.title)}</title><style>${PUBLIC_PAGE_STYLE}${EXTRA_STYLE}</style></head>` +
    `<body><main>${body}</main></body></html>`
  );
};

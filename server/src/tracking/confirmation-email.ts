// The email that asks a new subscriber to confirm (double opt-in): localised, plain HTML and text, one link to the
// confirmation page. Sent through the plugin's messenger, as the alerts are (monitoring/alert-emails.ts).
import { escapeHtml } from '../sending/template';
import { subscribeStrings } from './subscribe-strings';

export interface ConfirmationEmailInput {
  email: string;
  lists: string[];
  locale?: string | null;
  url: string;
}

export const confirmationEmail = ({ email, lists, locale, url }: ConfirmationEmailInput) => {
  const { language, t } = subscribeStrings(locale);
  const text = t.mailText.replace('{email}', email).replace('{lists}', lists.join(', '));
  const html =
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(t.mailSubject)}</title></head>` +
    '<body style="margin:0;padding:24px;background:#f6f6f9;font:16px/1.5 Helvetica,Arial,sans-serif;color:#32324d">' +
    '<div style="max-width:480px;margin:0 auto;background:#ffffff;padding:24px;border-radius:8px">' +
    `<p>${escapeHtml(text)}</p>` +
    `<p><a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 16px;background:#4945ff;color:#ffffff;border-radius:4px;text-decoration:none">${escapeHtml(t.mailButton)}</a></p>` +
    `<p style="color:#666687;font-size:14px">${escapeHtml(t.mailIgnore)}</p></div></body></html>`;
  return {
    subject: t.mailSubject,
    html,
    text: `${text}\n\n${t.mailButton}: ${url}\n\n${t.mailIgnore}\n`,
  };
};

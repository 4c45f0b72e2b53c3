// The words of the sign-up flow (the confirmation email and the public pages), in the languages of the unsubscribe
// page (tracking/public-pages.ts). English is the source and the fallback.
import { pageLanguage } from './public-pages';

export interface SubscribeStrings {
  title: string;
  acceptedHeading: string;
  acceptedText: string;
  refusedHeading: string;
  confirmHeading: string;
  confirmText: string;
  confirmButton: string;
  confirmedHeading: string;
  confirmedText: string;
  alreadyHeading: string;
  alreadyText: string;
  expiredHeading: string;
  expiredText: string;
  mailSubject: string;
  mailText: string;
  mailButton: string;
  mailIgnore: string;
}

const STRINGS: Record<string, SubscribeStrings> = {
  en: {
    title: 'Subscription',
    acceptedHeading: 'Thank you',
    acceptedText:
      'If your subscription needs a confirmation, we have sent you an email with a link: open it to finish.',
    refusedHeading: 'Your sign-up could not be sent',
    confirmHeading: 'Confirm your subscription',
    confirmText: 'Confirm that {email} wants to receive: {lists}.',
    confirmButton: 'Confirm',
    confirmedHeading: 'Your subscription is confirmed',
    confirmedText: '{email} will receive: {lists}.',
    alreadyHeading: 'Already confirmed',
    alreadyText: 'This subscription was confirmed already; there is nothing more to do.',
    expiredHeading: 'This link has expired',
    expiredText: 'Confirmation links are only valid for a while. Please subscribe again to get a new one.',
    mailSubject: 'Please confirm your subscription',
    mailText: 'Someone, hopefully you, asked to subscribe {email} to: {lists}. Please confirm with the link below.',
    mailButton: 'Confirm my subscription',
    mailIgnore: 'If you did not ask for this, ignore this email: you will not be subscribed.',
  },
  fr: {
    title: 'Abonnement',
    acceptedHeading: 'Merci',
    acceptedText:
      'Si votre abonnement doit être confirmé, nous vous avons envoyé un e-mail avec un lien : ouvrez-le pour terminer.',
    refusedHeading: 'Votre inscription n’a pas pu être envoyée',
    confirmHeading: 'Confirmez votre abonnement',
    confirmText: 'Confirmez que {email} souhaite recevoir : {lists}.',
    confirmButton: 'Confirmer',
    confirmedHeading: 'Votre abonnement est confirmé',
    confirmedText: '{email} recevra : {lists}.',
    alreadyHeading: 'Déjà confirmé',
    alreadyText: 'Cet abonnement a déjà été confirmé ; il n’y a plus rien à faire.',
    expiredHeading: 'Ce lien a expiré',
    expiredText:
      'Les liens de confirmation ne sont valables qu’un temps. Abonnez-vous de nouveau pour en recevoir un autre.',
    mailSubject: 'Merci de confirmer votre abonnement',
    mailText:
      'Quelqu’un, sans doute vous, a demandé à abonner {email} à : {lists}. Merci de confirmer avec le lien ci-dessous.',
    mailButton: 'Confirmer mon abonnement',
    mailIgnore: 'Si vous n’avez rien demandé, ignorez cet e-mail : vous ne serez pas abonné(e).',
  },
  de: {
    title: 'Abonnement',
    acceptedHeading: 'Vielen Dank',
    acceptedText:
      'Falls Ihr Abonnement bestätigt werden muss, haben wir Ihnen eine E-Mail mit einem Link geschickt: Öffnen Sie ihn, um abzuschließen.',
    refusedHeading: 'Ihre Anmeldung konnte nicht gesendet werden',
    confirmHeading: 'Bestätigen Sie Ihr Abonnement',
    confirmText: 'Bestätigen Sie, dass {email} Folgendes erhalten möchte: {lists}.',
    confirmButton: 'Bestätigen',
    confirmedHeading: 'Ihr Abonnement ist bestätigt',
    confirmedText: '{email} erhält: {lists}.',
    alreadyHeading: 'Bereits bestätigt',
    alreadyText: 'Dieses Abonnement wurde bereits bestätigt; es ist nichts mehr zu tun.',
    expiredHeading: 'Dieser Link ist abgelaufen',
    expiredText:
      'Bestätigungslinks gelten nur eine Zeit lang. Bitte melden Sie sich erneut an, um einen neuen zu erhalten.',
    mailSubject: 'Bitte bestätigen Sie Ihr Abonnement',
    mailText:
      'Jemand, hoffentlich Sie, möchte {email} für Folgendes anmelden: {lists}. Bitte bestätigen Sie über den Link unten.',
    mailButton: 'Abonnement bestätigen',
    mailIgnore: 'Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Sie werden nicht angemeldet.',
  },
  es: {
    title: 'Suscripción',
    acceptedHeading: 'Gracias',
    acceptedText:
      'Si su suscripción necesita una confirmación, le hemos enviado un correo con un enlace: ábralo para terminar.',
    refusedHeading: 'No se ha podido enviar su suscripción',
    confirmHeading: 'Confirme su suscripción',
    confirmText: 'Confirme que {email} desea recibir: {lists}.',
    confirmButton: 'Confirmar',
    confirmedHeading: 'Su suscripción está confirmada',
    confirmedText: '{email} recibirá: {lists}.',
    alreadyHeading: 'Ya confirmada',
    alreadyText: 'Esta suscripción ya se confirmó; no hay nada más que hacer.',
    expiredHeading: 'Este enlace ha caducado',
    expiredText: 'Los enlaces de confirmación solo son válidos un tiempo. Suscríbase de nuevo para recibir otro.',
    mailSubject: 'Confirme su suscripción',
    mailText:
      'Alguien, esperamos que usted, ha pedido suscribir {email} a: {lists}. Confírmelo con el enlace de abajo.',
    mailButton: 'Confirmar mi suscripción',
    mailIgnore: 'Si no lo ha pedido, ignore este correo: no se le suscribirá.',
  },
};

/** The strings for a locale ("fr", "fr-CA", "pt_BR"), English when there are none. */
export const subscribeStrings = (locale: string | null | undefined): { language: string; t: SubscribeStrings } => {
  const language = pageLanguage(locale);
  return { language, t: STRINGS[language] ?? STRINGS.en };
};

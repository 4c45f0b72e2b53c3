// How an address erased on request stays in the suppression list without staying readable: the SHA-256 of the
// normalised address, stored with reason `erased`. Suppression checks (audience/suppressions.ts `find`) look for the
// address and for this form, so an erased person is never mailed again, yet nobody can read who they were.
import { createHash } from 'node:crypto';
import { normalizeEmail } from '../platform/email-address';

const PREFIX = 'sha256:';

/** The suppression-list key of an erased address. */
export const erasedAddressKey = (email: string): string =>
  `${PREFIX}${createHash('sha256').update(normalizeEmail(email)).digest('hex')}`;

/** The domain given to anonymised contacts, reserved by RFC 2606: no message can ever be delivered there. */
export const ERASED_DOMAIN = 'erased.invalid';

/** Whether a contact's address is the placeholder an erasure left (audience/contact-erasure.ts). */
export const isErasedPlaceholder = (email: string | null | undefined): boolean =>
  typeof email === 'string' && email.endsWith(`@${ERASED_DOMAIN}`);

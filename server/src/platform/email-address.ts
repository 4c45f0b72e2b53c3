// Email addresses as the audience stores them: trimmed, lowercased, checked for a plausible shape.

const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Lowercases the whole address: mailbox providers treat the local part case-insensitively in practice. */
export const normalizeEmail = (value: string): string => value.trim().toLowerCase();

/** Why an address cannot receive mail, or null when it looks deliverable. Expects a normalised address. */
export const emailProblem = (email: string): string | null => {
  if (!email) return 'the email address is empty';
  if (email.length > 254) return 'the email address is longer than 254 characters';
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1)
    return `"${email}" is not an email address (it needs one @ between a name and a domain)`;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return `"${email}" has an invalid name before the @`;
  }
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label)) || /^[0-9]+$/.test(labels[labels.length - 1])) {
    return `"${email}" has an invalid domain`;
  }
  return null;
};

export const isValidEmail = (email: string): boolean => emailProblem(email) === null;

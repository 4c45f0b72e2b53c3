// The emails of an alert: who receives them (the configured addresses and the admins of the configured roles) and
// one message per recipient through the plugin's messenger, so a refused address never stops the others.
import type { Core } from '@strapi/strapi';
import type { AlertEvent, AlertRecipientResult } from '../../../shared/contracts/monitoring';
import { getService } from '../platform/get-service';
import { alertRoles, type AlertsConfig } from './alert-rules';
import { alertMessage } from './alert-message';
import { pluginSender } from '../sending/sender-address';

const MAX_ERROR = 500;

export const createAlertEmails = (strapi: Core.Strapi) => {
  /** Active emails of the configured addresses and of the admins holding one of the configured roles. */
  const recipientsFor = async (settings: AlertsConfig): Promise<string[]> => {
    const emails = new Set(settings.recipients.map((email) => email.trim().toLowerCase()));
    const roles = alertRoles(settings);
    if (roles.length) {
      const admins = await strapi.db.query('admin::user').findMany({
        where: {
          isActive: true,
          $or: [{ blocked: false }, { blocked: null }],
          roles: { code: { $in: roles } },
        },
        select: ['email'],
      });
      for (const admin of admins) if (admin.email) emails.add(String(admin.email).toLowerCase());
    }
    return [...emails].sort();
  };

  /** One message per recipient (a refusal belongs to one address); never throws. */
  const sendEmails = async (
    alert: AlertEvent,
    subject: string,
    recipients: string[],
  ): Promise<AlertRecipientResult[]> => {
    if (!recipients.length) return [];
    let messenger;
    let from;
    try {
      messenger = await getService(strapi, 'messenger').get();
      from = await pluginSender(strapi);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      return recipients.map((email) => ({
        email,
        sent: false,
        error: message.slice(0, MAX_ERROR),
      }));
    }
    let message: { html?: string; text: string };
    try {
      message = await alertMessage(strapi, alert, subject);
    } catch (error) {
      // The HTML is a courtesy: an alert still goes out as text if the layout cannot be rendered.
      strapi.log.warn(
        `[campaigns] alerts: the HTML of the ${alert.criterion} alert failed: ${(error as Error).message}`,
      );
      message = { text: alert.message };
    }
    const results: AlertRecipientResult[] = [];
    for (const [index, email] of recipients.entries()) {
      try {
        await messenger.send({
          from: from.from,
          to: email,
          subject,
          ...message,
          headers: { 'X-Campaigns-Alert': alert.criterion },
          messageId: `<alert.${alert.documentId}.${index}@${from.domain}>`,
        });
        results.push({ email, sent: true });
      } catch (error) {
        const message = (error as Error)?.message ?? String(error);
        strapi.log.warn(`[campaigns] alerts: the ${alert.criterion} alert could not be sent to ${email}: ${message}`);
        results.push({
          email,
          sent: false,
          error: message.slice(0, MAX_ERROR),
        });
      }
    }
    return results;
  };

  return { recipientsFor, sendEmails };
};

import { z } from 'zod';
import { insecureAuthProblem } from '../sending/smtp-credentials';
import { parseSendgridVerificationKey } from '../tracking/sendgrid-signature';
import { configSchema, formatConfigError } from '../../../shared/config-schema';

export default {
  default: () => configSchema.parse({}),
  validator(config: unknown) {
    const result = configSchema.safeParse(config);
    if (!result.success) throw new Error(formatConfigError(result.error));
    // A rule between keys, kept out of the schema so that settings patches can still be derived from it.
    const insecure = insecureAuthProblem(result.data.smtp);
    if (insecure) throw new Error(formatConfigError(new z.ZodError([{ code: 'custom', ...insecure }])));
    const sendgridKey = result.data.webhooks.sendgridVerificationKey;
    if (sendgridKey) {
      try {
        parseSendgridVerificationKey(sendgridKey);
      } catch (error) {
        const issue = {
          code: 'custom' as const,
          path: ['webhooks', 'sendgridVerificationKey'],
          message: (error as Error).message,
        };
        throw new Error(formatConfigError(new z.ZodError([issue])));
      }
    }
  },
};

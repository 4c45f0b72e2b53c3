import { z } from 'zod';
import { insecureAuthProblem } from '../lib/smtp-credentials';
import { configSchema, formatConfigError } from './schema';

export default {
  default: () => configSchema.parse({}),
  validator(config: unknown) {
    const result = configSchema.safeParse(config);
    if (!result.success) throw new Error(formatConfigError(result.error));
    // A rule between keys, kept out of the schema so that settings patches can still be derived from it.
    const insecure = insecureAuthProblem(result.data.smtp);
    if (insecure) throw new Error(formatConfigError(new z.ZodError([{ code: 'custom', ...insecure }])));
  },
};

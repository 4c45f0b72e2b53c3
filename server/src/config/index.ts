import { configSchema, formatConfigError } from '../../../shared/config-schema';

export default {
  default: () => configSchema.parse({}),
  validator(config: unknown) {
    const result = configSchema.safeParse(config);
    if (!result.success) throw new Error(formatConfigError(result.error));
  },
};

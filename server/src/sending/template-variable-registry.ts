// Template variables an app registers (`{{ loyaltyTier }}`): their names join the built-in ones when templates are
// compiled, and their values are computed in the main thread once per recipient, for a whole claimed batch before it
// is sent (the SMTP worker threads only get rendered messages). A delivery that uses none of them costs nothing more.
import type { Core } from '@strapi/strapi';
import { checkExtraVariables } from './template';
import type { ClaimedRecipient, SendStore } from './types';
import type { TemplateVariable, TemplateVariableContext, TemplateVariableInfo } from './template-variable-types';

/** Per recipient: the values by name, or the first variable that failed. */
export type VariableValues = { values: Record<string, unknown> } | { error: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const createTemplateVariablesService = (_: { strapi: Core.Strapi }) => {
  const registered = new Map<string, TemplateVariable>();

  const compute = async (
    variable: TemplateVariable,
    contexts: TemplateVariableContext[],
  ): Promise<Array<{ ok: true; value: unknown } | { ok: false; error: string }>> => {
    if (variable.values) {
      try {
        const values = await variable.values(contexts);
        if (!Array.isArray(values) || values.length !== contexts.length) {
          throw new Error(
            `values() returned ${Array.isArray(values) ? values.length : typeof values} value(s) for ${contexts.length} recipient(s)`,
          );
        }
        return values.map((value) => ({ ok: true as const, value }));
      } catch (error) {
        const failure = { ok: false as const, error: messageOf(error) };
        return contexts.map(() => failure);
      }
    }
    return Promise.all(
      contexts.map(async (context) => {
        try {
          return { ok: true as const, value: await variable.value!(context) };
        } catch (error) {
          return { ok: false as const, error: messageOf(error) };
        }
      }),
    );
  };

  /** Values of the named variables for each context, in order; each variable is called once per recipient. */
  const valuesFor = async (
    names: readonly string[],
    contexts: TemplateVariableContext[],
  ): Promise<VariableValues[]> => {
    const results: VariableValues[] = contexts.map(() => ({ values: {} }));
    if (!names.length || !contexts.length) return results;
    const computed = await Promise.all(names.map((name) => compute(registered.get(name)!, contexts)));
    names.forEach((name, n) => {
      computed[n].forEach((outcome, i) => {
        const result = results[i];
        if ('error' in result) return;
        if (outcome.ok) result.values[name] = outcome.value;
        else results[i] = { error: `Template variable "${name}" failed: ${outcome.error}` };
      });
    });
    return results;
  };

  return {
    /** Adds a variable (in the app's register() or bootstrap). Throws on a bad or taken name. */
    register(variable: TemplateVariable): void {
      if (!variable || typeof variable.name !== 'string')
        throw new Error('Cannot register a template variable without a name');
      checkExtraVariables([variable.name]);
      if (registered.has(variable.name))
        throw new Error(`Cannot register template variable "${variable.name}": it is already registered`);
      const { value, values } = variable as { value?: unknown; values?: unknown };
      if (typeof value !== 'function' && typeof values !== 'function') {
        throw new Error(
          `Cannot register template variable "${variable.name}": give value(context) or values(contexts)`,
        );
      }
      registered.set(variable.name, variable);
    },

    /** Registered names, for the template compiler. */
    names(): string[] {
      return [...registered.keys()];
    },

    list(): TemplateVariableInfo[] {
      return [...registered.values()].map((variable) => ({
        name: variable.name,
        description: variable.description ?? null,
      }));
    },

    /** The registered variables among those a template uses. */
    usedBy(variables: readonly string[]): string[] {
      return variables.filter((name) => registered.has(name));
    },

    valuesFor,

    /**
     * The store the send engine claims from, with each claimed batch's variable values attached (one call per
     * variable per batch). Not used when the delivery's template uses no registered variable.
     */
    withValues(store: SendStore, delivery: { id: number; documentId: string }, names: readonly string[]): SendStore {
      return {
        ...store,
        claim: async (deliveryId, limit, messageIdFor) => {
          const batch = await store.claim(deliveryId, limit, messageIdFor);
          const contexts = batch.map((recipient): TemplateVariableContext => ({
            contact: { ...recipient.contact, id: recipient.contactId },
            delivery,
            test: false,
          }));
          const values = await valuesFor(names, contexts);
          return batch.map((recipient, i): ClaimedRecipient => {
            const result = values[i];
            return 'error' in result
              ? { ...recipient, variableError: result.error }
              : { ...recipient, variables: result.values };
          });
        },
      };
    },
  };
};

export type TemplateVariablesService = ReturnType<typeof createTemplateVariablesService>;
export default createTemplateVariablesService;

// Lifecycle hooks that keep a rollup equal to rows written through Strapi's query engine: the rows an update or a
// delete matches are read before it and again after it (db/place-count-hooks.ts, tracking/event-count-hooks.ts).
import type { Core } from '@strapi/strapi';

export interface HookEvent {
  action: string;
  params: { where?: Record<string, unknown>; data?: Record<string, unknown> | Record<string, unknown>[] };
  result?: unknown;
  state: Record<string, unknown>;
}

/** Subscribes `before` and `after` to every update and delete of `model`, one or many rows. */
export const subscribeUpdatesAndDeletes = (
  strapi: Core.Strapi,
  model: string,
  before: (event: HookEvent) => Promise<void>,
  after: (event: HookEvent) => Promise<void>,
): (() => void) => {
  const run = (hook: (event: HookEvent) => Promise<void>) => (event: unknown) => hook(event as HookEvent);
  return strapi.db.lifecycles.subscribe({
    models: [model],
    beforeUpdate: run(before),
    beforeUpdateMany: run(before),
    beforeDelete: run(before),
    beforeDeleteMany: run(before),
    afterUpdate: run(after),
    afterUpdateMany: run(after),
    afterDelete: run(after),
    afterDeleteMany: run(after),
  }) as unknown as () => void;
};

// Public routes: tracking only (added with the tracker).
export default {
  type: 'content-api' as const,
  routes: [] as unknown[],
};

// The playground app: nothing of its own yet; the plugin does the work.
export default {
  register() {},
  bootstrap() {},
};

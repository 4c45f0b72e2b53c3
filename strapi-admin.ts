// The plugin's admin entry: the `source` of the package's `./strapi-admin` export, bundled by `npm run build`.
export { default } from './admin/src';

// The plugin's server entry: the `source` of the package's `./strapi-server` export, bundled by `npm run build`.
export * from './server/src';
export { default } from './server/src';

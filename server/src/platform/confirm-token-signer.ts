// The confirmation-token signer of one Strapi instance, built once from the tracking keys (platform/token-keys.ts).
import type { Core } from '@strapi/strapi';
import { createConfirmTokenSigner, type ConfirmTokenSigner } from './confirm-tokens';
import { getTokenKeys } from './token-keys';

const signers = new WeakMap<Core.Strapi, ConfirmTokenSigner>();

export const getConfirmTokenSigner = (strapi: Core.Strapi): ConfirmTokenSigner => {
  let signer = signers.get(strapi);
  if (!signer) {
    signer = createConfirmTokenSigner(getTokenKeys(strapi));
    signers.set(strapi, signer);
  }
  return signer;
};

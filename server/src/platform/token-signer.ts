// The tracking-token signer of one Strapi instance, built once from getTokenKeys (deriving keys costs an HMAC each).
import type { Core } from '@strapi/strapi';
import { createTokenSigner, type TokenSigner } from './tokens';
import { getTokenKeys } from './token-keys';

const signers = new WeakMap<Core.Strapi, TokenSigner>();

export const getTokenSigner = (strapi: Core.Strapi): TokenSigner => {
  let signer = signers.get(strapi);
  if (!signer) {
    signer = createTokenSigner(getTokenKeys(strapi));
    signers.set(strapi, signer);
  }
  return signer;
};

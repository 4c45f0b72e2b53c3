// Development-only default secrets: the playground is a demo and test app, never a production deployment.
export default ({ env }: { env: any }) => ({
  auth: { secret: env('ADMIN_JWT_SECRET', 'playground-admin-jwt-secret') },
  apiToken: { salt: env('API_TOKEN_SALT', 'playground-api-token-salt') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT', 'playground-transfer-token-salt') } },
  secrets: { encryptionKey: env('ENCRYPTION_KEY', 'playground-encryption-key-32-chars!') },
  flags: { nps: false, promoteEE: false },
  rateLimit: { enabled: env.bool('ADMIN_RATE_LIMIT', true) },
});

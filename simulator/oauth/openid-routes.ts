import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { Hono } from 'hono';
import type { SimContext, SimEnv } from '../context';

/** The issuer Intuit's ID tokens carry (intuit-oauth's validateIdToken compares with it). */
const INTUIT_ISSUER = 'https://oauth.platform.intuit.com/op/v1';

let signingKey: JsonWebKey | undefined;
/** One RSA key per process, made on first use: the key set must parse and name its key like Intuit's. */
function publicSigningKey(): JsonWebKey {
  if (!signingKey) {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    const kid = createHash('sha256').update(String(jwk.n)).digest('base64url').slice(0, 16);
    signingKey = { kty: 'RSA', e: jwk.e, n: jwk.n, kid, alg: 'RS256', use: 'sig' };
  }
  return signingKey;
}

/**
 * Intuit's OpenID Connect endpoints at the paths its discovery document names: the user-info endpoint
 * (`/v1/openid_connect/userinfo`, bearer access token), the key set (`/op/v1/jwks`) and a discovery
 * document of the simulator's own URLs (`/.well-known/openid_configuration`).
 */
export function createOpenIdRoutes(sim: SimContext): Hono<SimEnv> {
  const app = new Hono<SimEnv>();

  app.get('/v1/openid_connect/userinfo', (c) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    const record = sim.state.oauth.accessTokens[token];
    const grant = record ? sim.state.oauth.grants[record.grantId] : undefined;
    if (!record || !grant || grant.revoked || record.expiresAt <= sim.clock.now()) {
      // RFC 6750 §3: an invalid token is 401 with the reason in WWW-Authenticate.
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      return c.json({ error: 'invalid_token', error_description: 'Token invalid' }, 401);
    }
    const company = sim.state.companies[grant.realmId];
    const sub = createHash('sha256').update(`user:${grant.realmId}`).digest('hex').slice(0, 32);
    return c.json({
      sub,
      email: `admin+${grant.realmId}@example.com`,
      emailVerified: true,
      givenName: 'Sim',
      familyName: company?.companyName ?? 'Admin',
      phoneNumber: '+1 5555550100',
      phoneNumberVerified: false,
    });
  });

  app.get('/op/v1/jwks', (c) => c.json({ keys: [publicSigningKey()] }));

  app.get('/.well-known/openid_configuration', (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json({
      issuer: INTUIT_ISSUER,
      authorization_endpoint: `${origin}/connect/oauth2`,
      token_endpoint: `${origin}/oauth2/v1/tokens/bearer`,
      userinfo_endpoint: `${origin}/v1/openid_connect/userinfo`,
      revocation_endpoint: `${origin}/v2/oauth2/tokens/revoke`,
      jwks_uri: `${origin}/op/v1/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile', 'address', 'phone'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      claims_supported: ['aud', 'exp', 'iat', 'iss', 'realmid', 'sub'],
    });
  });
  return app;
}

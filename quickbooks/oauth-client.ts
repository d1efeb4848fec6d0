import OAuthClient from 'intuit-oauth';
import type { Config } from '../config';

/** The settings the OAuth client reads; all come from config.ts. */
export type OAuthConfig = Pick<
  Config,
  | 'QBO_CLIENT_ID'
  | 'QBO_CLIENT_SECRET'
  | 'QBO_ENVIRONMENT'
  | 'QBO_REDIRECT_URI'
  | 'QBO_AUTHORIZE_URL'
  | 'QBO_TOKEN_URL'
  | 'QBO_REVOKE_URL'
  | 'QBO_REQUEST_TIMEOUT_MS'
>;

/** What the token endpoint handed out, in our own names (lifetimes are seconds from `issuedAt`). */
/** A token pair as handed out by the token endpoint (lifetimes in seconds from `issuedAt`). */
export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  refreshExpiresIn: number;
  refreshHardExpiresIn?: number;
  issuedAt: Date;
}

export type TokenSet = TokenGrant;

/**
 * A refused or failed token-endpoint call, stripped to what is safe to log: intuit-oauth's own error
 * carries the request (refresh token in the body) and the token object, so it never leaves this module.
 */
export class TokenEndpointError extends Error {
  override name = 'TokenEndpointError';
  constructor(
    /** OAuth error code (`invalid_grant`, `invalid_client`, …) or a transport reason. */
    readonly code: string,
    readonly description: string,
    readonly intuitTid: string,
  ) {
    super(description ? `${code}: ${description}` : code);
  }
}

/** The four OAuth operations qbo-sync uses; every one is safe to call concurrently. */
export interface QboOAuth {
  /**
   * Intuit's consent URL for the accounting scope, with the PKCE S256 `codeChallenge`.
   * `realmIdHint` picks the company on the simulator.
   */
  authorizeUrl(state: string, codeChallenge: string, realmIdHint?: string): string;
  /** Exchanges `code` with its PKCE `codeVerifier`. Throws TokenEndpointError. */
  exchangeCode(code: string, codeVerifier: string): Promise<TokenSet>;
  /** Trades a refresh token for a new pair. Throws TokenEndpointError (`invalid_grant` when refused). */
  refresh(refreshToken: string): Promise<TokenSet>;
  /** Revokes a refresh token (and with it the grant). Throws TokenEndpointError. */
  revoke(refreshToken: string): Promise<void>;
}

/**
 * Builds an intuit-oauth client pointed at the configured endpoints (simulator, sandbox or production).
 * intuit-oauth keeps the endpoints in statics, so every client in the process shares them; all are set
 * from the same config. The user-info endpoint keeps intuit-oauth's default (qbo-sync does not use it).
 * Logging stays off: intuit-oauth's log file would hold tokens.
 */
export function createOAuthClient(config: OAuthConfig): OAuthClient {
  const client = new OAuthClient({
    clientId: config.QBO_CLIENT_ID,
    clientSecret: config.QBO_CLIENT_SECRET,
    environment: config.QBO_ENVIRONMENT,
    redirectUri: config.QBO_REDIRECT_URI,
    logging: false,
    includeRefreshTokenHardExpiresIn: true,
  });
  client.setAuthorizeURLs({
    authorizeEndpoint: config.QBO_AUTHORIZE_URL,
    tokenEndpoint: config.QBO_TOKEN_URL,
    revokeEndpoint: config.QBO_REVOKE_URL,
    userInfoEndpoint:
      config.QBO_ENVIRONMENT === 'sandbox'
        ? OAuthClient.userinfo_endpoint_sandbox
        : OAuthClient.userinfo_endpoint_production,
  });
  return client;
}

/**
 * The OAuth operations over intuit-oauth. A fresh OAuthClient per call: the library keeps the last
 * token on the instance, which concurrent calls for different companies would overwrite.
 */
export function createQboOAuth(config: OAuthConfig): QboOAuth {
  const timeoutMs = config.QBO_REQUEST_TIMEOUT_MS;
  return {
    authorizeUrl(state, codeChallenge, realmIdHint) {
      const url = new URL(
        createOAuthClient(config).authorizeUri({ scope: [OAuthClient.scopes.Accounting], state }),
      );
      url.searchParams.set('code_challenge', codeChallenge);
      url.searchParams.set('code_challenge_method', 'S256');
      if (realmIdHint) url.searchParams.set('realmId', realmIdHint);
      return url.toString();
    },
    async exchangeCode(code, codeVerifier) {
      const issuedAt = new Date();
      // intuit-oauth's createToken() sends no code_verifier, so the same request is built here with it,
      // through the library's own token request (its headers, Basic auth and error wrapping).
      const client = createOAuthClient(config) as unknown as TokenRequester;
      const response = await guarded(
        () =>
          client.getTokenRequest({
            url: OAuthClient.tokenEndpoint,
            method: 'POST',
            headers: client._tokenRequestHeaders(),
            data: {
              grant_type: 'authorization_code',
              code,
              redirect_uri: config.QBO_REDIRECT_URI,
              code_verifier: codeVerifier,
            },
          }),
        timeoutMs,
      );
      return toTokenSet(response.getJson(), issuedAt);
    },
    async refresh(refreshToken) {
      const issuedAt = new Date();
      const response = await guarded(
        () => createOAuthClient(config).refreshUsingToken(refreshToken),
        timeoutMs,
      );
      return toTokenSet(response.getJson(), issuedAt);
    },
    async revoke(refreshToken) {
      await guarded(() => createOAuthClient(config).revoke({ refresh_token: refreshToken }), timeoutMs);
    },
  };
}

/** The two intuit-oauth internals the PKCE code exchange uses (present in 4.2.x, untyped). */
interface TokenRequester {
  getTokenRequest(request: {
    url: string;
    method: 'POST';
    headers: Record<string, string>;
    data: Record<string, string>;
  }): Promise<{ getJson(): unknown }>;
  _tokenRequestHeaders(): Record<string, string>;
}

function toTokenSet(json: unknown, issuedAt: Date): TokenSet {
  const body = (json ?? {}) as Record<string, unknown>;
  const accessToken = body.access_token;
  const refreshToken = body.refresh_token;
  if (typeof accessToken !== 'string' || typeof refreshToken !== 'string' || !accessToken || !refreshToken) {
    throw new TokenEndpointError('invalid_response', 'the token endpoint answered without a token pair', '');
  }
  const seconds = (v: unknown, fallback: number) =>
    Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : fallback;
  const hard = Number(body.x_refresh_token_hard_expires_in);
  return {
    accessToken,
    refreshToken,
    expiresIn: seconds(body.expires_in, 3600),
    refreshExpiresIn: seconds(body.x_refresh_token_expires_in, 8_640_000),
    refreshHardExpiresIn: Number.isFinite(hard) && hard > 0 ? hard : undefined,
    issuedAt,
  };
}

/** Runs an intuit-oauth call with a deadline and turns any failure into a TokenEndpointError. */
async function guarded<T>(call: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new TokenEndpointError('timeout', `no answer from the token endpoint within ${timeoutMs} ms`, ''),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([call(), deadline]);
  } catch (err) {
    throw sanitize(err);
  } finally {
    clearTimeout(timer);
  }
}

function sanitize(err: unknown): TokenEndpointError {
  if (err instanceof TokenEndpointError) return err;
  const e = (err ?? {}) as {
    error?: unknown;
    error_description?: unknown;
    intuit_tid?: unknown;
    code?: unknown;
    message?: unknown;
  };
  const short = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : '');
  // Only the OAuth error code/description and the transaction id are copied: nothing that could hold a token.
  const code = short(e.error) || short(e.code) || 'token_endpoint_error';
  const description = short(e.error_description) || (short(e.error) ? '' : short(e.message));
  return new TokenEndpointError(
    /^[\w.-]{1,60}$/.test(code) ? code : 'token_endpoint_error',
    description,
    short(e.intuit_tid),
  );
}

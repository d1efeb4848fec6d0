import { timingSafeEqual } from 'node:crypto';
import type { DbOrTx } from '../db/client';
import { consumeOAuthState } from '../db/queries/oauth-states';
import { setCompanyName } from '../db/queries/connections';
import { QboFault } from '../quickbooks/faults';
import { TokenEndpointError, type QboOAuth, type TokenGrant } from '../quickbooks/oauth-client';
import { saveConnection } from './connection-tokens';
import { sha256url } from './oauth-consent';
import type { TokenCipher } from './token-cipher';

/** Why a callback stored nothing; `status` is the HTTP status a face should answer with. */
export class ConsentRefused extends Error {
  override name = 'ConsentRefused';
  constructor(
    readonly status: 400 | 403 | 502,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface OAuthCallbackDeps {
  db: DbOrTx;
  cipher: TokenCipher;
  oauth: Pick<QboOAuth, 'exchangeCode' | 'revoke'>;
  environment: string;
  /** Reads CompanyInfo/{realmId} with the fresh access token; throws QboFault (401/403: not that company). */
  readCompanyInfo(realmId: string, accessToken: string): Promise<Record<string, unknown>>;
  /** Whether whoever started the flow (`key:…` or `session:…`) may still act: key still configured, session alive. */
  starterIsValid(startedBy: string): Promise<boolean>;
  logger: {
    warn(o: Record<string, unknown>, m: string): void;
    info(o: Record<string, unknown>, m: string): void;
  };
}

export interface OAuthCallbackInput {
  code?: string;
  state?: string;
  realmId?: string;
  error?: string;
  /** The browser-binding cookie the request carried. */
  browserBinding?: string;
}

// The same shape the API accepts for a company id in a path.
const REALM_ID = /^[0-9A-Za-z_-]{1,64}$/;
const startAgain = 'start again at /v1/connections/connect';

/**
 * Completes a consent: spends the state (first, whatever else is wrong, so a callback URL works once),
 * checks the browser that started the flow brought it back, that the company is the one the flow was for,
 * exchanges the code with its PKCE verifier, and proves the new token opens `realmId` by reading its
 * CompanyInfo. Only then are the tokens stored. Throws ConsentRefused; stores nothing when it throws.
 */
export async function completeConsent(
  deps: OAuthCallbackDeps,
  input: OAuthCallbackInput,
): Promise<{ realmId: string; companyName: string | null }> {
  const spent = await consumeOAuthState(deps.db, input.state);
  const invalidState = new ConsentRefused(
    400,
    'invalid_state',
    `The OAuth state is missing, unknown, already used, expired or was started in another browser: ${startAgain}.`,
  );
  if (!spent?.codeVerifier || !spent.bindingHash || !spent.startedBy) throw invalidState;
  if (!input.browserBinding || !sameText(sha256url(input.browserBinding), spent.bindingHash))
    throw invalidState;
  if (!(await deps.starterIsValid(spent.startedBy))) throw invalidState;
  if (input.error)
    throw new ConsentRefused(
      400,
      'consent_refused',
      `QuickBooks did not grant access (${input.error.slice(0, 60)}).`,
    );
  const realmId = input.realmId;
  if (!input.code || !realmId || !REALM_ID.test(realmId))
    throw new ConsentRefused(400, 'invalid_callback', 'The callback needs a code and a valid realmId.');
  if (spent.realmId && spent.realmId !== realmId)
    throw new ConsentRefused(
      400,
      'wrong_company',
      `This connection was started for company ${spent.realmId}, but QuickBooks answered for another: ${startAgain}.`,
    );

  let grant: TokenGrant;
  try {
    grant = await deps.oauth.exchangeCode(input.code, spent.codeVerifier);
  } catch (err) {
    if (!(err instanceof TokenEndpointError)) throw err;
    deps.logger.warn(
      { realmId, code: err.code, intuitTid: err.intuitTid },
      'authorization code exchange failed',
    );
    throw new ConsentRefused(
      502,
      'token_exchange_failed',
      `QuickBooks refused the authorization code (${err.code}): ${startAgain}.`,
    );
  }

  const companyName = await verifiedCompanyName(deps, realmId, grant);
  await saveConnection(deps.db, deps.cipher, { realmId, environment: deps.environment, grant });
  if (companyName) await setCompanyName(deps.db, realmId, companyName);
  return { realmId, companyName };
}

/** The company's name read with the new token; refuses (and revokes the fresh grant) when it does not open `realmId`. */
async function verifiedCompanyName(
  deps: OAuthCallbackDeps,
  realmId: string,
  grant: TokenGrant,
): Promise<string | null> {
  try {
    const info = await deps.readCompanyInfo(realmId, grant.accessToken);
    const name = info.CompanyName;
    return typeof name === 'string' && name ? name : null;
  } catch (err) {
    if (!(err instanceof QboFault)) throw err;
    // A grant we will not keep should not stay valid at QuickBooks either.
    await deps.oauth.revoke(grant.refreshToken).catch(() => undefined);
    const status = err.fault.status;
    deps.logger.warn(
      { realmId, status, pattern: err.fault.pattern, intuitTid: err.fault.intuitTid },
      'the new token does not open the company named in the callback; nothing stored',
    );
    if (status === 401 || status === 403)
      throw new ConsentRefused(
        403,
        'realm_not_granted',
        `QuickBooks did not grant access to company ${realmId} with this consent: ${startAgain}.`,
      );
    throw new ConsentRefused(
      502,
      'realm_unverified',
      `QuickBooks could not confirm company ${realmId} (${err.fault.pattern}); nothing was stored: ${startAgain}.`,
    );
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

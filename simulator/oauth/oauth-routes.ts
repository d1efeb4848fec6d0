import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { SimContext, SimEnv } from '../context';
import { newOpaqueToken } from '../ids';
import { basicCredentials } from './client-credentials';

const CODE_TTL_MS = 10 * 60_000;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** RFC 7636 §4.1: 43–128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * RFC 7636 §4.6: the verifier must hash (S256) to the challenge the code was issued for. A verifier for a
 * code issued without a challenge is refused too (RFC 9700 §4.8.2: no PKCE downgrade).
 */
function verifierMatches(challenge: string | undefined, verifier: string | null): boolean {
  if (!challenge) return verifier === null;
  if (!verifier || !CODE_VERIFIER.test(verifier)) return false;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

function invalidGrant(c: Context<SimEnv>) {
  return c.json({ error: 'invalid_grant', error_description: 'Token invalid' }, 400);
}

async function readParams(c: Context<SimEnv>): Promise<URLSearchParams> {
  const text = await c.req.text();
  if ((c.req.header('content-type') ?? '').includes('json')) {
    try {
      return new URLSearchParams(JSON.parse(text) as Record<string, string>);
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(text);
}

/** Intuit's OAuth 2 endpoints: authorize (no user; grants a company directly), token and revoke. */
export function createOAuthRoutes(sim: SimContext): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  const clientOk = (c: Context<SimEnv>) => {
    const creds = basicCredentials(c.req.header('authorization'));
    return creds?.id === sim.clientId && creds.secret === sim.clientSecret;
  };
  const countTokenCall = (realmId: string | undefined, refreshed: boolean) => {
    if (!realmId || !sim.state.companies[realmId]) return;
    const counters = sim.runtime(realmId).log.counters;
    counters.tokenRequests++;
    if (refreshed) counters.tokenRefreshes++;
  };

  app.get('/connect/oauth2', (c) => {
    const q = c.req.query();
    if (q.client_id !== sim.clientId)
      return c.json({ error: 'invalid_client', error_description: 'Unknown client_id' }, 400);
    if (!q.redirect_uri || q.response_type !== 'code') return c.json({ error: 'invalid_request' }, 400);
    // PKCE: only S256 is taken (`plain` protects nothing once the request is seen).
    if (
      q.code_challenge !== undefined &&
      (q.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(q.code_challenge))
    )
      return c.json(
        { error: 'invalid_request', error_description: 'code_challenge must be S256 (43 base64url chars)' },
        400,
      );
    const realmIds = Object.keys(sim.state.companies);
    const realmId = q.realmId ?? (realmIds.length === 1 ? realmIds[0] : undefined);
    if (!realmId) {
      const links = realmIds.map((id) => {
        const url = new URL(c.req.url);
        url.searchParams.set('realmId', id);
        return `<li><a href="${escapeHtml(url.pathname + url.search)}">${escapeHtml(sim.state.companies[id].companyName)} (${id})</a></li>`;
      });
      return c.html(
        `<!doctype html><title>Choose a company</title><h1>Choose a company</h1><ul>${links.join('')}</ul>`,
      );
    }
    if (!sim.state.companies[realmId])
      return c.json({ error: 'invalid_request', error_description: 'Unknown realmId' }, 400);
    const code = newOpaqueToken('sim-code-');
    sim.state.oauth.codes[code] = {
      clientId: q.client_id,
      redirectUri: q.redirect_uri,
      realmId,
      expiresAt: sim.clock.now() + CODE_TTL_MS,
      ...(q.code_challenge ? { codeChallenge: q.code_challenge } : {}),
    };
    sim.persister.changed();
    const target = new URL(q.redirect_uri);
    target.searchParams.set('code', code);
    if (q.state !== undefined) target.searchParams.set('state', q.state);
    target.searchParams.set('realmId', realmId);
    return c.redirect(target.toString(), 302);
  });

  app.post('/oauth2/v1/tokens/bearer', async (c) => {
    if (!clientOk(c)) return c.json({ error: 'invalid_client' }, 401);
    const params = await readParams(c);
    const hard = c.req.header('x-include-refresh-token-hard-expires-in') === 'true';
    const grantType = params.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = params.get('code') ?? '';
      const record = sim.state.oauth.codes[code];
      delete sim.state.oauth.codes[code];
      if (
        !record ||
        record.expiresAt < sim.clock.now() ||
        record.redirectUri !== params.get('redirect_uri') ||
        record.clientId !== sim.clientId ||
        !verifierMatches(record.codeChallenge, params.get('code_verifier'))
      ) {
        countTokenCall(record?.realmId, false);
        return invalidGrant(c);
      }
      countTokenCall(record.realmId, false);
      sim.persister.changed();
      return c.json(sim.tokens.grant(sim.clientId, record.realmId, hard));
    }
    if (grantType === 'refresh_token') {
      const refreshToken = params.get('refresh_token') ?? '';
      const realmOfToken =
        sim.state.oauth.grants[sim.state.oauth.refreshTokens[refreshToken]?.grantId ?? '']?.realmId;
      const result = sim.tokens.refresh(refreshToken, sim.clientId, hard);
      countTokenCall(realmOfToken, Boolean(result));
      if (!result) return invalidGrant(c);
      sim.persister.changed();
      return c.json(result.tokens);
    }
    return c.json({ error: 'unsupported_grant_type' }, 400);
  });

  const revoke = async (c: Context<SimEnv>) => {
    if (!clientOk(c)) return c.json({ error: 'invalid_client' }, 401);
    const token = (await readParams(c)).get('token') ?? '';
    const realmId = sim.tokens.revokeByToken(token);
    countTokenCall(realmId, false);
    sim.persister.changed();
    return c.body(null, 200);
  };
  // Intuit publishes the v2 path (discovery document, intuit-oauth); the v1 path is kept for configurations
  // written against earlier versions of this simulator.
  app.post('/v2/oauth2/tokens/revoke', revoke);
  app.post('/oauth2/v1/tokens/revoke', revoke);

  return app;
}

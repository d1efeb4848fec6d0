import fc from 'fast-check';
import { qboIdPattern } from '../../api/schemas/common';
import type { SyncDocument } from '../../workflows/contract';
import { huge, mutatedDocument, mutation, nasty, noise } from './mutations';

export type KeyChoice = 'source' | 'admin' | 'none' | { junk: string };

/** One generated request. `mayAccept`: a request that is odd but valid (e.g. a list filter with quotes). */
export interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  key: KeyChoice;
  contentType?: string;
  body?: string;
  /** The field the error must name, when one field is wrong. */
  field?: string;
  mayAccept?: boolean;
}

export interface FuzzContext {
  /** The connected company being fuzzed: QuickBooks must never be called for it. */
  realmId: string;
  /** A valid document for that company; mutations make it invalid. */
  valid: SyncDocument;
}

const enc = encodeURIComponent;
// Over a limit but short enough for a URL (Node refuses request heads over 16 KB before the app sees them).
const long = (min: number) =>
  fc
    .integer({ min: min + 1, max: min + 400 })
    .chain((n) => fc.constantFrom('x', "'\\").map((c) => c.repeat(n)));
const json = (v: unknown) => JSON.stringify(v);

// Text that can never be a realm id (the API allows [0-9A-Za-z_-]{1,64}).
const junkRealm = fc.oneof(
  nasty.map((s) => `${s} '\\`),
  fc.constant('x'.repeat(65)),
  fc.constant('123;456'),
);
const badKey: fc.Arbitrary<KeyChoice> = fc.oneof(
  fc.constant('none' as const),
  nasty.filter((s) => s.length > 0 && /^[\x21-\x7e]+$/.test(s)).map((junk) => ({ junk })),
  fc.constant({ junk: 'source-0000000000000000' }),
);

/** Requests with a wrong or missing key; `needs` says what the route requires. */
const unauthenticated = (ctx: FuzzContext) =>
  fc
    .tuple(
      fc.constantFrom(
        ['POST', '/v1/syncs', 'source'],
        ['GET', '/v1/syncs', 'source'],
        ['POST', '/v1/syncs/batch', 'source'],
        ['GET', `/v1/syncs/${enc(`sync:${ctx.realmId}:x`)}`, 'source'],
        ['POST', `/v1/syncs/${enc(`sync:${ctx.realmId}:x`)}/retry`, 'admin'],
        ['POST', `/v1/connections/${ctx.realmId}/reconnected`, 'admin'],
        ['POST', `/v1/connections/${ctx.realmId}/tokens`, 'admin'],
        ['GET', '/v1/connections', 'admin'],
        ['DELETE', `/v1/connections/${ctx.realmId}`, 'admin'],
        ['GET', `/v1/mappings/${ctx.realmId}`, 'admin'],
        ['PUT', `/v1/policies/${ctx.realmId}`, 'admin'],
      ),
      badKey,
      fc.boolean(),
    )
    .map(([[method, path, needs], key, useSource]): FuzzRequest => ({
      kind: `auth ${method} ${path.split('/').slice(0, 3).join('/')}`,
      method,
      path,
      // The source key on an admin route must be refused too.
      key: needs === 'admin' && useSource ? 'source' : key,
      contentType: method === 'GET' || method === 'DELETE' ? undefined : 'application/json',
      body: method === 'GET' || method === 'DELETE' ? undefined : json(ctx.valid),
    }));

const enqueueMutated = (ctx: FuzzContext) =>
  fc.tuple(mutation, noise).map(([m, extra]): FuzzRequest => ({
    kind: `enqueue ${m.what}`,
    method: 'POST',
    path: '/v1/syncs',
    key: 'source',
    contentType: 'application/json',
    body: json(mutatedDocument(ctx.valid, m, extra)),
    field: m.path,
  }));

// A batch of only invalid documents: 202 with every document rejected, naming documents.<i>.<field>.
const batchMutated = (ctx: FuzzContext) =>
  fc.array(fc.tuple(mutation, noise), { minLength: 1, maxLength: 4 }).map((ms): FuzzRequest => ({
    kind: 'batch of invalid documents',
    method: 'POST',
    path: '/v1/syncs/batch',
    key: 'source',
    contentType: 'application/json',
    body: json({ documents: ms.map(([m, extra]) => mutatedDocument(ctx.valid, m, extra)) }),
    field: 'documents',
    mayAccept: true,
  }));

const batchShape = fc
  .oneof(
    fc
      .integer({ min: 501, max: 700 })
      .map((n) => ({ what: 'oversized', body: { documents: Array.from({ length: n }, () => ({})) } })),
    fc.constant({ what: 'empty', body: { documents: [] } }),
    fc.constant({ what: 'missing documents', body: {} }),
    fc
      .anything({ maxDepth: 2 })
      .filter((v) => !Array.isArray(v))
      .map((v) => ({ what: 'documents not an array', body: { documents: v } })),
    fc.constant({ what: 'unknown key', body: { documents: [{}], extra: true } }),
    fc
      .anything({ maxDepth: 2 })
      .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
      .map((v) => ({ what: 'not an object', body: v })),
  )
  .map(({ what, body }): FuzzRequest => ({
    kind: `batch ${what}`,
    method: 'POST',
    path: '/v1/syncs/batch',
    key: 'source',
    contentType: 'application/json',
    body: json(body),
    field: what === 'not an object' ? undefined : 'documents',
  }));

const wholeBody = (ctx: FuzzContext) =>
  fc
    .tuple(
      fc.constantFrom(
        ['POST', '/v1/syncs', 'source'],
        ['POST', `/v1/syncs/${enc(`sync:${ctx.realmId}:nope`)}/resolve`, 'admin'],
        ['POST', `/v1/connections/${ctx.realmId}/tokens`, 'admin'],
        ['PUT', `/v1/mappings/${ctx.realmId}/items/item-1`, 'admin'],
        ['PUT', `/v1/mappings/${ctx.realmId}/customers/cust-1`, 'admin'],
        ['PUT', `/v1/mappings/${ctx.realmId}/tax-categories/taxable`, 'admin'],
        ['PUT', `/v1/mappings/${ctx.realmId}/income-accounts/default`, 'admin'],
        ['PUT', `/v1/mappings/${ctx.realmId}/deposit-accounts/default`, 'admin'],
        ['PUT', `/v1/policies/${ctx.realmId}`, 'admin'],
      ),
      fc.oneof(
        fc.anything({ maxDepth: 3 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
        fc.dictionary(nasty, fc.anything({ maxDepth: 2 }), { minKeys: 1, maxKeys: 4 }),
        fc.record({ qboId: nasty.filter((s) => !qboIdPattern.test(s)) }),
        fc.record({ taxCodeId: nasty }),
        fc.record({
          accessToken: fc.oneof(fc.integer(), fc.constant('')),
          refreshToken: nasty,
          expiresIn: fc.oneof(fc.constant(-1), fc.constant('3600')),
        }),
        fc.record({
          kind: fc.constantFrom('link', 'redate', 'manual', 'bogus'),
          step: nasty,
          txnDate: nasty,
          qboId: nasty,
        }),
        fc.record({ onNameCollision: nasty, docNumbers: nasty }),
      ),
    )
    .map(([[method, path, key], body]): FuzzRequest => ({
      kind: `wrong body ${method} ${path.replace(ctx.realmId, ':realm').replace(/sync%3A[^/]+/, ':id')}`,
      method,
      path,
      key: key as KeyChoice,
      contentType: 'application/json',
      body: json(body),
    }));

const deepNesting = fc
  .tuple(fc.integer({ min: 10, max: 20_000 }), fc.constantFrom('/v1/syncs', '/v1/syncs/batch'))
  .map(([depth, path]): FuzzRequest => ({
    kind: `deep nesting ${path}`,
    method: 'POST',
    path,
    key: 'source',
    contentType: 'application/json',
    body: `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`,
  }));

const hugeBody = fc
  .tuple(huge(100_000), fc.constantFrom('/v1/syncs', '/v1/syncs/batch'))
  .map(([text, path]): FuzzRequest => ({
    kind: `huge body ${path}`,
    method: 'POST',
    path,
    key: 'source',
    contentType: 'application/json',
    body: json({ documents: text, customer: text }),
  }));

const malformedJson = (ctx: FuzzContext) =>
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom('', '{', ',', '"', '\\', '\u0000', 'undefined', "'"),
      fc.constantFrom('/v1/syncs', '/v1/syncs/batch'),
    )
    .map(([at, insert, path]) => {
      const text = json(path === '/v1/syncs' ? ctx.valid : { documents: [ctx.valid] });
      const cut = at % text.length;
      return { text: insert ? text.slice(0, cut) + insert + text.slice(cut) : text.slice(0, cut), path };
    })
    .filter(({ text }) => {
      try {
        JSON.parse(text);
        return false;
      } catch {
        return true;
      }
    })
    .map(({ text, path }): FuzzRequest => ({
      kind: `malformed JSON ${path}`,
      method: 'POST',
      path,
      key: 'source',
      contentType: 'application/json',
      body: text,
    }));

const wrongContentType = (ctx: FuzzContext) =>
  fc
    .tuple(
      fc.constantFrom(
        undefined,
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
      ),
      fc.constantFrom('/v1/syncs', '/v1/syncs/batch'),
    )
    .map(([contentType, path]): FuzzRequest => ({
      kind: `content-type ${contentType ?? '(none)'} ${path}`,
      method: 'POST',
      path,
      key: 'source',
      contentType,
      // A valid document: only the content type is wrong, so accepting it would start a sync.
      body: json(path === '/v1/syncs' ? ctx.valid : { documents: [ctx.valid] }),
    }));

const listQuery = fc
  .tuple(
    fc.record(
      {
        state: fc.oneof(fc.constantFrom('bogus', 'COMPLETED', ''), nasty),
        limit: fc.oneof(fc.constantFrom('-1', '0', '201', 'abc', '1.5', '1e3', ''), nasty),
        pattern: nasty,
        before: fc.oneof(fc.constantFrom('yesterday', '2026-13-01T00:00:00Z'), nasty),
        batchId: long(64),
        realmId: fc.oneof(nasty, long(64)),
      },
      { requiredKeys: [] },
    ),
    fc.boolean(),
  )
  .map(([q, duplicate]): FuzzRequest => {
    const params = new URLSearchParams(Object.entries(q) as [string, string][]);
    if (duplicate && q.state !== undefined) params.append('state', 'completed');
    // Only realmId/pattern with quotes may be legitimately valid filters; the answer then must be a page for that realm only.
    const surelyBad =
      ['state', 'limit', 'before', 'batchId'].some((k) => k in q) || (q.realmId ?? '').length > 64;
    return {
      kind: 'list query',
      method: 'GET',
      path: `/v1/syncs?${params}`,
      key: 'source',
      mayAccept: !surelyBad,
    };
  });

const badPaths = (ctx: FuzzContext) =>
  fc
    .tuple(
      fc.oneof(
        nasty,
        long(300),
        fc.constantFrom('%', '%%', '%zz', '..', '.', 'sync:1:2', `sync:${ctx.realmId}:${'é'.repeat(300)}`),
      ),
      junkRealm,
      fc.constantFrom(
        'GET /v1/syncs/:junk',
        'POST /v1/syncs/:junk/retry',
        'POST /v1/syncs/:junk/resolve',
        'GET /v1/syncs/batch/:junk',
        'POST /v1/connections/:badRealm/reconnected',
        'POST /v1/connections/:badRealm/period-reopened',
        'POST /v1/connections/:badRealm/tokens',
        'DELETE /v1/connections/:badRealm',
        'GET /v1/connections/:badRealm/health',
        'GET /v1/connections/callback?state=:junk&code=:junk&realmId=:badRealm',
        'GET /v1/mappings/:badRealm',
        'GET /v1/mappings/:badRealm/items',
        'PUT /v1/mappings/:realm/items/:junk',
        'DELETE /v1/mappings/:badRealm/customers/:junk',
        'PUT /v1/mappings/:realm/tax-categories/:junk',
        'PUT /v1/mappings/:realm/income-accounts/:junk',
        'DELETE /v1/mappings/:realm/deposit-accounts/:junk',
        'GET /v1/mappings/:realm/suggestions?name=:junk',
        'GET /v1/mappings/:realm/suggestions?entity=:junk',
        'GET /v1/policies/:badRealm',
        'PUT /v1/policies/:badRealm',
        'GET /v1/:junk',
        'PATCH /v1/syncs',
      ),
    )
    .map(([junk, badRealm, template]): FuzzRequest => {
      const [method, rawPath] = template.split(' ');
      const path = rawPath
        .replace(/:junk/g, enc(junk || '%'))
        .replace(/:badRealm/g, enc(badRealm))
        .replace(/:realm/g, ctx.realmId);
      const hasBody = method === 'POST' || method === 'PUT';
      const bodies: Record<string, unknown> = {
        resolve: { kind: 'redate', txnDate: '2026-11-20' },
        tokens: { accessToken: 'a', refreshToken: 'r', expiresIn: 3600, refreshExpiresIn: 86400 },
        'tax-categories': { taxCodeId: '' },
        'income-accounts': { accountName: 42 },
        items: { qboId: 'not an id' },
        policies: { docNumbers: 'source' },
      };
      const body = hasBody
        ? (Object.entries(bodies).find(([k]) => rawPath.includes(k))?.[1] ?? {})
        : undefined;
      return {
        kind: `bad path ${template}`,
        method,
        path,
        key: 'admin',
        contentType: hasBody ? 'application/json' : undefined,
        body: hasBody ? json(body) : undefined,
      };
    });

/** Every kind of bad request, weighted so the cheap ones dominate and huge bodies stay a few percent. */
export function fuzzRequest(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    { weight: 30, arbitrary: enqueueMutated(ctx) },
    { weight: 6, arbitrary: batchMutated(ctx) },
    { weight: 5, arbitrary: batchShape },
    { weight: 8, arbitrary: wholeBody(ctx) },
    { weight: 8, arbitrary: unauthenticated(ctx) },
    { weight: 3, arbitrary: deepNesting },
    { weight: 1, arbitrary: hugeBody },
    { weight: 5, arbitrary: malformedJson(ctx) },
    { weight: 4, arbitrary: wrongContentType(ctx) },
    { weight: 8, arbitrary: listQuery },
    { weight: 14, arbitrary: badPaths(ctx) },
  );
}

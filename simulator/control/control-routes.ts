import { Hono, type Context } from 'hono';
import { ZodError } from 'zod';
import { parseFaultRule } from '../api/injected-faults';
import { qboTimestamp } from '../clock';
import { createCompany, DEFAULT_LIMITS } from '../company-seed';
import { createDemoCompany } from '../demo-company';
import type { SimContext, SimEnv } from '../context';
import { recomputeBalances } from '../entities/balances';
import { invoiceRules } from '../entities/invoice';
import { paymentRules } from '../entities/payment';
import { findRecord, insertRecord, replaceRecordData } from '../entities/records';
import { ENTITY_NAMES, type Company, type EntityName } from '../state';
import { companySummary } from './company-summary';
import { clockBody, createCompanyBody, demoCompanyBody, patchCompanyBody } from './control-schemas';

const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS) as (keyof typeof DEFAULT_LIMITS)[];

function badRequest(c: Context<SimEnv>, message: string) {
  return c.json({ error: { code: 'bad_request', message } }, 400);
}

async function jsonBody(c: Context<SimEnv>): Promise<unknown> {
  const text = await c.req.text();
  return text.trim() ? JSON.parse(text) : {};
}

/** The `/_sim` control surface tests use to arrange companies, tokens, the clock and faults, and to inspect traffic. */
export function createControlRoutes(sim: SimContext): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  const companyOf = (c: Context<SimEnv>): Company | undefined =>
    sim.state.companies[c.req.param('realmId') ?? ''];
  const entityOf = (c: Context<SimEnv>): EntityName | undefined =>
    ENTITY_NAMES.find((e) => e === c.req.param('entity'));
  const changed = (company?: Company) => {
    if (company) recomputeBalances(company, sim.clock.now());
    sim.persister.changed();
    if (company) sim.webhooks.noteChanges(company);
  };

  app.onError((err, c) => {
    if (err instanceof ZodError || err instanceof SyntaxError) return badRequest(c, err.message);
    throw err;
  });
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: 'unknown company, record or route' } }, 404),
  );

  app.get('/_sim/health', (c) => c.json({ ok: true }));

  app.get('/_sim/clock', (c) =>
    c.json({
      now: new Date(sim.clock.now()).toISOString(),
      epochMs: sim.clock.now(),
      offsetSeconds: sim.clock.offsetMs() / 1000,
    }),
  );
  app.post('/_sim/clock', async (c) => {
    sim.clock.advance(clockBody.parse(await jsonBody(c)).advanceSeconds);
    sim.state.clockOffsetMs = sim.clock.offsetMs();
    sim.persister.changed();
    return c.json({
      now: new Date(sim.clock.now()).toISOString(),
      epochMs: sim.clock.now(),
      offsetSeconds: sim.clock.offsetMs() / 1000,
    });
  });

  app.post('/_sim/companies', async (c) => {
    const company = createCompany(
      { ...sim.defaultLimits, ...createCompanyBody.parse(await jsonBody(c)) },
      sim.clock.now(),
    );
    sim.state.companies[company.realmId] = company;
    const tokens = sim.tokens.grant(sim.clientId, company.realmId);
    changed();
    return c.json(
      { realmId: company.realmId, companyName: company.companyName, country: company.country, tokens },
      201,
    );
  });

  // Idempotent: the demo company is created once under the realm id asked for; every call grants fresh tokens.
  app.post('/_sim/demo-company', async (c) => {
    const { realmId } = demoCompanyBody.parse(await jsonBody(c));
    const existing = sim.state.companies[realmId];
    const company = existing ?? createDemoCompany(realmId, sim.clock.now());
    sim.state.companies[realmId] = company;
    const tokens = sim.tokens.grant(sim.clientId, realmId);
    changed(company);
    return c.json(
      { realmId, companyName: company.companyName, created: !existing, tokens },
      existing ? 200 : 201,
    );
  });

  app.get('/_sim/companies/:realmId', (c) => {
    const company = companyOf(c);
    return company ? c.json(companySummary(sim, company)) : c.notFound();
  });

  app.patch('/_sim/companies/:realmId', async (c) => {
    const company = companyOf(c);
    if (!company) return c.notFound();
    const patch = patchCompanyBody.parse(await jsonBody(c));
    if (patch.bookCloseDate === null) delete company.prefs.bookCloseDate;
    else if (patch.bookCloseDate) company.prefs.bookCloseDate = patch.bookCloseDate;
    if (patch.customTxnNumbers !== undefined) company.prefs.customTxnNumbers = patch.customTxnNumbers;
    if (patch.multiCurrency !== undefined) company.prefs.multiCurrency = patch.multiCurrency;
    if (patch.subscriptionLapsed !== undefined) company.flags.subscriptionLapsed = patch.subscriptionLapsed;
    if (patch.closedPeriodCode) company.flags.closedPeriodCode = patch.closedPeriodCode;
    for (const key of LIMIT_KEYS) if (patch[key]) company.limits[key] = patch[key];
    changed();
    return c.json(companySummary(sim, company));
  });

  app.get('/_sim/companies/:realmId/records/:entity', (c) => {
    const company = companyOf(c);
    const entity = entityOf(c);
    if (!company || !entity) return c.notFound();
    const records = Object.values(company.records[entity]).map((r) =>
      r.deleted ? { ...r.data, status: 'Deleted' } : r.data,
    );
    return c.json({ records });
  });

  app.post('/_sim/companies/:realmId/records/:entity', async (c) => {
    const company = companyOf(c);
    const entity = entityOf(c);
    if (!company || !entity) return c.notFound();
    const body = (await jsonBody(c)) as Record<string, unknown>;
    const defaults = ['Customer', 'Item', 'Account', 'TaxCode'].includes(entity) ? { Active: true } : {};
    const record = insertRecord(company, entity, { ...defaults, ...body }, sim.clock.now());
    if (entity === 'Customer' && record.data.FullyQualifiedName === undefined)
      record.data.FullyQualifiedName = record.data.DisplayName;
    if (entity === 'Item' && record.data.FullyQualifiedName === undefined)
      record.data.FullyQualifiedName = record.data.Name;
    if (entity === 'Invoice') record.data.Balance ??= record.data.TotalAmt ?? 0;
    changed(company);
    return c.json(record.data, 201);
  });

  app.patch('/_sim/companies/:realmId/records/:entity/:id', async (c) => {
    const company = companyOf(c);
    const entity = entityOf(c);
    const record = company && entity ? findRecord(company, entity, c.req.param('id')) : undefined;
    if (!company || !record) return c.notFound();
    replaceRecordData(record, { ...record.data, ...((await jsonBody(c)) as object) }, sim.clock.now());
    changed(company);
    return c.json(record.data);
  });

  app.delete('/_sim/companies/:realmId/records/:entity/:id', (c) => {
    const company = companyOf(c);
    const entity = entityOf(c);
    const record = company && entity ? findRecord(company, entity, c.req.param('id')) : undefined;
    if (!company || !record) return c.notFound();
    record.deleted = true;
    record.data.MetaData = { ...record.data.MetaData, LastUpdatedTime: qboTimestamp(sim.clock.now()) };
    changed(company);
    return c.json({ ...record.data, status: 'Deleted' });
  });

  // A void made by a person in QuickBooks: amounts zeroed, "Voided" in the PrivateNote, payments unlinked.
  app.post('/_sim/companies/:realmId/records/:entity/:id/void', (c) => {
    const company = companyOf(c);
    const entity = entityOf(c);
    const record = company && entity ? findRecord(company, entity, c.req.param('id')) : undefined;
    if (!company || !record || record.deleted) return c.notFound();
    const rules = entity === 'Invoice' ? invoiceRules : entity === 'Payment' ? paymentRules : undefined;
    if (!rules?.voided) return badRequest(c, `${entity} cannot be voided`);
    const data = rules.voided(record.data);
    replaceRecordData(record, entity === 'Invoice' ? { ...data, LinkedTxn: [] } : data, sim.clock.now());
    record.voided = true;
    changed(company);
    return c.json(record.data);
  });

  app.post('/_sim/companies/:realmId/tokens', (c) => {
    const company = companyOf(c);
    if (!company) return c.notFound();
    const tokens = sim.tokens.grant(sim.clientId, company.realmId);
    changed();
    return c.json(tokens, 201);
  });
  app.post('/_sim/companies/:realmId/tokens/expire', (c) => {
    const company = companyOf(c);
    if (!company) return c.notFound();
    sim.tokens.expireRealmAccessTokens(company.realmId);
    changed();
    return c.json({ ok: true });
  });
  app.post('/_sim/companies/:realmId/tokens/revoke', (c) => {
    const company = companyOf(c);
    if (!company) return c.notFound();
    sim.tokens.revokeRealm(company.realmId);
    changed();
    return c.json({ ok: true });
  });

  app.post('/_sim/companies/:realmId/faults', async (c) => {
    const company = companyOf(c);
    if (!company) return c.notFound();
    const rule = parseFaultRule(await jsonBody(c));
    sim.runtime(company.realmId).faults.push(rule);
    return c.json({ id: rule.id }, 201);
  });
  app.delete('/_sim/companies/:realmId/faults', (c) => {
    const company = companyOf(c);
    if (!company) return c.notFound();
    sim.runtime(company.realmId).faults.length = 0;
    return c.json({ ok: true });
  });
  app.post('/_sim/faults', async (c) => {
    const rule = parseFaultRule(await jsonBody(c));
    sim.globalFaults.push(rule);
    return c.json({ id: rule.id }, 201);
  });
  app.delete('/_sim/faults', (c) => {
    sim.globalFaults.length = 0;
    for (const realmId of Object.keys(sim.state.companies)) sim.runtime(realmId).faults.length = 0;
    return c.json({ ok: true });
  });

  app.get('/_sim/companies/:realmId/requests', (c) => {
    const company = companyOf(c);
    if (!company) return c.notFound();
    return c.json({ requests: sim.runtime(company.realmId).log.since(Number(c.req.query('since') ?? 0)) });
  });
  app.delete('/_sim/companies/:realmId/requests', (c) => {
    const company = companyOf(c);
    if (!company) return c.notFound();
    const runtime = sim.runtime(company.realmId);
    runtime.log.reset();
    runtime.limits.maxSeen = runtime.limits.inFlight;
    return c.json({ ok: true });
  });
  app.get('/_sim/companies/:realmId/counters', (c) => {
    const company = companyOf(c);
    if (!company) return c.notFound();
    return c.json(sim.runtime(company.realmId).log.counters);
  });

  return app;
}

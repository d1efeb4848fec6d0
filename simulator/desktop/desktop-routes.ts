import { Hono, type Context } from 'hono';
import { ZodError, type z } from 'zod';
import type { SimEnv } from '../context';
import { processRequestSet } from './company-file/process-request';
import { QbxmlParseError } from './company-file/qbxml-request';
import {
  closingDateBody,
  connectorBody,
  createDesktopCompanyBody,
  desktopFaultBody,
  directAddBodies,
  directEditBodies,
  RECORD_KINDS,
  type RecordKind,
} from './control-schemas';
import type { DesktopCompany, DesktopRegistry } from './desktop-company';
import { addAccount, addItem, addName, DirectEditError, editRecord } from './direct-edits';
import { NAME_KINDS, recordCounts, recordsOf } from './record-views';

type Fields = { path: string; reason: string }[];
const badRequest = (c: Context<SimEnv>, message: string, fields: Fields = []) =>
  c.json({ error: { code: 'bad_request', message, fields } }, 400);

async function jsonBody(c: Context<SimEnv>): Promise<unknown> {
  const text = await c.req.text();
  return text.trim() ? JSON.parse(text) : {};
}

/**
 * `/_sim/desktop/…`: create a company file, configure and drive its Web Connector, run qbXML against it,
 * read and edit its records as a person would, set the closing date, arm faults. Route list in README.
 */
export function createDesktopRoutes(registry: DesktopRegistry, nowMs: () => number): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  const base = '/_sim/desktop/companies';

  app.onError((err, c) => {
    if (err instanceof ZodError)
      return badRequest(
        c,
        err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
        err.issues.map((i) => ({ path: i.path.join('.') || 'body', reason: i.message })),
      );
    if (err instanceof SyntaxError) return badRequest(c, `body is not JSON: ${err.message}`);
    if (err instanceof DirectEditError)
      return badRequest(c, err.message, [{ path: err.path, reason: err.reason }]);
    throw err;
  });

  const notFound = (c: Context<SimEnv>, what: string) =>
    c.json({ error: { code: 'not_found', message: `unknown ${what}` } }, 404);
  const companyOf = (c: Context<SimEnv>): DesktopCompany | undefined =>
    registry.companies.get(c.req.param('companyId') ?? '');
  const kindOf = (c: Context<SimEnv>): RecordKind | undefined =>
    RECORD_KINDS.find((k) => k === c.req.param('kind'));
  const summary = (company: DesktopCompany) => ({
    companyId: company.file.companyId,
    name: company.file.name,
    filePath: company.file.filePath,
    closingDate: company.file.closingDate ?? null,
    connector: company.connector.describe(),
    counts: recordCounts(company.file),
    faults: company.faults.list(),
  });

  app.post(base, async (c) => {
    const body = createDesktopCompanyBody.parse(await jsonBody(c));
    const company = registry.create(body.name, body.closingDate);
    return c.json(
      { companyId: company.file.companyId, filePath: company.file.filePath, name: company.file.name },
      201,
    );
  });

  app.get(`${base}/:companyId`, (c) => {
    const company = companyOf(c);
    return company ? c.json(summary(company)) : notFound(c, 'company');
  });

  app.put(`${base}/:companyId/connector`, async (c) => {
    const company = companyOf(c);
    if (!company) return notFound(c, 'company');
    company.connector.configure(connectorBody.parse(await jsonBody(c)));
    return c.json({ connector: company.connector.describe() });
  });

  app.post(`${base}/:companyId/connector/poll`, async (c) => {
    const company = companyOf(c);
    if (!company) return notFound(c, 'company');
    if (!company.connector.isConfigured)
      return c.json({ error: { code: 'not_configured', message: 'PUT …/connector first' } }, 409);
    if (company.connector.offline)
      return c.json({ error: { code: 'offline', message: 'the Web Connector is offline' } }, 409);
    return c.json(await company.connector.pollNow());
  });

  app.post(`${base}/:companyId/connector/offline`, (c) => {
    const company = companyOf(c);
    if (!company) return notFound(c, 'company');
    company.connector.goOffline();
    return c.json({ offline: true });
  });

  app.post(`${base}/:companyId/connector/online`, async (c) => {
    const company = companyOf(c);
    if (!company) return notFound(c, 'company');
    const session = await company.connector.comeOnline();
    return c.json({ offline: false, session: session ?? null });
  });

  app.get(`${base}/:companyId/sessions`, (c) => {
    const company = companyOf(c);
    return company ? c.json({ sessions: company.connector.sessions }) : notFound(c, 'company');
  });

  app.post(`${base}/:companyId/qbxml`, async (c) => {
    const company = companyOf(c);
    if (!company) return notFound(c, 'company');
    try {
      const result = processRequestSet(company.file, await c.req.text(), company.faults, nowMs());
      return c.body(result.xml, 200, { 'content-type': 'text/xml; charset=utf-8' });
    } catch (err) {
      if (!(err instanceof QbxmlParseError)) throw err;
      return c.json(
        {
          error: {
            code: 'qbxml_parse_error',
            hresult: err.hresult,
            message: err.message,
            detail: err.detail,
          },
        },
        400,
      );
    }
  });

  app.get(`${base}/:companyId/records/:kind`, (c) => {
    const company = companyOf(c);
    const kind = kindOf(c);
    if (!company || !kind) return notFound(c, 'company or record kind');
    return c.json({ records: recordsOf(company.file, kind) });
  });

  app.post(`${base}/:companyId/records/:kind`, async (c) => {
    const company = companyOf(c);
    const kind = kindOf(c);
    if (!company || !kind) return notFound(c, 'company or record kind');
    const body = await jsonBody(c);
    const { file } = company;
    const nameKind = NAME_KINDS[kind];
    let listId: string;
    if (nameKind) listId = addName(file, nameKind, directAddBodies.names.parse(body), nowMs()).ListID;
    else if (kind === 'accounts')
      listId = addAccount(file, directAddBodies.accounts.parse(body), nowMs()).ListID;
    else if (kind === 'items') listId = addItem(file, directAddBodies.items.parse(body), nowMs()).ListID;
    else return badRequest(c, `add ${kind} through POST …/qbxml`, [{ path: 'kind', reason: 'lists only' }]);
    return c.json(
      recordsOf(file, kind).find((r) => r.ListID === listId),
      201,
    );
  });

  app.patch(`${base}/:companyId/records/:kind/:id`, async (c) => {
    const company = companyOf(c);
    const kind = kindOf(c);
    if (!company || !kind) return notFound(c, 'company or record kind');
    const { file } = company;
    const id = c.req.param('id');
    const body = await jsonBody(c);
    let schema: z.ZodType<Record<string, unknown>>;
    let record: { EditSequence: string; TimeModified: string } | undefined;
    if (NAME_KINDS[kind]) {
      const found = file.names.get(id);
      record = found?.kind === NAME_KINDS[kind] ? found : undefined;
      schema = directEditBodies.names;
    } else if (kind === 'accounts') [record, schema] = [file.accounts.get(id), directEditBodies.accounts];
    else if (kind === 'items') [record, schema] = [file.items.get(id), directEditBodies.items];
    else if (kind === 'invoices') [record, schema] = [file.invoices.get(id), directEditBodies.transactions];
    else [record, schema] = [file.payments.get(id), directEditBodies.transactions];
    if (!record) return notFound(c, `${kind} record`);
    editRecord(file, record, schema.parse(body), nowMs());
    const idField = kind === 'invoices' || kind === 'payments' ? 'TxnID' : 'ListID';
    return c.json(recordsOf(file, kind).find((r) => r[idField] === id));
  });

  app.put(`${base}/:companyId/closing-date`, async (c) => {
    const company = companyOf(c);
    if (!company) return notFound(c, 'company');
    const { closingDate } = closingDateBody.parse(await jsonBody(c));
    company.file.closingDate = closingDate ?? undefined;
    return c.json({ closingDate });
  });

  app.post(`${base}/:companyId/faults`, async (c) => {
    const company = companyOf(c);
    if (!company) return notFound(c, 'company');
    const fault = company.faults.add(desktopFaultBody.parse(await jsonBody(c)));
    return c.json({ id: fault.id }, 201);
  });

  app.delete(`${base}/:companyId/faults`, (c) => {
    const company = companyOf(c);
    if (!company) return notFound(c, 'company');
    company.faults.clear();
    return c.json({ ok: true });
  });

  return app;
}

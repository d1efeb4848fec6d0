import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSimulator } from '../../simulator/server';
import {
  control,
  createCompany,
  firstError,
  invoiceBody,
  seedCustomerAndItem,
  startSimulator,
  type TestCompany,
} from './sim-client';

let sim: RunningSimulator;
let co: TestCompany;
before(async () => {
  sim = await startSimulator();
  co = await createCompany(sim);
  for (const name of ["O'Brien Plumbing", 'Acme', 'Beta Corp', 'Gamma']) {
    assert.equal((await co.api('POST', '/customer', { DisplayName: name })).status, 200);
  }
});
after(async () => {
  await sim.close();
});

const q = (text: string) => co.api('GET', `/query?query=${encodeURIComponent(text)}&minorversion=75`);

describe('query', () => {
  it('returns QueryResponse envelopes, COUNT(*) and the empty shape', async () => {
    const all = await q('SELECT * FROM Customer');
    assert.equal(all.body.QueryResponse.Customer.length, 4);
    assert.equal(all.body.QueryResponse.startPosition, 1);
    assert.equal(all.body.QueryResponse.maxResults, 4);
    assert.ok(all.body.time);
    assert.deepEqual((await q('select count(*) from Customer')).body.QueryResponse, { totalCount: 4 });
    assert.deepEqual((await q("select * from Customer where DisplayName = 'Nobody'")).body.QueryResponse, {});
  });

  it('supports backslash-escaped quotes and rejects unescaped ones with QueryParserError 4000', async () => {
    const escaped = await q("select * from Customer where DisplayName = 'O\\'Brien Plumbing'");
    assert.equal(escaped.body.QueryResponse.Customer[0].DisplayName, "O'Brien Plumbing");
    const broken = await q("select * from Customer where DisplayName = 'O'Brien Plumbing'");
    assert.equal(broken.status, 400);
    assert.equal(firstError(broken.body).code, '4000');
    assert.equal(firstError(broken.body).Message, 'Error parsing query');
    assert.match(firstError(broken.body).Detail, /^QueryParserError: Encountered .*Brien/);
  });

  it('handles IN, LIKE, comparisons, ORDERBY, paging and case-insensitive field names', async () => {
    const inList = await q("select * from Customer where displayname IN ('Acme', 'Gamma')");
    assert.deepEqual(inList.body.QueryResponse.Customer.map((c: any) => c.DisplayName).sort(), [
      'Acme',
      'Gamma',
    ]);
    const like = await q("select * from Customer where DisplayName LIKE '%corp'");
    assert.equal(like.body.QueryResponse.Customer[0].DisplayName, 'Beta Corp');
    const ordered = await q('select * from Customer ORDERBY DisplayName DESC STARTPOSITION 2 MAXRESULTS 2');
    assert.deepEqual(
      ordered.body.QueryResponse.Customer.map((c: any) => c.DisplayName),
      ['Gamma', 'Beta Corp'],
    );
    const since = await q(
      "select * from Customer where MetaData.LastUpdatedTime >= '2000-01-01T00:00:00-08:00'",
    );
    assert.equal(since.body.QueryResponse.Customer.length, 4);
    const post = await co.api('POST', '/query', 'select count(*) from Customer');
    assert.equal(post.body.QueryResponse.totalCount, 4);
  });

  it('rejects MAXRESULTS above 1000 (4001) and unknown entity casing', async () => {
    const big = await q('select * from Customer MAXRESULTS 1001');
    assert.equal(firstError(big.body).code, '4001');
    assert.equal(firstError(big.body).Message, 'Invalid query');
    assert.match(firstError(big.body).Detail, /^QueryValidationError:/);
    assert.equal((await q('select * from CUSTOMER')).status, 400);
    assert.equal((await q('select * from Customer where DisplayName != 1')).status, 400);
  });
});

describe('minorversion', () => {
  it('answers a minor version below 75 as 75 (Intuit ignores it since August 2025) and refuses a non-number', async () => {
    const old = await co.api('GET', '/companyinfo/' + co.realmId + '?minorversion=65');
    assert.equal(old.status, 200, old.text);
    const current = await co.api('GET', '/companyinfo/' + co.realmId + '?minorversion=75');
    assert.equal(old.body.CompanyInfo.CompanyName, current.body.CompanyInfo.CompanyName);
    assert.equal((await co.api('GET', '/companyinfo/' + co.realmId + '?minorversion=4')).status, 200);
    const junk = await co.api('GET', '/companyinfo/' + co.realmId + '?minorversion=latest');
    assert.equal(junk.status, 400);
    assert.equal(junk.body.Fault.type, 'ValidationFault');
    assert.match(firstError(junk.body).Detail, /latest is not a minor version number/);
    assert.equal((await co.api('GET', '/companyinfo/' + co.realmId)).body.CompanyInfo.Country, 'US');
  });

  it('gives the company addresses ISO 3166 alpha-3 countries (USA), the top-level Country alpha-2', async () => {
    const info = (await co.api('GET', '/companyinfo/' + co.realmId)).body.CompanyInfo;
    assert.equal(info.Country, 'US');
    assert.equal(info.CompanyAddr.Country, 'USA');
    assert.equal(info.LegalAddr.Country, 'USA');
    assert.equal(info.CustomerCommunicationAddr.Country, 'USA');
  });
});

describe('requestid', () => {
  it('replays the stored response for a repeated requestid and writes nothing', async () => {
    const first = await co.api('POST', '/customer?requestid=req-1', { DisplayName: 'Idem' });
    const second = await co.api('POST', '/customer?requestid=req-1', { DisplayName: 'Idem' });
    assert.equal(second.status, 200);
    assert.equal(second.text, first.text);
    const records = await control(sim, 'GET', `/_sim/companies/${co.realmId}/records/Customer`);
    assert.equal(records.records.filter((r: any) => r.DisplayName === 'Idem').length, 1);
    const fault = await co.api('POST', '/customer?requestid=req-2', { DisplayName: 'Idem' });
    assert.equal(firstError(fault.body).code, '6240');
    assert.equal(
      (await co.api('POST', '/customer?requestid=req-2', { DisplayName: 'Idem' })).text,
      fault.text,
    );
  });

  it('a repeat sent while the first is still being answered waits for it: one write, one answer', async () => {
    const company = await createCompany(sim);
    const { customerId, itemId } = await seedCustomerAndItem(company);
    const batch = {
      BatchItemRequest: Array.from({ length: 30 }, (_, i) => ({
        bId: String(i),
        operation: 'create',
        Invoice: { ...invoiceBody(customerId, itemId, 10 + i), DocNumber: `RACE-${i}` },
      })),
    };
    const answers = await Promise.all(
      [1, 2, 3].map(() => company.api('POST', '/batch?requestid=race-1', batch)),
    );
    for (const a of answers) assert.equal(a.text, answers[0].text);
    const invoices = await control(sim, 'GET', `/_sim/companies/${company.realmId}/records/Invoice`);
    assert.equal(invoices.records.filter((r: any) => String(r.DocNumber).startsWith('RACE-')).length, 30);
  });
});

describe('batch', () => {
  it('lets a request that arrives during a long batch in before the batch is answered', async () => {
    const company = await createCompany(sim);
    for (let i = 0; i < 2000; i++)
      await control(sim, 'POST', `/_sim/companies/${company.realmId}/records/Customer`, {
        DisplayName: `Many ${i}`,
      });
    const queries = {
      BatchItemRequest: Array.from({ length: 30 }, (_, i) => ({
        bId: String(i),
        Query: `select * from Customer where DisplayName LIKE 'Many%' ORDERBY DisplayName STARTPOSITION ${i + 1} MAXRESULTS 10`,
      })),
    };
    const batch = company.api('POST', '/batch', queries);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const read = company.api('GET', `/companyinfo/${company.realmId}`);
    const [batched, answered] = await Promise.all([batch, read]);
    assert.equal(batched.body.BatchItemResponse.length, 30);
    assert.equal(answered.status, 200);
    // The log holds each request as it was answered.
    const { requests } = await control(sim, 'GET', `/_sim/companies/${company.realmId}/requests?since=0`);
    const answeredFirst = requests.map((r: any) => r.operation).filter((o: string) => o !== 'create');
    assert.deepEqual(answeredFirst, ['read', 'batch']);
  });

  it('answers per item, with faults mixed in, and items do not see each other', async () => {
    const company = await createCompany(sim);
    const { customerId, itemId } = await seedCustomerAndItem(company);
    const res = await company.api('POST', '/batch', {
      BatchItemRequest: [
        { bId: '1', operation: 'create', Customer: { DisplayName: 'Batch One' } },
        { bId: '2', Query: "select * from Customer where DisplayName = 'Batch One'" },
        { bId: '3', operation: 'create', Invoice: invoiceBody(customerId, itemId, 10) },
        { bId: '4', operation: 'create', Customer: { DisplayName: 'Acme' } },
      ],
    });
    assert.equal(res.status, 200);
    const byId = Object.fromEntries(res.body.BatchItemResponse.map((r: any) => [r.bId, r]));
    assert.equal(byId['1'].Customer.DisplayName, 'Batch One');
    assert.deepEqual(byId['2'].QueryResponse, {});
    assert.equal(byId['3'].Invoice.TotalAmt, 10);
    assert.equal(byId['4'].Fault.Error[0].code, '6240');
  });

  it('voids through optionsData and caps a batch at 30 items', async () => {
    const company = await createCompany(sim);
    const { customerId, itemId } = await seedCustomerAndItem(company);
    const inv = (await company.api('POST', '/invoice', invoiceBody(customerId, itemId, 10))).body.Invoice;
    const voided = await company.api('POST', '/batch', {
      BatchItemRequest: [
        {
          bId: 'v',
          operation: 'update',
          optionsData: 'void',
          Invoice: { Id: inv.Id, SyncToken: inv.SyncToken },
        },
      ],
    });
    assert.equal(voided.body.BatchItemResponse[0].Invoice.TotalAmt, 0);
    const items = Array.from({ length: 31 }, (_, i) => ({ bId: String(i), Query: 'select * from Customer' }));
    const tooMany = await company.api('POST', '/batch', { BatchItemRequest: items });
    assert.equal(tooMany.status, 400);
    assert.ok(tooMany.body.Fault);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSimulator } from '../../simulator/server';
import { control, startSimulator } from './sim-client';

const QuickBooks = require('node-quickbooks');

let sim: RunningSimulator;
let qbo: any;
before(async () => {
  sim = await startSimulator();
  // node-quickbooks sends back to back, faster than QuickBooks' 10 a second: lift that limit here.
  const company = await control(sim, 'POST', '/_sim/companies', { name: 'NQB Co', ratePerSecond: 10_000 });
  // useSandbox=true keeps the base URL as set; oauthversion '2.0' sends the bearer token. No discovery fetch.
  QuickBooks.V3_ENDPOINT_BASE_URL = `${sim.url}/v3/company/`;
  qbo = new QuickBooks(
    'qbo-sync-local-client',
    'qbo-sync-local-secret',
    company.tokens.access_token,
    false,
    company.realmId,
    true,
    false,
    75,
    '2.0',
    company.tokens.refresh_token,
  );
});
after(async () => {
  await sim.close();
});

/** Calls a node-quickbooks callback method and resolves with its result, rejecting with the Fault. */
function call(method: string, ...args: unknown[]): Promise<any> {
  return new Promise((resolve, reject) => {
    qbo[method](...args, (err: unknown, result: unknown) => (err ? reject(err) : resolve(result)));
  });
}

describe('node-quickbooks against the simulator', () => {
  it('creates, reads, queries, updates and voids customers, items, invoices and payments', async () => {
    const customer = await call('createCustomer', { DisplayName: "O'Neil Hardware" });
    assert.equal(customer.DisplayName, "O'Neil Hardware");
    assert.equal((await call('getCustomer', customer.Id)).Id, customer.Id);
    const found = await call('findCustomers', { DisplayName: "O'Neil Hardware" });
    assert.equal(found.QueryResponse.Customer[0].Id, customer.Id);
    const updated = await call('updateCustomer', {
      Id: customer.Id,
      SyncToken: customer.SyncToken,
      CompanyName: "O'Neil Ltd",
    });
    assert.equal(updated.CompanyName, "O'Neil Ltd");
    assert.equal(updated.SyncToken, '1');

    const accounts = await call('findAccounts', { Name: 'Services' });
    const item = await call('createItem', {
      Name: 'Install',
      Type: 'Service',
      IncomeAccountRef: { value: accounts.QueryResponse.Account[0].Id },
    });
    assert.equal((await call('findItems', { Type: 'Service' })).QueryResponse.Item.length, 1);

    const invoice = await call('createInvoice', {
      CustomerRef: { value: customer.Id },
      Line: [
        {
          DetailType: 'SalesItemLineDetail',
          Amount: 150,
          SalesItemLineDetail: { ItemRef: { value: item.Id }, Qty: 3, UnitPrice: 50 },
        },
      ],
    });
    assert.equal(invoice.TotalAmt, 150);
    assert.equal((await call('getInvoice', invoice.Id)).Balance, 150);
    const sparse = await call('updateInvoice', {
      Id: invoice.Id,
      SyncToken: invoice.SyncToken,
      PrivateNote: 'via node-quickbooks',
    });
    assert.equal(sparse.PrivateNote, 'via node-quickbooks');

    const payment = await call('createPayment', {
      CustomerRef: { value: customer.Id },
      TotalAmt: 50,
      Line: [{ Amount: 50, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] }],
    });
    assert.equal((await call('getInvoice', invoice.Id)).Balance, 100);
    const voidedPayment = await call('voidPayment', { Id: payment.Id, SyncToken: payment.SyncToken });
    assert.equal(voidedPayment.TotalAmt, 0);
    const current = await call('getInvoice', invoice.Id);
    assert.equal(current.Balance, 150);
    const voided = await call('voidInvoice', { Id: current.Id, SyncToken: current.SyncToken });
    assert.equal(voided.Invoice.TotalAmt, 0);
    assert.equal((await call('getCustomer', customer.Id)).Balance, 0);

    const count = await call('findInvoices', { count: true });
    assert.equal(count.QueryResponse.totalCount, 1);
  });

  it('passes QuickBooks faults through unchanged', async () => {
    await call('createCustomer', { DisplayName: 'Twice' });
    await assert.rejects(
      call('createCustomer', { DisplayName: 'twice' }),
      (err: any) => err.response.status === 400 && err.response.data.Fault.Error[0].code === '6240',
    );
  });
});

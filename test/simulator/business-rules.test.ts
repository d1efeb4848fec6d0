import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSimulator } from '../../simulator/server';
import {
  accountIds,
  control,
  createCompany,
  firstError,
  invoiceBody,
  seedCustomerAndItem,
  startSimulator,
} from './sim-client';

let sim: RunningSimulator;
before(async () => {
  sim = await startSimulator();
});
after(async () => {
  await sim.close();
});

describe('names', () => {
  it('rejects a duplicate DisplayName case-insensitively after trimming (6240)', async () => {
    const co = await createCompany(sim);
    assert.equal((await co.api('POST', '/customer', { DisplayName: 'Acme Ltd' })).status, 200);
    const dup = await co.api('POST', '/customer', { DisplayName: '  acme ltd ' });
    assert.equal(dup.status, 400);
    assert.equal(dup.body.Fault.type, 'ValidationFault');
    assert.deepEqual(firstError(dup.body), {
      Message: 'Duplicate Name Exists Error',
      Detail:
        'The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.',
      code: '6240',
      element: 'DisplayName',
    });
    assert.ok(dup.headers.get('intuit_tid'));
  });

  it('rejects duplicate Item names and colon/tab/newline in names (6240, 6000)', async () => {
    const co = await createCompany(sim);
    const accounts = await accountIds(co);
    const item = { Name: 'Consulting', Type: 'Service', IncomeAccountRef: { value: accounts.Services } };
    assert.equal((await co.api('POST', '/item', item)).status, 200);
    const dup = await co.api('POST', '/item', { ...item, Name: 'CONSULTING' });
    assert.equal(firstError(dup.body).code, '6240');
    assert.match(firstError(dup.body).Detail, /Another product or service is already using this name/);
    const colon = await co.api('POST', '/customer', { DisplayName: 'A:B' });
    assert.equal(colon.status, 400);
    assert.equal(firstError(colon.body).code, '6000');
    assert.equal(firstError(colon.body).element, 'DisplayName');
    assert.match(firstError(colon.body).Detail, /^Business Validation Error: The DisplayName, Title/);
    const tab = await co.api('POST', '/customer', { GivenName: 'A\tB' });
    assert.equal(firstError(tab.body).element, 'GivenName');
    const itemColon = await co.api('POST', '/item', { ...item, Name: 'X:Y' });
    assert.equal(firstError(itemColon.body).code, '6000');
  });

  it('requires Item Type and account references per type (2020)', async () => {
    const co = await createCompany(sim);
    const accounts = await accountIds(co);
    assert.equal(
      firstError(
        (await co.api('POST', '/item', { Name: 'NoType', IncomeAccountRef: { value: accounts.Services } }))
          .body,
      ).code,
      '2020',
    );
    const noIncome = await co.api('POST', '/item', { Name: 'NoIncome', Type: 'NonInventory' });
    assert.equal(
      firstError(noIncome.body).Detail,
      'Required parameter IncomeAccountRef is missing in the request',
    );
    const inventory = {
      Name: 'Box',
      Type: 'Inventory',
      IncomeAccountRef: { value: accounts['Sales of Product Income'] },
      TrackQtyOnHand: true,
    };
    assert.equal(
      firstError((await co.api('POST', '/item', inventory)).body).Detail,
      'Required parameter AssetAccountRef is missing in the request',
    );
    const full = await co.api('POST', '/item', {
      ...inventory,
      AssetAccountRef: { value: accounts['Inventory Asset'] },
      InvStartDate: '2024-01-01',
      QtyOnHand: 5,
    });
    assert.equal(full.status, 200);
  });

  it('cannot delete names, only make them inactive; inactive names vanish from queries', async () => {
    const co = await createCompany(sim);
    const { customerId } = await seedCustomerAndItem(co);
    const read = await co.api('GET', `/customer/${customerId}`);
    const del = await co.api('POST', '/customer?operation=delete', {
      Id: customerId,
      SyncToken: read.body.Customer.SyncToken,
    });
    assert.equal(del.status, 400);
    const inactive = await co.api('POST', '/customer', {
      Id: customerId,
      SyncToken: '0',
      sparse: true,
      Active: false,
    });
    assert.equal(inactive.body.Customer.Active, false);
    const q = await co.api('GET', `/query?query=${encodeURIComponent('select * from Customer')}`);
    assert.deepEqual(q.body.QueryResponse, {});
    const q2 = await co.api(
      'GET',
      `/query?query=${encodeURIComponent('select * from Customer where Active = false')}`,
    );
    assert.equal(q2.body.QueryResponse.Customer.length, 1);
  });
});

describe('invoices', () => {
  it('recomputes TotalAmt, auto-assigns DocNumber and rejects long or duplicate DocNumbers (2050, 6140)', async () => {
    const co = await createCompany(sim);
    const { customerId, itemId } = await seedCustomerAndItem(co);
    const created = await co.api('POST', '/invoice', invoiceBody(customerId, itemId, 100, { TotalAmt: 5 }));
    assert.equal(created.body.Invoice.TotalAmt, 100);
    assert.equal(created.body.Invoice.Balance, 100);
    assert.equal(created.body.Invoice.DocNumber, '1001');
    const long = await co.api(
      'POST',
      '/invoice',
      invoiceBody(customerId, itemId, 1, { DocNumber: 'X'.repeat(22) }),
    );
    assert.deepEqual(firstError(long.body), {
      Message: 'String length is either shorter or longer than supported by specification',
      Detail:
        'String length specified does not match the supported length. Min:0 Max:21 supported. Supplied length: 22',
      code: '2050',
      element: 'DocNumber',
    });
    const dup = await co.api('POST', '/invoice', invoiceBody(customerId, itemId, 1, { DocNumber: '1001' }));
    assert.equal(firstError(dup.body).code, '6140');
    assert.equal(
      firstError(dup.body).Detail,
      `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=1001 is assigned to TxnType=Invoice with TxnId=${created.body.Invoice.Id}`,
    );
    const allowed = await co.api(
      'POST',
      '/invoice?include=allowduplicatedocnum',
      invoiceBody(customerId, itemId, 1, { DocNumber: '1001' }),
    );
    assert.equal(allowed.status, 200);
    await control(sim, 'PATCH', `/_sim/companies/${co.realmId}`, { customTxnNumbers: false });
    assert.equal(
      (await co.api('POST', '/invoice', invoiceBody(customerId, itemId, 1, { DocNumber: '1001' }))).status,
      200,
    );
  });

  it('requires CustomerRef and Line, checks Qty × UnitPrice and US tax codes (2020, 6070, 6100)', async () => {
    const co = await createCompany(sim);
    const { customerId, itemId } = await seedCustomerAndItem(co);
    const noLine = await co.api('POST', '/invoice', { CustomerRef: { value: customerId } });
    assert.equal(firstError(noLine.body).Detail, 'Required parameter Line is missing in the request');
    const noCustomer = await co.api('POST', '/invoice', { Line: invoiceBody(customerId, itemId).Line });
    assert.equal(
      firstError(noCustomer.body).Detail,
      'Required parameter CustomerRef is missing in the request',
    );
    const bad = invoiceBody(customerId, itemId, 100) as any;
    bad.Line[0].SalesItemLineDetail.Qty = 3;
    const maths = await co.api('POST', '/invoice', bad);
    assert.equal(firstError(maths.body).code, '6070');
    assert.equal(firstError(maths.body).Detail, 'Amount is not equal to Qty * UnitPrice. Supplied value:100');
    const taxed = invoiceBody(customerId, itemId, 10) as any;
    taxed.Line[0].SalesItemLineDetail.TaxCodeRef = { value: '20.0% S' };
    const tax = await co.api('POST', '/invoice', taxed);
    assert.equal(firstError(tax.body).code, '6100');
    assert.equal(
      firstError(tax.body).Detail,
      'Valid Line TaxCodes for US should be TAX or NON. Supplied value:20.0% S',
    );
  });

  it('reports inactive references as 610 and unknown ones as 2500 with the element', async () => {
    const co = await createCompany(sim);
    const { customerId, itemId } = await seedCustomerAndItem(co);
    const unknown = await co.api('POST', '/invoice', invoiceBody(customerId, '9999'));
    assert.deepEqual(firstError(unknown.body), {
      Message: 'Invalid Reference Id',
      Detail: 'Invalid Reference Id : Line.SalesItemLineDetail.ItemRef',
      code: '2500',
      element: 'Line.SalesItemLineDetail.ItemRef',
    });
    await control(sim, 'PATCH', `/_sim/companies/${co.realmId}/records/Item/${itemId}`, { Active: false });
    const inactive = await co.api('POST', '/invoice', invoiceBody(customerId, itemId));
    assert.equal(firstError(inactive.body).code, '610');
    assert.equal(
      firstError(inactive.body).Detail,
      "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
    );
  });

  it('voids (amounts zeroed, "Voided" note) and deletes; a deleted invoice reads as 610', async () => {
    const co = await createCompany(sim);
    const { customerId, itemId } = await seedCustomerAndItem(co);
    const inv = (await co.api('POST', '/invoice', invoiceBody(customerId, itemId, 40))).body.Invoice;
    const voided = await co.api('POST', '/invoice?operation=void', { Id: inv.Id, SyncToken: inv.SyncToken });
    assert.equal(voided.body.Invoice.TotalAmt, 0);
    assert.equal(voided.body.Invoice.Balance, 0);
    assert.match(voided.body.Invoice.PrivateNote, /Voided/);
    assert.equal(voided.body.Invoice.SyncToken, '1');
    const inv2 = (await co.api('POST', '/invoice', invoiceBody(customerId, itemId, 40))).body.Invoice;
    const deleted = await co.api('POST', '/invoice?operation=delete', {
      Id: inv2.Id,
      SyncToken: inv2.SyncToken,
    });
    assert.deepEqual(deleted.body.Invoice, { domain: 'QBO', status: 'Deleted', Id: inv2.Id });
    const read = await co.api('GET', `/invoice/${inv2.Id}`);
    assert.equal(read.status, 400);
    assert.equal(
      firstError(read.body).Detail,
      'Object Not Found : Another user has deleted this transaction.',
    );
    const all = await control(sim, 'GET', `/_sim/companies/${co.realmId}/records/Invoice`);
    assert.equal(all.records.find((r: any) => r.Id === inv2.Id).status, 'Deleted');
    const customer = await co.api('GET', `/customer/${customerId}`);
    assert.equal(customer.body.Customer.Balance, 0);
  });

  it('rejects stale SyncTokens (5010) and merges sparse updates', async () => {
    const co = await createCompany(sim);
    const { customerId } = await seedCustomerAndItem(co);
    const updated = await co.api('POST', '/customer', {
      Id: customerId,
      SyncToken: '0',
      sparse: true,
      CompanyName: 'Acme Inc',
    });
    assert.equal(updated.body.Customer.SyncToken, '1');
    assert.equal(updated.body.Customer.DisplayName, 'Acme');
    const stale = await co.api('POST', '/customer', {
      Id: customerId,
      SyncToken: '0',
      sparse: true,
      CompanyName: 'Nope',
    });
    assert.equal(firstError(stale.body).code, '5010');
    assert.equal(firstError(stale.body).Message, 'Stale Object Error');
  });
});

describe('payments and balances', () => {
  it('applies payments, sends the excess to UnappliedAmt and keeps Customer.Balance = open invoices − credit', async () => {
    const co = await createCompany(sim);
    const { customerId, itemId } = await seedCustomerAndItem(co);
    const inv = (await co.api('POST', '/invoice', invoiceBody(customerId, itemId, 100))).body.Invoice;
    const pay = await co.api('POST', '/payment', {
      CustomerRef: { value: customerId },
      TotalAmt: 130,
      Line: [{ Amount: 130, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }],
    });
    assert.equal(pay.status, 200);
    assert.equal(pay.body.Payment.UnappliedAmt, 30);
    const accounts = await accountIds(co);
    assert.equal(pay.body.Payment.DepositToAccountRef.value, accounts['Undeposited Funds']);
    const invoice = (await co.api('GET', `/invoice/${inv.Id}`)).body.Invoice;
    assert.equal(invoice.Balance, 0);
    assert.deepEqual(invoice.LinkedTxn, [{ TxnId: pay.body.Payment.Id, TxnType: 'Payment' }]);
    assert.equal((await co.api('GET', `/customer/${customerId}`)).body.Customer.Balance, -30);
    const voided = await co.api('POST', '/payment?operation=void', {
      Id: pay.body.Payment.Id,
      SyncToken: pay.body.Payment.SyncToken,
    });
    assert.equal(voided.body.Payment.TotalAmt, 0);
    assert.equal((await co.api('GET', `/invoice/${inv.Id}`)).body.Invoice.Balance, 100);
    assert.equal((await co.api('GET', `/customer/${customerId}`)).body.Customer.Balance, 100);
  });

  it('requires TotalAmt and CustomerRef and refuses links to another customer (2020, 620)', async () => {
    const co = await createCompany(sim);
    const a = await seedCustomerAndItem(co, 'Alpha');
    const b = await seedCustomerAndItem(co, 'Beta');
    const inv = (await co.api('POST', '/invoice', invoiceBody(a.customerId, a.itemId, 10))).body.Invoice;
    assert.equal(
      firstError((await co.api('POST', '/payment', { CustomerRef: { value: a.customerId } })).body).Detail,
      'Required parameter TotalAmt is missing in the request',
    );
    assert.equal(
      firstError((await co.api('POST', '/payment', { TotalAmt: 1 })).body).Detail,
      'Required parameter CustomerRef is missing in the request',
    );
    const cross = await co.api('POST', '/payment', {
      CustomerRef: { value: b.customerId },
      TotalAmt: 10,
      Line: [{ Amount: 10, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] }],
    });
    assert.equal(firstError(cross.body).code, '620');
    assert.equal(firstError(cross.body).Message, 'TxnID Cannot Be Linked');
  });
});

describe('company state', () => {
  it('refuses transactions on or before the closing date (6210, or 6200 by flag) and omits BookCloseDate when unset', async () => {
    const co = await createCompany(sim);
    const { customerId, itemId } = await seedCustomerAndItem(co);
    const prefs = await co.api('GET', '/preferences');
    assert.equal('BookCloseDate' in prefs.body.Preferences.AccountingInfoPrefs, false);
    assert.equal(prefs.body.Preferences.TaxPrefs.PartnerTaxEnabled, true);
    await control(sim, 'PATCH', `/_sim/companies/${co.realmId}`, { bookCloseDate: '2024-03-31' });
    assert.equal(
      (await co.api('GET', '/preferences')).body.Preferences.AccountingInfoPrefs.BookCloseDate,
      '2024-03-31',
    );
    const onDate = await co.api(
      'POST',
      '/invoice',
      invoiceBody(customerId, itemId, 10, { TxnDate: '2024-03-31' }),
    );
    assert.deepEqual(firstError(onDate.body), {
      Message: 'Account Period Closed, Cannot Update Through Services API',
      Detail:
        'The account period has closed and the account books cannot be updated through the QBO Services API. Please use the QBO website to make these changes.',
      code: '6210',
      element: '',
    });
    assert.equal(
      (await co.api('POST', '/invoice', invoiceBody(customerId, itemId, 10, { TxnDate: '2024-04-01' })))
        .status,
      200,
    );
    await control(sim, 'PATCH', `/_sim/companies/${co.realmId}`, { closedPeriodCode: '6200' });
    const pay = await co.api('POST', '/payment', {
      CustomerRef: { value: customerId },
      TotalAmt: 5,
      TxnDate: '2024-01-01',
    });
    assert.equal(firstError(pay.body).code, '6200');
  });

  it('answers writes with 6190 when the subscription lapsed, as HTTP 400 or inside HTTP 200', async () => {
    const co = await createCompany(sim);
    await control(sim, 'PATCH', `/_sim/companies/${co.realmId}`, { subscriptionLapsed: '400' });
    const r400 = await co.api('POST', '/customer', { DisplayName: 'Lapsed' });
    assert.equal(r400.status, 400);
    assert.equal(firstError(r400.body).code, '6190');
    assert.equal(firstError(r400.body).Message, 'Invalid Company Status');
    await control(sim, 'PATCH', `/_sim/companies/${co.realmId}`, { subscriptionLapsed: '200' });
    const r200 = await co.api('POST', '/customer', { DisplayName: 'Lapsed' });
    assert.equal(r200.status, 200);
    assert.equal(firstError(r200.body).code, '6190');
    assert.equal((await co.api('GET', '/companyinfo/' + co.realmId)).status, 200);
  });

  it('non-US companies need GlobalTaxCalculation and a TaxCodeRef on every line (2020, 6000 VAT/GST text)', async () => {
    const texts: Record<string, string> = { GB: 'VAT', CA: 'GST/HST', AU: 'GST' };
    for (const country of ['GB', 'CA', 'AU']) {
      const co = await createCompany(sim, { country });
      const { customerId, itemId } = await seedCustomerAndItem(co);
      const noCalc = await co.api('POST', '/invoice', invoiceBody(customerId, itemId, 10));
      assert.equal(
        firstError(noCalc.body).Detail,
        'Required parameter GlobalTaxCalculation is missing in the request',
      );
      const noCode = await co.api(
        'POST',
        '/invoice',
        invoiceBody(customerId, itemId, 10, { GlobalTaxCalculation: 'TaxExcluded' }),
      );
      assert.equal(firstError(noCode.body).code, '6000');
      assert.equal(
        firstError(noCode.body).Detail,
        `Business Validation Error: Make sure all your transactions have a ${texts[country]} rate before you save.`,
      );
      const codes = (await co.api('GET', `/query?query=${encodeURIComponent('select * from TaxCode')}`)).body
        .QueryResponse.TaxCode;
      assert.ok(codes.every((c: any) => /^\d+$/.test(c.Id)));
      const line = invoiceBody(customerId, itemId, 10, { GlobalTaxCalculation: 'TaxExcluded' }) as any;
      line.Line[0].SalesItemLineDetail.TaxCodeRef = { value: codes[0].Id };
      const ok = await co.api('POST', '/invoice', line);
      assert.equal(ok.status, 200, ok.text);
      assert.ok(ok.body.Invoice.TotalAmt > 10);
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSimulator } from '../../simulator/server';
import {
  createDesktopCompany,
  customerAdd,
  esc,
  invoiceAdd,
  seedDesktop,
  serviceAdd,
  type DesktopTestCompany,
} from './desktop-client';
import { control, startSimulator } from './sim-client';

let sim: RunningSimulator;
before(async () => {
  sim = await startSimulator();
});
after(async () => {
  await sim.close();
});

const customerMod = (listId: string, editSequence: string, inner: string) =>
  `<CustomerModRq requestID="1"><CustomerMod><ListID>${listId}</ListID><EditSequence>${editSequence}</EditSequence>${inner}</CustomerMod></CustomerModRq>`;

async function oneInvoice(co: DesktopTestCompany, opts: { date?: string; ref?: string } = {}) {
  const res = await co.qbxml(invoiceAdd('Acme', 'Consulting', opts));
  assert.equal(res.rs[0].statusCode, '0', res.raw);
  return res.rs[0].InvoiceRet[0];
}

describe('Desktop company file: lists', () => {
  it('CustomerAdd answers Status OK with a ListID, EditSequence and timestamps as Desktop writes them', async () => {
    const co = await createDesktopCompany(sim, { name: 'Lists Co' });
    const res = await co.qbxml(customerAdd('Acme & Sons', '7'));
    const [rs] = res.rs;
    assert.equal(rs.name, 'CustomerAddRs');
    assert.deepEqual(
      [rs.requestID, rs.statusCode, rs.statusSeverity, rs.statusMessage],
      ['7', '0', 'Info', 'Status OK'],
    );
    const ret = rs.CustomerRet[0];
    assert.match(ret.ListID, /^[0-9A-F]{8}-\d{10}$/);
    assert.match(ret.EditSequence, /^\d{10}$/);
    assert.match(ret.TimeCreated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-05:00$/);
    assert.equal(ret.Name, 'Acme & Sons');
    assert.equal(ret.IsActive, 'true');
    assert.equal((await co.records('customers'))[0].ListID, ret.ListID);
  });

  it('3100: a name is unique across customers, vendors, employees and other names, ignoring case', async () => {
    const co = await createDesktopCompany(sim);
    for (const [kind, name] of [
      ['vendors', 'Vendor Person'],
      ['employees', 'Emp Person'],
      ['other-names', 'Other Person'],
    ]) {
      await control(sim, 'POST', co.path(`/records/${kind}`), { Name: name });
      const res = await co.qbxml(customerAdd(name.toUpperCase()));
      assert.equal(res.rs[0].statusCode, '3100', kind);
      assert.equal(res.rs[0].statusSeverity, 'Error');
      assert.equal(
        res.rs[0].statusMessage,
        `The name "${name.toUpperCase()}" of the list element is already in use.`,
      );
    }
    assert.equal((await co.qbxml(customerAdd('Fresh'))).rs[0].statusCode, '0');
    assert.equal((await co.qbxml(customerAdd('fresh'))).rs[0].statusCode, '3100');
    // Items are a name space of their own.
    assert.equal((await co.qbxml(serviceAdd('Fresh'))).rs[0].statusCode, '0');
    assert.equal((await co.qbxml(serviceAdd('FRESH'))).rs[0].statusCode, '3100');
    assert.equal((await co.records('customers')).length, 1);
  });

  it('CustomerQuery: by ListID (unknown → 3120), FullName (unknown → 500 Warn), filters (none → 1), ActiveOnly by default', async () => {
    const co = await createDesktopCompany(sim);
    const { customerId } = await seedDesktop(co);
    await co.qbxml(customerAdd('Dormant'));
    const dormant = (await co.records('customers')).find((c) => c.Name === 'Dormant');
    await control(sim, 'PATCH', co.path(`/records/customers/${dormant.ListID}`), { IsActive: false });

    const byId = await co.qbxml(`<CustomerQueryRq><ListID>${customerId}</ListID></CustomerQueryRq>`);
    assert.equal(byId.rs[0].CustomerRet[0].Name, 'Acme');
    const unknownId = await co.qbxml(
      '<CustomerQueryRq requestID="2"><ListID>8000FFFF-1405768916</ListID></CustomerQueryRq>',
    );
    assert.deepEqual([unknownId.rs[0].statusCode, unknownId.rs[0].statusSeverity], ['3120', 'Error']);
    assert.equal(
      unknownId.rs[0].statusMessage,
      'Object "8000FFFF-1405768916" specified in the request cannot be found.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.',
    );
    const unknownName = await co.qbxml('<CustomerQueryRq><FullName>Nobody</FullName></CustomerQueryRq>');
    assert.deepEqual([unknownName.rs[0].statusCode, unknownName.rs[0].statusSeverity], ['500', 'Warn']);
    assert.match(
      unknownName.rs[0].statusMessage,
      /There was a required element \("Nobody"\) that could not be found/,
    );
    const active = await co.qbxml('<CustomerQueryRq><MaxReturned>10</MaxReturned></CustomerQueryRq>');
    assert.deepEqual(
      active.rs[0].CustomerRet.map((c: any) => c.Name),
      ['Acme'],
    );
    const all = await co.qbxml('<CustomerQueryRq><ActiveStatus>All</ActiveStatus></CustomerQueryRq>');
    assert.equal(all.rs[0].CustomerRet.length, 2);
    const inactiveByName = await co.qbxml('<CustomerQueryRq><FullName>dormant</FullName></CustomerQueryRq>');
    assert.equal(inactiveByName.rs[0].CustomerRet[0].IsActive, 'false');
    const none = await co.qbxml(
      '<CustomerQueryRq><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>Zed</Name></NameFilter></CustomerQueryRq>',
    );
    assert.deepEqual(
      [none.rs[0].statusCode, none.rs[0].statusSeverity, none.rs[0].statusMessage],
      ['1', 'Info', 'A query request did not find a matching object in QuickBooks'],
    );
  });

  it('CustomerMod: a stale EditSequence is 3200 and changes nothing; the current one saves and moves it on', async () => {
    const co = await createDesktopCompany(sim);
    const { customerId } = await seedDesktop(co);
    const [before] = await co.records('customers');
    await control(sim, 'PATCH', co.path(`/records/customers/${customerId}`), { Phone: '555-0100' });
    const stale = await co.qbxml(customerMod(customerId, before.EditSequence, '<Name>Acme Ltd</Name>'));
    assert.deepEqual([stale.rs[0].statusCode, stale.rs[0].statusSeverity], ['3200', 'Error']);
    assert.equal(
      stale.rs[0].statusMessage,
      `The provided edit sequence "${before.EditSequence}" is out-of-date.`,
    );
    const [current] = await co.records('customers');
    assert.equal(current.Name, 'Acme');
    assert.notEqual(current.EditSequence, before.EditSequence);
    const ok = await co.qbxml(
      customerMod(customerId, current.EditSequence, '<Name>Acme Ltd</Name><IsActive>false</IsActive>'),
    );
    assert.equal(ok.rs[0].statusCode, '0', ok.raw);
    const saved = ok.rs[0].CustomerRet[0];
    assert.deepEqual([saved.Name, saved.IsActive, saved.Phone], ['Acme Ltd', 'false', '555-0100']);
    assert.ok(Number(saved.EditSequence) > Number(current.EditSequence));
    const unknown = await co.qbxml(customerMod('80009999-1', '1', ''));
    assert.equal(unknown.rs[0].statusCode, '3120');
    await co.qbxml(customerAdd('Other'));
    const clash = await co.qbxml(customerMod(customerId, saved.EditSequence, '<Name>OTHER</Name>'));
    assert.equal(clash.rs[0].statusCode, '3100');
  });

  it('ItemServiceAdd / ItemNonInventoryAdd / ItemQuery; a missing or inactive account is 3140', async () => {
    const co = await createDesktopCompany(sim);
    assert.equal(
      (await co.qbxml(serviceAdd('Hours', '80.00'))).rs[0].ItemServiceRet[0].SalesOrPurchase.Price,
      '80.00',
    );
    const nonInv = await co.qbxml(
      '<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>Widget</Name><SalesOrPurchase><Desc>A widget</Desc><Price>5</Price><AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemNonInventoryAdd></ItemNonInventoryAddRq>',
    );
    assert.equal(nonInv.rs[0].ItemNonInventoryRet[0].SalesOrPurchase.Desc, 'A widget');
    const query = await co.qbxml('<ItemQueryRq></ItemQueryRq>');
    assert.deepEqual(
      Object.keys(query.rs[0])
        .filter((k) => k.endsWith('Ret'))
        .sort(),
      ['ItemNonInventoryRet', 'ItemServiceRet'],
    );
    const missing = await co.qbxml(serviceAdd('Ghost', '1.00', 'No Such Account'));
    assert.equal(missing.rs[0].statusCode, '3140');
    assert.match(
      missing.rs[0].statusMessage,
      /^There is an invalid reference to QuickBooks Account "No Such Account"/,
    );
    assert.match(missing.rs[0].statusMessage, /The specified record does not exist in the list\.$/);
    const sales = (await co.records('accounts')).find((a) => a.Name === 'Sales');
    await control(sim, 'PATCH', co.path(`/records/accounts/${sales.ListID}`), { IsActive: false });
    const inactive = await co.qbxml(serviceAdd('Ghost', '1.00', 'Sales'));
    assert.equal(inactive.rs[0].statusCode, '3140');
    assert.match(inactive.rs[0].statusMessage, /QuickBooks error message: This list element is inactive\.$/);
    assert.equal((await co.records('items')).length, 2);
  });
});

describe('Desktop company file: invoices and payments', () => {
  it('InvoiceAdd: 3140 for a missing or inactive customer or item; lines priced from the item', async () => {
    const co = await createDesktopCompany(sim);
    const { customerId, itemId } = await seedDesktop(co);
    const noCustomer = await co.qbxml(invoiceAdd('Nobody', 'Consulting'));
    assert.equal(noCustomer.rs[0].statusCode, '3140');
    assert.match(noCustomer.rs[0].statusMessage, /QuickBooks Customer "Nobody" in the Invoice\./);
    const noItem = await co.qbxml(invoiceAdd('Acme', 'Nothing'));
    assert.match(noItem.rs[0].statusMessage, /QuickBooks Item "Nothing" in the Invoice line\./);
    await control(sim, 'PATCH', co.path(`/records/items/${itemId}`), { IsActive: false });
    const inactiveItem = await co.qbxml(invoiceAdd('Acme', 'Consulting'));
    assert.equal(inactiveItem.rs[0].statusCode, '3140');
    assert.match(inactiveItem.rs[0].statusMessage, /This list element is inactive\./);
    await control(sim, 'PATCH', co.path(`/records/items/${itemId}`), { IsActive: true });
    await control(sim, 'PATCH', co.path(`/records/customers/${customerId}`), { IsActive: false });
    assert.equal((await co.qbxml(invoiceAdd('Acme', 'Consulting'))).rs[0].statusCode, '3140');
    await control(sim, 'PATCH', co.path(`/records/customers/${customerId}`), { IsActive: true });
    assert.equal((await co.records('invoices')).length, 0);
    const invoice = await oneInvoice(co, { ref: 'INV-9' });
    assert.deepEqual(
      [invoice.RefNumber, invoice.Subtotal, invoice.BalanceRemaining, invoice.IsPaid],
      ['INV-9', '100.00', '100.00', 'false'],
    );
    assert.equal(invoice.InvoiceLineRet[0].Rate, '100.00');
    assert.equal(invoice.CustomerRef.ListID, customerId);
  });

  it('InvoiceMod replaces the lines: a stored TxnLineID keeps its line, -1 adds one, lines not sent are gone', async () => {
    const co = await createDesktopCompany(sim);
    await seedDesktop(co);
    await co.qbxml(serviceAdd('Travel', '20.00'));
    const added = await co.qbxml(
      `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme</FullName></CustomerRef>` +
        `<InvoiceLineAdd><ItemRef><FullName>Consulting</FullName></ItemRef><Quantity>1</Quantity></InvoiceLineAdd>` +
        `<InvoiceLineAdd><ItemRef><FullName>Travel</FullName></ItemRef><Quantity>1</Quantity></InvoiceLineAdd>` +
        `</InvoiceAdd></InvoiceAddRq>`,
    );
    const inv = added.rs[0].InvoiceRet[0];
    const [first, second] = inv.InvoiceLineRet;
    const mod = (editSequence: string, lines: string) =>
      co.qbxml(
        `<InvoiceModRq><InvoiceMod><TxnID>${inv.TxnID}</TxnID><EditSequence>${editSequence}</EditSequence><Memo>changed</Memo>${lines}</InvoiceMod></InvoiceModRq>`,
      );
    const res = await mod(
      inv.EditSequence,
      `<InvoiceLineMod><TxnLineID>${first.TxnLineID}</TxnLineID><Quantity>3</Quantity></InvoiceLineMod>` +
        `<InvoiceLineMod><TxnLineID>-1</TxnLineID><Desc>Note only</Desc><Amount>7.50</Amount></InvoiceLineMod>`,
    );
    assert.equal(res.rs[0].statusCode, '0', res.raw);
    const lines = res.rs[0].InvoiceRet[0].InvoiceLineRet;
    assert.equal(lines.length, 2);
    assert.equal(lines[0].TxnLineID, first.TxnLineID);
    assert.deepEqual([lines[0].Quantity, lines[0].Amount], ['3', '300.00']);
    assert.notEqual(lines[1].TxnLineID, '-1');
    assert.notEqual(lines[1].TxnLineID, second.TxnLineID);
    assert.equal(lines[1].Amount, '7.50');
    assert.equal(res.rs[0].InvoiceRet[0].Subtotal, '307.50');
    assert.equal(res.rs[0].InvoiceRet[0].Memo, 'changed');
    const current = res.rs[0].InvoiceRet[0].EditSequence;
    // Without any InvoiceLineMod the lines stay as they are.
    const memoOnly = await mod(current, '');
    assert.equal(memoOnly.rs[0].InvoiceRet[0].InvoiceLineRet.length, 2);
    const badLine = await mod(
      memoOnly.rs[0].InvoiceRet[0].EditSequence,
      '<InvoiceLineMod><TxnLineID>FFFF-1</TxnLineID></InvoiceLineMod>',
    );
    assert.equal(badLine.rs[0].statusCode, '3120');
    const stale = await mod(current, '');
    assert.equal(stale.rs[0].statusCode, '3200');
    const unknown = await co.qbxml(
      '<InvoiceModRq><InvoiceMod><TxnID>FFFF-1</TxnID><EditSequence>1</EditSequence></InvoiceMod></InvoiceModRq>',
    );
    assert.equal(unknown.rs[0].statusCode, '3120');
  });

  it('InvoiceQuery: by TxnID, RefNumber, EntityFilter; lines only with IncludeLineItems', async () => {
    const co = await createDesktopCompany(sim);
    await seedDesktop(co);
    const inv = await oneInvoice(co, { ref: 'R-1' });
    await oneInvoice(co, { ref: 'R-2' });
    const byId = await co.qbxml(`<InvoiceQueryRq><TxnID>${inv.TxnID}</TxnID></InvoiceQueryRq>`);
    assert.equal(byId.rs[0].InvoiceRet[0].RefNumber, 'R-1');
    assert.equal(byId.rs[0].InvoiceRet[0].InvoiceLineRet, undefined);
    const withLines = await co.qbxml(
      `<InvoiceQueryRq><RefNumber>R-2</RefNumber><IncludeLineItems>true</IncludeLineItems></InvoiceQueryRq>`,
    );
    assert.equal(withLines.rs[0].InvoiceRet[0].InvoiceLineRet.length, 1);
    const byEntity = await co.qbxml(
      '<InvoiceQueryRq><EntityFilter><FullName>acme</FullName></EntityFilter></InvoiceQueryRq>',
    );
    assert.equal(byEntity.rs[0].InvoiceRet.length, 2);
    const missingRef = await co.qbxml('<InvoiceQueryRq><RefNumber>R-404</RefNumber></InvoiceQueryRq>');
    assert.equal(missingRef.rs[0].statusCode, '500');
    const missingId = await co.qbxml('<InvoiceQueryRq><TxnID>FFFF-1</TxnID></InvoiceQueryRq>');
    assert.equal(missingId.rs[0].statusCode, '3120');
  });

  it('ReceivePaymentAdd applies to invoices; overpaying is 3210; an unknown or foreign invoice is 3120; IsAutoApply', async () => {
    const co = await createDesktopCompany(sim);
    await seedDesktop(co);
    await co.qbxml(customerAdd('Other Customer'));
    const inv = await oneInvoice(co);
    const pay = (amount: string, txnId = inv.TxnID, customer = 'Acme', total = '') =>
      co.qbxml(
        `<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>${esc(customer)}</FullName></CustomerRef>` +
          `<RefNumber>CHK-1</RefNumber>${total}<PaymentMethodRef><FullName>Check</FullName></PaymentMethodRef>` +
          `<AppliedToTxnAdd><TxnID>${txnId}</TxnID><PaymentAmount>${amount}</PaymentAmount></AppliedToTxnAdd>` +
          `</ReceivePaymentAdd></ReceivePaymentAddRq>`,
      );
    const over = await pay('129.43');
    assert.deepEqual([over.rs[0].statusCode, over.rs[0].statusSeverity], ['3210', 'Error']);
    assert.equal(
      over.rs[0].statusMessage,
      'The "AppliedToTxnAdd payment amount" field has an invalid value "129.43".  QuickBooks error message: You cannot pay more than the amount due.',
    );
    assert.equal((await pay('10.00', 'FFFF-1')).rs[0].statusCode, '3120');
    assert.equal((await pay('10.00', inv.TxnID, 'Other Customer')).rs[0].statusCode, '3120');
    assert.equal(
      (await pay('10.00', inv.TxnID, 'Acme', '<TotalAmount>5.00</TotalAmount>')).rs[0].statusCode,
      '3210',
    );
    assert.equal((await co.records('payments')).length, 0);
    const part = await pay('40.00');
    assert.equal(part.rs[0].statusCode, '0', part.raw);
    const ret = part.rs[0].ReceivePaymentRet[0];
    assert.deepEqual(
      [ret.TotalAmount, ret.UnusedPayment, ret.AppliedToTxnRet[0].Amount],
      ['40.00', '0.00', '40.00'],
    );
    assert.equal(ret.DepositToAccountRef.FullName, 'Undeposited Funds');
    const [invoice] = await co.records('invoices');
    assert.deepEqual(
      [invoice.BalanceRemaining, invoice.AppliedAmount, invoice.IsPaid],
      ['60.00', '-40.00', 'false'],
    );
    const auto = await co.qbxml(
      '<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Acme</FullName></CustomerRef><TotalAmount>75.00</TotalAmount><IsAutoApply>true</IsAutoApply></ReceivePaymentAdd></ReceivePaymentAddRq>',
    );
    assert.equal(auto.rs[0].ReceivePaymentRet[0].UnusedPayment, '15.00');
    const [paid] = await co.records('invoices');
    assert.equal(paid.IsPaid, 'true');
    const [acme] = (await co.records('customers')).filter((c) => c.Name === 'Acme');
    assert.equal(acme.Balance, '-15.00');
    const query = await co.qbxml(
      '<ReceivePaymentQueryRq><RefNumber>CHK-1</RefNumber></ReceivePaymentQueryRq>',
    );
    assert.equal(query.rs[0].ReceivePaymentRet.length, 1);
  });

  it('closing date: transactions dated on or before it are refused, Mods of them too; after it they save', async () => {
    const co = await createDesktopCompany(sim, { closingDate: '2026-06-30' });
    await seedDesktop(co);
    const closed = await co.qbxml(invoiceAdd('Acme', 'Consulting', { date: '2026-06-30' }));
    assert.deepEqual([closed.rs[0].statusCode, closed.rs[0].statusSeverity], ['3180', 'Error']);
    assert.match(closed.rs[0].statusMessage, /on or before the closing date \(2026-06-30\)/);
    const open = await oneInvoice(co, { date: '2026-07-01' });
    const intoClosed = await co.qbxml(
      `<InvoiceModRq><InvoiceMod><TxnID>${open.TxnID}</TxnID><EditSequence>${open.EditSequence}</EditSequence><TxnDate>2026-06-01</TxnDate></InvoiceMod></InvoiceModRq>`,
    );
    assert.equal(intoClosed.rs[0].statusCode, '3180');
    const payment = await co.qbxml(
      `<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Acme</FullName></CustomerRef><TxnDate>2026-01-05</TxnDate><TotalAmount>1.00</TotalAmount></ReceivePaymentAdd></ReceivePaymentAddRq>`,
    );
    assert.equal(payment.rs[0].statusCode, '3180');
    await control(sim, 'PUT', co.path('/closing-date'), { closingDate: '2026-07-31' });
    const nowClosed = await co.qbxml(
      `<InvoiceModRq><InvoiceMod><TxnID>${open.TxnID}</TxnID><EditSequence>${open.EditSequence}</EditSequence><Memo>x</Memo></InvoiceMod></InvoiceModRq>`,
    );
    assert.equal(nowClosed.rs[0].statusCode, '3180');
    await control(sim, 'PUT', co.path('/closing-date'), { closingDate: null });
    assert.equal(
      (await co.qbxml(invoiceAdd('Acme', 'Consulting', { date: '2026-06-30' }))).rs[0].statusCode,
      '0',
    );
  });
});

describe('Desktop company file: the other requests a sync sends', () => {
  it('ItemServiceMod, ReceivePaymentMod, TxnVoid, IncludeLinkedTxns, AccountQuery, CompanyQuery, PreferencesQuery', async () => {
    const co = await createDesktopCompany(sim, { name: 'More Co' });
    const { itemId } = await seedDesktop(co);
    const [item] = await co.records('items');
    const itemMod = (editSequence: string) =>
      co.qbxml(
        `<ItemServiceModRq><ItemServiceMod><ListID>${itemId}</ListID><EditSequence>${editSequence}</EditSequence><SalesOrPurchaseMod><Price>120.00</Price></SalesOrPurchaseMod></ItemServiceMod></ItemServiceModRq>`,
      );
    const modded = await itemMod(item.EditSequence);
    assert.equal(modded.rs[0].ItemServiceRet[0].SalesOrPurchase.Price, '120.00', modded.raw);
    assert.equal((await itemMod(item.EditSequence)).rs[0].statusCode, '3200');

    const first = await oneInvoice(co);
    const second = await oneInvoice(co);
    const added = await co.qbxml(
      `<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Acme</FullName></CustomerRef><TotalAmount>150.00</TotalAmount>` +
        `<AppliedToTxnAdd><TxnID>${first.TxnID}</TxnID><PaymentAmount>100.00</PaymentAmount></AppliedToTxnAdd>` +
        `<AppliedToTxnAdd><TxnID>${second.TxnID}</TxnID><PaymentAmount>50.00</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>`,
    );
    const payment = added.rs[0].ReceivePaymentRet[0];
    const linked = await co.qbxml(
      `<InvoiceQueryRq><TxnID>${first.TxnID}</TxnID><IncludeLinkedTxns>true</IncludeLinkedTxns></InvoiceQueryRq>`,
    );
    assert.deepEqual(
      [linked.rs[0].InvoiceRet[0].LinkedTxn.TxnID, linked.rs[0].InvoiceRet[0].LinkedTxn.Amount],
      [payment.TxnID, '-100.00'],
    );
    const paymentMod = await co.qbxml(
      `<ReceivePaymentModRq><ReceivePaymentMod><TxnID>${payment.TxnID}</TxnID><EditSequence>${payment.EditSequence}</EditSequence>` +
        `<AppliedToTxnMod><TxnID>${second.TxnID}</TxnID><PaymentAmount>100.00</PaymentAmount></AppliedToTxnMod></ReceivePaymentMod></ReceivePaymentModRq>`,
    );
    const modPayment = paymentMod.rs[0].ReceivePaymentRet[0];
    assert.equal(modPayment.AppliedToTxnRet.length, 1, paymentMod.raw);
    assert.deepEqual(
      [modPayment.AppliedToTxnRet[0].TxnID, modPayment.UnusedPayment],
      [second.TxnID, '50.00'],
    );
    const stalePayment = await co.qbxml(
      `<ReceivePaymentModRq><ReceivePaymentMod><TxnID>${payment.TxnID}</TxnID><EditSequence>${payment.EditSequence}</EditSequence></ReceivePaymentMod></ReceivePaymentModRq>`,
    );
    assert.equal(stalePayment.rs[0].statusCode, '3200');

    const voided = await co.qbxml(
      `<TxnVoidRq requestID="v"><TxnVoidType>Invoice</TxnVoidType><TxnID>${second.TxnID}</TxnID></TxnVoidRq>`,
    );
    assert.deepEqual([voided.rs[0].statusCode, voided.rs[0].TxnID], ['0', second.TxnID]);
    const invoices = await co.records('invoices');
    const gone = invoices.find((i) => i.TxnID === second.TxnID);
    assert.deepEqual([gone.Subtotal, gone.Memo], ['0.00', 'VOID:']);
    assert.equal((await co.records('payments'))[0].UnusedPayment, '150.00');
    assert.equal(
      (await co.qbxml('<TxnVoidRq><TxnVoidType>Invoice</TxnVoidType><TxnID>FFFF-1</TxnID></TxnVoidRq>')).rs[0]
        .statusCode,
      '3120',
    );

    const accounts = await co.qbxml(
      '<AccountQueryRq><FullName>Undeposited Funds</FullName></AccountQueryRq>',
    );
    assert.equal(accounts.rs[0].AccountRet[0].AccountType, 'OtherCurrentAsset');
    const company = await co.qbxml('<CompanyQueryRq/><PreferencesQueryRq/>');
    assert.equal(company.rs[0].CompanyRet[0].CompanyName, 'More Co');
    assert.equal(company.rs[1].PreferencesRet[0].MultiCurrencyPreferences.IsMultiCurrencyOn, 'false');
  });
});

describe('Desktop company file: message sets and the request processor', () => {
  it('stopOnError skips the rest, continueOnError goes on, rollbackOnError undoes what was applied', async () => {
    const co = await createDesktopCompany(sim);
    const stop = await co.qbxml(customerAdd('A', '1') + customerAdd('A', '2') + customerAdd('B', '3'));
    assert.deepEqual(
      stop.rs.map((r) => r.statusCode),
      ['0', '3100'],
    );
    const cont = await co.qbxml(customerAdd('A', '1') + customerAdd('C', '2'), 'continueOnError');
    assert.deepEqual(
      cont.rs.map((r) => r.statusCode),
      ['3100', '0'],
    );
    const roll = await co.qbxml(customerAdd('D', '1') + customerAdd('A', '2'), 'rollbackOnError');
    assert.deepEqual(
      roll.rs.map((r) => r.statusCode),
      ['0', '3100'],
    );
    assert.deepEqual((await co.records('customers')).map((c) => c.Name).sort(), ['A', 'C']);
  });

  it('a stream that is not valid qbXML is refused whole with HRESULT 0x80040400 and nothing applied', async () => {
    const co = await createDesktopCompany(sim);
    await seedDesktop(co);
    const refusedBodies = [
      customerAdd('First') + '<CustomerAddRq><CustomerAdd></CustomerAdd></CustomerAddRq>',
      customerAdd('First') + '<BillAddRq><BillAdd/></BillAddRq>',
      customerAdd('First') +
        '<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Acme</FullName></CustomerRef><IsAutoApply>true</IsAutoApply><AppliedToTxnAdd><TxnID>1</TxnID><PaymentAmount>1</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>',
      customerAdd('First') + invoiceAdd('Acme', 'Consulting', { date: '2026-02-30' }),
    ];
    for (const inner of refusedBodies) {
      const res = await co.qbxml(inner);
      assert.equal(res.httpStatus, 400, inner);
      assert.equal(res.body.error.hresult, '0x80040400');
      assert.equal(
        res.body.error.message,
        'QuickBooks found an error when parsing the provided XML text stream.',
      );
    }
    const raw = (body: string) =>
      fetch(`${sim.url}${co.path('/qbxml')}`, { method: 'POST', body }).then((r) => r.status);
    assert.equal(await raw('not xml at all'), 400);
    assert.equal(
      await raw('<QBXML><QBXMLMsgsRq onError="stopOnError">' + customerAdd('X') + '</QBXMLMsgsRq></QBXML>'),
      400,
    );
    assert.equal(
      await raw('<?qbxml version="13.0"?><QBXML><QBXMLMsgsRq>' + customerAdd('X') + '</QBXMLMsgsRq></QBXML>'),
      400,
    );
    assert.deepEqual(
      (await co.records('customers')).map((c) => c.Name),
      ['Acme'],
    );
  });
});

describe('Desktop company file: faults and control routes', () => {
  it('list-locked answers 3170/3175/3176/3180 for the next N matching requests without applying them', async () => {
    const co = await createDesktopCompany(sim);
    const expected: Record<number, RegExp> = {
      3170: /QuickBooks error message: The internals could not be locked\. {2}They are in use by another user\.$/,
      3175: /because it is already in use\. {2}QuickBooks error message: The transaction could not be locked\./,
      3176: / {2}QuickBooks error message: The application failed to acquire the lock\.$/,
      3180: /^There was an error when saving a Customer list, element "Locked 3180"\. {2}QuickBooks error message: This list has been modified by another user\.$/,
    };
    for (const code of [3170, 3175, 3176, 3180]) {
      await control(sim, 'POST', co.path('/faults'), {
        kind: 'list-locked',
        code,
        times: 2,
        match: { request: 'CustomerAdd' },
      });
      // A query is not matched, so it is not refused and does not use up the fault.
      assert.equal((await co.qbxml('<CustomerQueryRq/>')).rs[0].statusSeverity, 'Info');
      for (let i = 0; i < 2; i++) {
        const res = await co.qbxml(customerAdd(`Locked ${code}`));
        assert.deepEqual([res.rs[0].statusCode, res.rs[0].statusSeverity], [String(code), 'Error']);
        assert.match(res.rs[0].statusMessage, expected[code]);
      }
      assert.equal((await co.qbxml(customerAdd(`Locked ${code}`))).rs[0].statusCode, '0');
    }
    assert.equal((await co.records('customers')).length, 4);
  });

  it('stale-edit-sequence: a person edits the record first, so the Mod gets 3200 and a re-read has the new EditSequence', async () => {
    const co = await createDesktopCompany(sim);
    await seedDesktop(co);
    const inv = await oneInvoice(co);
    await control(sim, 'POST', co.path('/faults'), {
      kind: 'stale-edit-sequence',
      match: { request: 'InvoiceMod' },
    });
    const modify = (editSequence: string) =>
      co.qbxml(
        `<InvoiceModRq><InvoiceMod><TxnID>${inv.TxnID}</TxnID><EditSequence>${editSequence}</EditSequence><Memo>ours</Memo></InvoiceMod></InvoiceModRq>`,
      );
    const first = await modify(inv.EditSequence);
    assert.equal(first.rs[0].statusCode, '3200');
    const reread = await co.qbxml(`<InvoiceQueryRq><TxnID>${inv.TxnID}</TxnID></InvoiceQueryRq>`);
    const fresh = reread.rs[0].InvoiceRet[0].EditSequence;
    assert.notEqual(fresh, inv.EditSequence);
    const second = await modify(fresh);
    assert.equal(second.rs[0].statusCode, '0');
    assert.equal(second.rs[0].InvoiceRet[0].Memo, 'ours');
  });

  it('refused: 3250/3260/3261 with their messages', async () => {
    const co = await createDesktopCompany(sim);
    await control(sim, 'POST', co.path('/faults'), { kind: 'refused', code: 3260 });
    const res = await co.qbxml(customerAdd('Nope'));
    assert.deepEqual(
      [res.rs[0].statusCode, res.rs[0].statusMessage],
      ['3260', 'Insufficient permission level to perform this action.'],
    );
    await control(sim, 'DELETE', co.path('/faults'));
    assert.equal((await co.qbxml(customerAdd('Nope'))).rs[0].statusCode, '0');
  });

  it('control routes validate their bodies (400 with the field) and know their ids (404)', async () => {
    const co = await createDesktopCompany(sim);
    const post = (path: string, body: unknown, method = 'POST') =>
      fetch(`${sim.url}${path}`, { method, body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        body: await r.json(),
      }));
    const badFault = await post(co.path('/faults'), { kind: 'list-locked', code: 3999 });
    assert.equal(badFault.status, 400);
    assert.equal(badFault.body.error.fields[0].path, 'code');
    const badConnector = await post(
      co.path('/connector'),
      { appUrl: 'ftp://x', username: 'u', password: 'p' },
      'PUT',
    );
    assert.equal(badConnector.status, 400);
    assert.equal(badConnector.body.error.fields[0].path, 'appUrl');
    const badEdit = await post(co.path('/records/customers/x'), { Nope: 1 }, 'PATCH');
    assert.equal(badEdit.status, 404);
    await control(sim, 'POST', co.path('/records/customers'), { Name: 'Typed' });
    const [typed] = await co.records('customers');
    const unknownField = await post(co.path(`/records/customers/${typed.ListID}`), { Nope: 1 }, 'PATCH');
    assert.equal(unknownField.status, 400);
    assert.equal((await post('/_sim/desktop/companies/nope/faults', { kind: 'drop-session' })).status, 404);
    assert.equal((await post(co.path('/connector/poll'), {})).status, 409);
    assert.equal((await post(co.path('/closing-date'), { closingDate: '31/12/2026' }, 'PUT')).status, 400);
  });
});

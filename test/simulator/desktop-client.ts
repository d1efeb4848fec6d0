import { XMLParser } from 'fast-xml-parser';
import type { RunningSimulator } from '../../simulator/server';
import { control } from './sim-client';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  isArray: (name) => name !== 'QBXMLMsgsRs' && (name.endsWith('Ret') || name.endsWith('Rs')),
});
const ordered = new XMLParser({ preserveOrder: true });

/** Every `…Rs` of a response message set in document order, with its status attributes and rets. */
function responsesOf(raw: string): any[] {
  const msgs = parser.parse(raw).QBXML.QBXMLMsgsRs as Record<string, any[]>;
  const root = (ordered.parse(raw) as any[]).find((n) => n.QBXML).QBXML;
  const names: string[] = root.find((n: any) => n.QBXMLMsgsRs).QBXMLMsgsRs.map((n: any) => Object.keys(n)[0]);
  const seen: Record<string, number> = {};
  return names.map((name) => ({ name, ...msgs[name][(seen[name] = (seen[name] ?? -1) + 1)] }));
}

/** A qbXML 13.0 request message set around `inner`. */
export function qbxmlSet(inner: string, onError = 'stopOnError'): string {
  return `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="${onError}">${inner}</QBXMLMsgsRq></QBXML>`;
}

/** A Desktop company created through the control surface, with helpers to run qbXML and read records. */
export interface DesktopTestCompany {
  companyId: string;
  filePath: string;
  /** Posts a qbXML message set; returns every `…Rs` in order with its status attributes and rets. */
  qbxml(inner: string, onError?: string): Promise<{ httpStatus: number; rs: any[]; raw: string; body?: any }>;
  records(kind: string): Promise<any[]>;
  path(suffix?: string): string;
}

export async function createDesktopCompany(
  sim: RunningSimulator,
  body: Record<string, unknown> = {},
): Promise<DesktopTestCompany> {
  const created = await control(sim, 'POST', '/_sim/desktop/companies', body);
  const path = (suffix = '') => `/_sim/desktop/companies/${created.companyId}${suffix}`;
  return {
    companyId: created.companyId,
    filePath: created.filePath,
    path,
    async qbxml(inner, onError) {
      const res = await fetch(`${sim.url}${path('/qbxml')}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: qbxmlSet(inner, onError),
      });
      const raw = await res.text();
      if (res.status !== 200) return { httpStatus: res.status, rs: [], raw, body: JSON.parse(raw) };
      return { httpStatus: 200, rs: responsesOf(raw), raw };
    },
    async records(kind) {
      return (await control(sim, 'GET', path(`/records/${kind}`))).records;
    },
  };
}

/** Escapes text for a qbXML element. */
export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const customerAdd = (name: string, id = '1') =>
  `<CustomerAddRq requestID="${id}"><CustomerAdd><Name>${esc(name)}</Name></CustomerAdd></CustomerAddRq>`;

export const serviceAdd = (name: string, price = '100.00', account = 'Services', id = '1') =>
  `<ItemServiceAddRq requestID="${id}"><ItemServiceAdd><Name>${esc(name)}</Name><SalesOrPurchase><Price>${price}</Price><AccountRef><FullName>${account}</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>`;

export const invoiceAdd = (
  customer: string,
  item: string,
  opts: { date?: string; ref?: string; qty?: number } = {},
) =>
  `<InvoiceAddRq requestID="1"><InvoiceAdd><CustomerRef><FullName>${esc(customer)}</FullName></CustomerRef>` +
  (opts.date ? `<TxnDate>${opts.date}</TxnDate>` : '') +
  (opts.ref ? `<RefNumber>${opts.ref}</RefNumber>` : '') +
  `<InvoiceLineAdd><ItemRef><FullName>${esc(item)}</FullName></ItemRef><Quantity>${opts.qty ?? 1}</Quantity></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`;

/** Creates a customer and a service item through qbXML; throws unless both succeed. */
export async function seedDesktop(company: DesktopTestCompany, customer = 'Acme', item = 'Consulting') {
  const res = await company.qbxml(customerAdd(customer, '1') + serviceAdd(item, '100.00', 'Services', '2'));
  if (res.rs.some((r) => r.statusCode !== '0')) throw new Error(`seed failed: ${res.raw}`);
  return {
    customerId: res.rs[0].CustomerRet[0].ListID as string,
    itemId: res.rs[1].ItemServiceRet[0].ListID as string,
  };
}

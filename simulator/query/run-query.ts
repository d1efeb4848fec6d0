import { faults } from '../qbo-error';
import type { Company, QboObject } from '../state';
import { ENTITY_NAMES } from '../state';
import { companyInfoOf, preferencesOf } from '../company-views';
import { compareToLiteral, matchesLike, readField } from './field-values';
import { parseQuery, type ParsedQuery, type QueryCondition } from './parse-query';

const QUERYABLE = [...ENTITY_NAMES, 'Preferences', 'CompanyInfo'];
const HAS_ACTIVE = new Set(['Customer', 'Item', 'Account', 'TaxCode', 'TaxRate']);

/**
 * Resolves the entity named in a query. QuickBooks documents entity names as case-sensitive, yet
 * node-quickbooks sends `from customer` / `from taxCode` and works against it, so the exact name and
 * the lower-cased or camel-cased forms are accepted; any other casing is a parse error.
 */
function resolveEntity(name: string): string {
  const found = QUERYABLE.find(
    (e) => e === name || e.toLowerCase() === name || e[0].toLowerCase() + e.slice(1) === name,
  );
  if (!found) throw faults.queryParser(`" <ID> "${name} "" at line 1. Unknown entity ${name}.`);
  return found;
}

function matches(data: QboObject, condition: QueryCondition): boolean {
  const stored = readField(data, condition.field);
  const { op, value } = condition;
  if (op === 'IN') return (value as unknown[]).some((v) => compareToLiteral(stored, v as string) === 0);
  if (op === 'LIKE') return matchesLike(stored, String(value));
  const c = compareToLiteral(stored, value as string);
  if (Number.isNaN(c)) return false;
  return op === '=' ? c === 0 : op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
}

function candidates(company: Company, entity: string): QboObject[] {
  if (entity === 'Preferences') return [preferencesOf(company)];
  if (entity === 'CompanyInfo') return [companyInfoOf(company)];
  return Object.values(company.records[entity as keyof Company['records']])
    .filter((r) => !r.deleted)
    .map((r) => r.data);
}

function sortRows(rows: QboObject[], query: ParsedQuery): QboObject[] {
  const field = query.orderBy?.field ?? 'Id';
  const direction = query.orderBy?.desc ? -1 : 1;
  return rows.sort((a, b) => {
    const x = readField(a, field);
    const y = readField(b, field);
    if (x === y) return 0;
    if (x === undefined || x === null) return -direction;
    if (y === undefined || y === null) return direction;
    const c = compareToLiteral(x, typeof y === 'number' || typeof y === 'boolean' ? y : String(y));
    return (Number.isNaN(c) ? 0 : c) * direction;
  });
}

/** Runs a query against a company and returns the `QueryResponse` object QuickBooks would. Throws 4000/4001. */
export function runQuery(company: Company, text: string): QboObject {
  const query = parseQuery(text);
  const entity = resolveEntity(query.entity);
  const mentionsActive = query.where.some((c) => c.field.toLowerCase() === 'active');
  let rows = candidates(company, entity).filter((data) => query.where.every((c) => matches(data, c)));
  if (HAS_ACTIVE.has(entity) && !mentionsActive) rows = rows.filter((data) => data.Active !== false);
  if (query.count) return { totalCount: rows.length };
  const page = sortRows(rows, query).slice(
    query.startPosition - 1,
    query.startPosition - 1 + query.maxResults,
  );
  if (page.length === 0) return {};
  return { [entity]: page, startPosition: query.startPosition, maxResults: page.length };
}

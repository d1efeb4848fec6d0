import type { HandlerResult } from './handler';
import { child, many, QbxmlParseError, text, type Element } from './qbxml-request';
import { parseDate } from './qbxml-values';
import { elementNotFound, NO_MATCH, objectNotFound, STATUS_OK } from './status';

interface Listed {
  ListID: string;
  Name: string;
  IsActive: boolean;
  TimeModified: string;
}

const texts = (values: (string | Element)[], field: string) =>
  values.map((v) => {
    if (typeof v !== 'string') throw new QbxmlParseError(`${field} must be text`);
    return v;
  });

/**
 * A list query (CustomerQuery, ItemQuery…): `ListID`s, or `FullName`s, or filters (`MaxReturned`,
 * `ActiveStatus` defaulting to ActiveOnly, `FromModifiedDate`/`ToModifiedDate`, `NameFilter`). An unknown ListID
 * is 3120, an unknown FullName a 500 warning with the ones found, filters that match nothing status 1.
 */
export function runListQuery<T extends Listed>(
  body: Element,
  records: T[],
  toRet: (r: T) => { tag: string; value: Record<string, unknown> },
): HandlerResult {
  const listIds = texts(many(body.ListID), 'ListID');
  const fullNames = texts(many(body.FullName), 'FullName');
  if (listIds.length > 0) {
    const found = listIds.map((id) => records.find((r) => r.ListID === id));
    const missing = listIds.find((_, i) => !found[i]);
    if (missing !== undefined) return { status: objectNotFound(missing), rets: [] };
    return { status: STATUS_OK, rets: (found as T[]).map(toRet) };
  }
  if (fullNames.length > 0) {
    const found = fullNames.map((n) => records.find((r) => r.Name.toLowerCase() === n.toLowerCase()));
    const missing = fullNames.find((_, i) => !found[i]);
    const rets = found.filter((r): r is T => r !== undefined).map(toRet);
    return { status: missing !== undefined ? elementNotFound(missing) : STATUS_OK, rets };
  }
  const active = text(body, 'ActiveStatus') ?? 'ActiveOnly';
  if (!['ActiveOnly', 'InactiveOnly', 'All'].includes(active))
    throw new QbxmlParseError(`ActiveStatus ${active}`);
  const from = text(body, 'FromModifiedDate');
  const to = text(body, 'ToModifiedDate');
  const nameFilter = child(body, 'NameFilter');
  const criterion = nameFilter ? text(nameFilter, 'MatchCriterion') : undefined;
  const wanted = nameFilter ? (text(nameFilter, 'Name') ?? '').toLowerCase() : '';
  const max = Number(text(body, 'MaxReturned') ?? Infinity);
  const matches = records.filter((r) => {
    if (active === 'ActiveOnly' && !r.IsActive) return false;
    if (active === 'InactiveOnly' && r.IsActive) return false;
    if (from && Date.parse(r.TimeModified) < Date.parse(modifiedBound(from))) return false;
    if (to && Date.parse(r.TimeModified) > Date.parse(modifiedBound(to))) return false;
    const name = r.Name.toLowerCase();
    if (criterion === 'StartsWith' && !name.startsWith(wanted)) return false;
    if (criterion === 'Contains' && !name.includes(wanted)) return false;
    if (criterion === 'EndsWith' && !name.endsWith(wanted)) return false;
    return true;
  });
  const rets = matches.slice(0, max).map(toRet);
  return { status: rets.length ? STATUS_OK : NO_MATCH, rets };
}

/** A DATETIMETYPE bound; a date alone means that day's midnight on the PC. */
export function modifiedBound(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${parseDate(value, 'date')}T00:00:00-05:00`;
  if (Number.isNaN(Date.parse(value))) throw new QbxmlParseError(`not a DATETIMETYPE: ${value}`);
  return value;
}

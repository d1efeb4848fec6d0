import { QbxmlParseError } from './qbxml-request';

/** Schema types the processor validates before QuickBooks sees a request; a bad value is a parse error. */
export function parseAmount(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(value.trim()))
    throw new QbxmlParseError(`${field} is not an AMTTYPE: ${value}`);
  return Number(value);
}

export function parseQuantity(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(value.trim()))
    throw new QbxmlParseError(`${field} is not a QUANTYPE: ${value}`);
  return Number(value);
}

export function parseBool(value: string | undefined, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new QbxmlParseError(`${field} is not a BOOLTYPE: ${value}`);
}

export function parseDate(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const day = new Date(`${value}T00:00:00Z`);
  const valid =
    match &&
    !Number.isNaN(day.getTime()) &&
    day.toISOString().slice(0, 10) === value &&
    Number(match[1]) >= 1901;
  if (!valid) throw new QbxmlParseError(`${field} is not a DATETYPE: ${value}`);
  return value;
}

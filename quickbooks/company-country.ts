/** ISO 3166 alpha-3 codes (and the long name QuickBooks once returned) of the countries QuickBooks Online serves. */
const ALPHA2: Record<string, string> = {
  USA: 'US',
  'UNITED STATES': 'US',
  GBR: 'GB',
  'UNITED KINGDOM': 'GB',
  CAN: 'CA',
  CANADA: 'CA',
  AUS: 'AU',
  AUSTRALIA: 'AU',
};

/**
 * The company's country as an ISO alpha-2 code from its CompanyInfo: the top-level `Country` (alpha-2),
 * else the company address's, which QuickBooks returns as alpha-3 (`USA`) since October 2025. Null when
 * neither is there.
 */
export function companyCountryOf(info: { Country?: unknown; CompanyAddr?: { Country?: unknown } } | null) {
  const raw = info?.Country ?? info?.CompanyAddr?.Country;
  if (typeof raw !== 'string' || !raw.trim()) return null;
  const code = raw.trim().toUpperCase();
  return ALPHA2[code] ?? code;
}

/**
 * Tax categories every company understands without a mapping, and the US sales tax code each one sends.
 * US companies' line tax codes are the literal ids TAX and NON; every other company's are numeric ids.
 */
export const builtInTaxCodes: Readonly<Record<string, string>> = { taxable: 'TAX', exempt: 'NON' };

/** The literal (non-numeric) tax code ids US companies use on lines. */
export const literalTaxCodeIds: readonly string[] = [...new Set(Object.values(builtInTaxCodes))];

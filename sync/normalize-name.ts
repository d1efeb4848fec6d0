/**
 * The form of a name used to decide whether two names are the same party: trimmed, spaces collapsed,
 * curly quotes and dashes straightened, case-folded, and "&" read as "and" (QuickBooks itself can see
 * "A & B" and "A and B" as the same name).
 */
export function normalizeName(name: string | null | undefined): string {
  return (name ?? '')
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/&/g, ' and ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLocaleLowerCase('en-US');
}

/** Email addresses compared case-insensitively; a missing side does not count as a difference. */
export function sameEmailOrMissing(a: string | null | undefined, b: string | null | undefined): boolean {
  const x = (a ?? '').trim().toLowerCase();
  const y = (b ?? '').trim().toLowerCase();
  return !x || !y || x === y;
}

/**
 * What may be said about a Postgres error: its SQLSTATE, class and the names involved, never the query,
 * its parameters or the message (Postgres quotes offending values in messages, and drizzle's wrapper
 * carries the SQL with every parameter — encrypted tokens included).
 */
export interface DatabaseErrorSummary {
  sqlstate: string;
  /** The SQLSTATE class in words, e.g. `data exception`. */
  kind: string;
  table?: string;
  column?: string;
  constraint?: string;
}

const classes: Record<string, string> = {
  '08': 'connection exception',
  '22': 'data exception',
  '23': 'integrity constraint violation',
  '25': 'invalid transaction state',
  '3D': 'invalid catalog name',
  '40': 'transaction rollback',
  '42': 'syntax error or access rule violation',
  '53': 'insufficient resources',
  '57': 'operator intervention',
};

/** The Postgres error inside `err` (itself or a `cause`, as drizzle wraps it), summarised; null if none. */
export function summarizeDatabaseError(err: unknown): DatabaseErrorSummary | null {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const candidate = e as Record<string, unknown>;
    if (
      typeof candidate.code === 'string' &&
      /^[0-9A-Z]{5}$/.test(candidate.code) &&
      (candidate.name === 'PostgresError' || typeof candidate.severity === 'string')
    ) {
      const sqlstate = candidate.code;
      const named = (key: string) =>
        typeof candidate[key] === 'string' ? (candidate[key] as string) : undefined;
      return {
        sqlstate,
        kind: classes[sqlstate.slice(0, 2)] ?? 'error',
        ...(named('table_name') ? { table: named('table_name') } : {}),
        ...(named('column_name') ? { column: named('column_name') } : {}),
        ...(named('constraint_name') ? { constraint: named('constraint_name') } : {}),
      };
    }
    e = candidate.cause;
  }
  return null;
}

/**
 * True when the database refused the data itself, so the same write can never succeed: every data
 * exception (class 22: NUL bytes, out-of-range numbers, bad encodings) and the integrity violations
 * (class 23) except a unique violation, which a concurrent writer causes and a retry resolves.
 */
export function isDatabaseInputError(summary: DatabaseErrorSummary): boolean {
  const cls = summary.sqlstate.slice(0, 2);
  return cls === '22' || (cls === '23' && summary.sqlstate !== '23505');
}

/** A one-line description without SQL or values. */
export function describeDatabaseError(summary: DatabaseErrorSummary): string {
  const where = [summary.table, summary.column].filter(Boolean).join('.');
  return `database ${summary.kind} (SQLSTATE ${summary.sqlstate}${where ? `, ${where}` : ''}${summary.constraint ? `, constraint ${summary.constraint}` : ''})`;
}

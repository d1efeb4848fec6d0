import { drizzle } from 'drizzle-orm/postgres-js';
import postgres, { type Sql, type TransactionSql } from 'postgres';
import * as schema from './schema';

/** Opens a pooled connection; `close()` ends it. */
export function createDb(url: string, options: { max?: number } = {}) {
  const sql = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  const db = drizzle(preparing(sql), { schema, casing: 'snake_case' });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/**
 * The client drizzle gets: every query with parameters runs as a statement prepared once per
 * connection. drizzle sends its queries unprepared, and postgres.js then asks the server for the
 * parameter types before each one (Parse/Describe, a round trip) and only then binds it: two round
 * trips and two socket writes per query, the largest single cost of an enqueue (bench/RESULTS.md).
 * A transaction (and a savepoint inside it) runs on a client of its own, which gets the same treatment.
 * Queries without parameters keep the simple protocol (several statements may share one string).
 * postgres.js keeps a connection's statements until the connection ends (max_lifetime recycles it).
 */
function preparing<S extends Sql | TransactionSql>(sql: S): S {
  const unsafe = sql.unsafe.bind(sql);
  const patched: Partial<Record<'unsafe' | 'begin' | 'savepoint', unknown>> = {
    unsafe: ((query, args, opts) => unsafe(query, args, { ...opts, prepare: true })) as Sql['unsafe'],
  };
  for (const name of ['begin', 'savepoint'] as const) {
    const open = (sql as Partial<Record<typeof name, (...args: unknown[]) => unknown>>)[name]?.bind(sql);
    if (!open) continue;
    // The callback comes last (an isolation mode or savepoint name may come before it).
    patched[name] = (...args: unknown[]) => {
      const body = args.pop() as (tx: TransactionSql) => unknown;
      return open(...args, (tx: TransactionSql) => body(preparing(tx)));
    };
  }
  return Object.assign(sql, patched);
}

export type Db = ReturnType<typeof createDb>['db'];
/** A database handle or a transaction: queries take either. */
export type DbOrTx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

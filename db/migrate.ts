import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import path from 'node:path';
import postgres from 'postgres';

/** Creates the database if it is missing, then applies the committed migrations over one connection. */
export async function setUpDatabase(url: string): Promise<void> {
  await createDatabaseIfMissing(url);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder: path.join(__dirname, 'migrations') });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Drops a database (tests use one per run). */
export async function dropDatabase(url: string): Promise<void> {
  const { admin, name } = adminConnection(url);
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

async function createDatabaseIfMissing(url: string): Promise<void> {
  const { admin, name } = adminConnection(url);
  try {
    const rows = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (rows.length === 0) await admin.unsafe(`CREATE DATABASE "${name}"`);
  } catch (err) {
    // Two processes may race to create it; the loser's duplicate_database error is harmless.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await admin.end({ timeout: 5 });
  }
}

function adminConnection(url: string) {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.slice(1));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`unsupported database name: ${name}`);
  parsed.pathname = '/postgres';
  return { admin: postgres(parsed.toString(), { max: 1, onnotice: () => {} }), name };
}

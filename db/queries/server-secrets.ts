import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { serverSecrets } from '../schema';

/**
 * The secret stored under `name`, generating and storing `generate()` the first time. Every process gets
 * the same value: the first insert wins and the others read it back.
 */
export async function serverSecret(db: DbOrTx, name: string, generate: () => string): Promise<string> {
  await db.insert(serverSecrets).values({ name, value: generate() }).onConflictDoNothing();
  const [row] = await db
    .select({ value: serverSecrets.value })
    .from(serverSecrets)
    .where(eq(serverSecrets.name, name));
  if (!row) throw new Error(`server secret ${name} could not be stored`);
  return row.value;
}

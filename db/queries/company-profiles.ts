import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { companyProfiles } from '../schema';

/** The stored profile of a company, if qbo-sync has read it before. */
export async function getCompanyProfile(db: DbOrTx, realmId: string) {
  const [row] = await db.select().from(companyProfiles).where(eq(companyProfiles.realmId, realmId));
  return row;
}

/** Stores what was read from QuickBooks about the company. */
export async function saveCompanyProfile(db: DbOrTx, realmId: string, profile: { country: string | null }) {
  await db
    .insert(companyProfiles)
    .values({ realmId, country: profile.country })
    .onConflictDoUpdate({
      target: companyProfiles.realmId,
      set: { country: profile.country, fetchedAt: new Date() },
    });
}

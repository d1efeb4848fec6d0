import type { Client } from '@temporalio/client';
import { normalizeName } from '../../sync/normalize-name';
import type { QboRecord } from '../../quickbooks/client';
import type { Db } from '../../db/client';
import { getLink } from '../../db/queries/links';
import type { QboReader } from '../deps';
import { listSyncs } from './list-syncs';
import { readSync } from './read-sync';

export type SuggestionEntity = 'Item' | 'Customer';

/** A QuickBooks record that may be the source record: `exact` (same normalized name) ranks above `contains`. */
export interface Candidate {
  qboId: string;
  name: string;
  active: boolean;
  match: 'exact' | 'contains';
}

/** One source name with its candidates; `syncId`/`sourceId` say where it came from when it was found in a sync. */
export interface Suggestion {
  entity: SuggestionEntity;
  name: string;
  sourceId?: string;
  syncId?: string;
  candidates: Candidate[];
}

const nameField: Record<SuggestionEntity, string> = { Item: 'Name', Customer: 'DisplayName' };

/** Ranks QuickBooks records against one source name: equal normalized names first, then names containing it. */
export function rankCandidates(entity: SuggestionEntity, name: string, records: QboRecord[]): Candidate[] {
  const wanted = normalizeName(name);
  if (!wanted) return [];
  const ranked: Candidate[] = [];
  for (const r of records) {
    const theirs = String(r[nameField[entity]] ?? '');
    const normalized = normalizeName(theirs);
    const match = normalized === wanted ? 'exact' : normalized.includes(wanted) ? 'contains' : null;
    if (match) ranked.push({ qboId: r.Id, name: theirs, active: r.Active !== false, match });
  }
  return ranked.sort(
    (a, b) =>
      Number(b.match === 'exact') - Number(a.match === 'exact') || Number(b.active) - Number(a.active),
  );
}

/** Every record of the entity, active or not (QuickBooks hides inactive ones unless asked). */
function allRecords(qbo: QboReader, realmId: string, entity: SuggestionEntity): Promise<QboRecord[]> {
  return qbo.query<QboRecord>(realmId, `SELECT * FROM ${entity} WHERE Active IN (true, false)`);
}

/** Candidates for one source name. Throws QboFault when QuickBooks cannot be read. */
export async function suggestForName(
  qbo: QboReader,
  realmId: string,
  entity: SuggestionEntity,
  name: string,
): Promise<Suggestion> {
  return { entity, name, candidates: rankCandidates(entity, name, await allRecords(qbo, realmId, entity)) };
}

/**
 * Candidates for every customer or item a needs_attention sync of the company is stuck on. The source name
 * is the one qbo-sync tried to create (the link row's marker). Throws QboFault when QuickBooks cannot be read.
 */
export async function suggestForStuckSyncs(
  deps: { db: Db; temporal: Client; qbo: QboReader },
  realmId: string,
  only?: SuggestionEntity,
): Promise<Suggestion[]> {
  const stuck = await listSyncs(deps.temporal, { realmId, state: 'needs_attention', limit: 200 });
  const wanted: { entity: SuggestionEntity; sourceId: string; syncId: string; name: string }[] = [];
  for (const item of stuck) {
    const error = (await readSync(deps.temporal, item.syncId))?.lastError;
    const entity = error?.step === 'customer' ? 'Customer' : error?.step === 'items' ? 'Item' : null;
    if (!entity || !error?.sourceId || (only && only !== entity)) continue;
    const link = await getLink(deps.db, { realmId, entityType: entity, sourceId: error.sourceId });
    if (link?.marker && link.status !== 'linked') {
      wanted.push({ entity, sourceId: error.sourceId, syncId: item.syncId, name: link.marker });
    }
  }
  const cache = new Map<SuggestionEntity, QboRecord[]>();
  const records = async (entity: SuggestionEntity) => {
    if (!cache.has(entity)) cache.set(entity, await allRecords(deps.qbo, realmId, entity));
    return cache.get(entity)!;
  };
  const out: Suggestion[] = [];
  for (const w of wanted)
    out.push({ ...w, candidates: rankCandidates(w.entity, w.name, await records(w.entity)) });
  return out;
}

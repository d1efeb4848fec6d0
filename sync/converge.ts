import {
  getLink,
  markFailed,
  markLinked,
  markPending,
  recordUpdate,
  type Link,
  type LinkKey,
} from '../db/queries/links';
import type { QboRecord } from '../quickbooks/client';
import { isFault, QboFault } from '../quickbooks/faults';
import { writtenFields } from './drift';
import type { EnsureResult, SyncDeps } from './sync-deps';
import { requestIdFor, sourceHash } from './sync-hash';

/** How to converge one source record onto its QuickBooks record. */
export interface ConvergeSpec {
  syncId: string;
  key: LinkKey;
  /** Exactly the fields we own and send (the hash covers these). */
  fields: Record<string, unknown>;
  /** Sent on create only (e.g. QtyOnHand, InvStartDate): not hashed, never updated. */
  createOnly?: Record<string, unknown>;
  /** What the pending create is looked up by (DisplayName, Name or the PrivateNote marker). */
  marker: string;
  sourceVersion?: number;
  parentSourceId?: string;
  /**
   * How many times QuickBooks definitely refused this record earlier in the sync (e.g. a closed period
   * since reopened): a resent update needs a new requestid, as QuickBooks answers a repeated one with
   * its first response.
   */
  retries?: number;
  /** Looks the pending record up by its marker; returns it only if it is ours. */
  findPending(): Promise<QboRecord | undefined>;
  /** A create that QuickBooks refused for sure: may resolve it (link a same-party record) or rethrow. */
  onCreateRefused?(fault: QboFault, hash: string): Promise<EnsureResult>;
  /** A write that QuickBooks refused: may fix the cause (reactivate) and say to try once more. */
  fixAndRetry?(fault: QboFault): Promise<boolean>;
  /** After a write: checks the record QuickBooks returned (e.g. it is inactive). */
  afterWrite?(record: QboRecord): Promise<QboRecord>;
}

/**
 * The exactly-once core. Reads the link first; an unchanged hash returns with no QuickBooks call; a
 * changed hash sparse-updates the owned fields (re-reading once on a stale SyncToken). A create is
 * recorded as pending before it is sent, with a requestid derived from the pending row, and a pending
 * link found at the start is looked up by its marker before anything is written again.
 */
export async function converge(deps: SyncDeps, spec: ConvergeSpec): Promise<EnsureResult> {
  const { db } = deps;
  const link = await getLink(db, spec.key);
  if (link?.linkedBy === 'manual') return { qboId: link.qboId ?? '', action: 'manual' };
  const hash = sourceHash(spec.fields);

  if (link?.status === 'linked' && link.qboId) {
    const older =
      spec.sourceVersion != null && link.sourceVersion != null && spec.sourceVersion < link.sourceVersion;
    if (older || link.sourceHash === hash) return { qboId: link.qboId, action: 'unchanged' };
    const record = await update(deps, spec, link, hash);
    return { qboId: record.Id, action: 'updated' };
  }

  let pending: Link | undefined;
  if (link?.status === 'pending') {
    // An earlier attempt's create may have committed (crash, timeout, lost response): look before writing.
    const found = await spec.findPending();
    if (found) {
      const adopted = await markLinked(db, spec.key, {
        qboId: found.Id,
        syncToken: found.SyncToken,
        sourceHash: link.sourceHash,
        linkedBy: 'sync',
        sourceVersion: link.sourceVersion,
        written: writtenFields(spec.key.entityType, found),
      });
      if (adopted.sourceHash !== hash) await update(deps, spec, adopted, hash);
      return { qboId: found.Id, action: 'created' };
    }
    // Same content: keep the pending row (and so the same requestid) for the resend.
    if (link.sourceHash === hash) pending = link;
  }
  pending ??= await markPending(db, spec.key, {
    marker: spec.marker,
    sourceHash: hash,
    sourceVersion: spec.sourceVersion,
    parentSourceId: spec.parentSourceId,
  });
  const requestId = requestIdFor(
    spec.syncId,
    spec.key.entityType,
    spec.key.sourceId,
    hash,
    pending.updatedAt.toISOString(),
  );

  let record: QboRecord;
  try {
    record = await withFix(spec, (retry) =>
      deps.ledger.create(
        spec.key.realmId,
        spec.key.entityType,
        { ...spec.fields, ...spec.createOnly },
        { requestId: retry ? requestIdFor(requestId, 'after-fix') : requestId },
      ),
    );
  } catch (err) {
    if (err instanceof QboFault && !err.uncertain) {
      await markFailed(db, spec.key);
      if (spec.onCreateRefused) return spec.onCreateRefused(err, hash);
    }
    throw err;
  }
  await markLinked(db, spec.key, {
    qboId: record.Id,
    syncToken: record.SyncToken,
    sourceHash: hash,
    linkedBy: 'sync',
    sourceVersion: spec.sourceVersion ?? null,
    parentSourceId: spec.parentSourceId ?? null,
    written: writtenFields(spec.key.entityType, record),
  });
  if (spec.afterWrite) await afterWrite(deps, spec, record, hash);
  return { qboId: record.Id, action: 'created' };
}

/** Sparse-updates the owned fields; on a stale SyncToken re-reads the record and applies once more. */
async function update(deps: SyncDeps, spec: ConvergeSpec, link: Link, hash: string): Promise<QboRecord> {
  const { realmId, entityType, sourceId } = spec.key;
  const send = (syncToken: string, retry: boolean) =>
    deps.ledger.update(
      realmId,
      entityType,
      { ...spec.fields, Id: link.qboId!, SyncToken: syncToken },
      {
        requestId: requestIdFor(
          spec.syncId,
          entityType,
          sourceId,
          hash,
          'update',
          link.qboId,
          syncToken,
          retry ? 'after-fix' : '',
          ...(spec.retries ? [`try-${spec.retries}`] : []),
        ),
        sparse: true,
      },
    );
  let record: QboRecord;
  try {
    record = await withFix(spec, (retry) => send(link.syncToken ?? '0', retry));
  } catch (err) {
    if (!isFault(err, 'stale_object')) throw err;
    const fresh = await deps.ledger.read(realmId, entityType, link.qboId!);
    record = await withFix(spec, (retry) => send(fresh.SyncToken, retry));
  }
  await recordUpdate(deps.db, spec.key, {
    syncToken: record.SyncToken,
    sourceHash: hash,
    sourceVersion: spec.sourceVersion,
    written: writtenFields(spec.key.entityType, record),
  });
  if (spec.afterWrite) await afterWrite(deps, spec, record, hash);
  return record;
}

async function afterWrite(
  deps: SyncDeps,
  spec: ConvergeSpec,
  record: QboRecord,
  hash: string,
): Promise<void> {
  const checked = await spec.afterWrite!(record);
  if (checked.SyncToken !== record.SyncToken) {
    await recordUpdate(deps.db, spec.key, {
      syncToken: checked.SyncToken,
      sourceHash: hash,
      written: writtenFields(spec.key.entityType, checked),
    });
  }
}

/**
 * Writes; when QuickBooks refuses for a cause we can fix (an inactive reference), fixes it and writes once
 * more under a new requestid (QuickBooks answers a repeated requestid with the first, failed, response).
 */
async function withFix<T>(spec: ConvergeSpec, write: (retry: boolean) => Promise<T>): Promise<T> {
  try {
    return await write(false);
  } catch (err) {
    if (err instanceof QboFault && !err.uncertain && spec.fixAndRetry && (await spec.fixAndRetry(err)))
      return write(true);
    throw err;
  }
}

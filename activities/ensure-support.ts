import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/client';
import {
  getLink,
  markFailed,
  markLinked,
  markPending,
  recordUpdate,
  type Link,
  type LinkKey,
} from '../db/queries/links';
import type { RecordAction, Step } from '../workflows/contract';
import type { QboClient, QboRecord } from './qbo/client';
import { QboFault, toApplicationFailure } from './qbo/faults';
import { hints } from './qbo/hints';
import { requestIdFor, sourceHash } from './sync-hash';

/** What every activity gets from the worker (or a test). */
export interface ActivityDeps {
  db: Db;
  qbo: QboClient;
  config: { throttleBackoffMs: number };
}

/** What an ensure activity returns: the QuickBooks id and what was done to reach it. */
export type EnsureResult = { qboId: string; action: RecordAction };

/**
 * Runs an activity body so that whatever it throws leaves as an ApplicationFailure: QuickBooks faults by
 * pattern (retryable only for throttled/transient_server), anything else (a database blip) as a retryable
 * transient_server carrying only the error's message. `details[0]` is the SyncError with `sourceId`.
 */
export async function asActivity<T>(
  deps: ActivityDeps,
  context: { step: Step; sourceId: string },
  body: () => Promise<T>,
): Promise<T> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof QboFault) {
      throw toApplicationFailure(err.fault, { ...context, throttleBackoffMs: deps.config.throttleBackoffMs });
    }
    if (err instanceof ApplicationFailure) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw ApplicationFailure.create({
      type: 'transient_server',
      message: `qbo-sync internal error: ${message}`,
      nonRetryable: false,
      details: [
        {
          pattern: 'transient_server',
          code: 'internal',
          message,
          detail: '',
          hint: hints.transient_server,
          ...context,
        },
      ],
    });
  }
}

/** True when `err` is a QuickBooks fault of one of `patterns`. */
export function isFault(err: unknown, ...patterns: string[]): err is QboFault {
  return err instanceof QboFault && patterns.includes(err.fault.pattern);
}

/** A QboFault like `fault` but with our own message, detail or hint (e.g. naming the existing record). */
export function refine(
  fault: QboFault,
  changes: { message?: string; detail?: string; hint?: string },
): QboFault {
  return new QboFault({ ...fault.fault, ...changes }, fault.uncertain);
}

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
export async function converge(deps: ActivityDeps, spec: ConvergeSpec): Promise<EnsureResult> {
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
      deps.qbo.create(
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
  });
  if (spec.afterWrite) await afterWrite(deps, spec, record, hash);
  return { qboId: record.Id, action: 'created' };
}

/** Sparse-updates the owned fields; on a stale SyncToken re-reads the record and applies once more. */
async function update(deps: ActivityDeps, spec: ConvergeSpec, link: Link, hash: string): Promise<QboRecord> {
  const { realmId, entityType, sourceId } = spec.key;
  const send = (syncToken: string, retry: boolean) =>
    deps.qbo.update(
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
        ),
        sparse: true,
      },
    );
  let record: QboRecord;
  try {
    record = await withFix(spec, (retry) => send(link.syncToken ?? '0', retry));
  } catch (err) {
    if (!isFault(err, 'stale_object')) throw err;
    const fresh = await deps.qbo.read(realmId, entityType, link.qboId!);
    record = await withFix(spec, (retry) => send(fresh.SyncToken, retry));
  }
  await recordUpdate(deps.db, spec.key, {
    syncToken: record.SyncToken,
    sourceHash: hash,
    sourceVersion: spec.sourceVersion,
  });
  if (spec.afterWrite) await afterWrite(deps, spec, record, hash);
  return record;
}

async function afterWrite(
  deps: ActivityDeps,
  spec: ConvergeSpec,
  record: QboRecord,
  hash: string,
): Promise<void> {
  const checked = await spec.afterWrite!(record);
  if (checked.SyncToken !== record.SyncToken) {
    await recordUpdate(deps.db, spec.key, { syncToken: checked.SyncToken, sourceHash: hash });
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

/** Makes inactive records active again (sparse `Active: true`); returns whether any was inactive. */
export async function reactivate(
  deps: ActivityDeps,
  realmId: string,
  syncId: string,
  refs: { entity: 'Customer' | 'Item'; id: string }[],
): Promise<boolean> {
  let any = false;
  for (const ref of refs) {
    const record = await deps.qbo.read(realmId, ref.entity, ref.id);
    if (record.Active !== false) continue;
    any = true;
    await deps.qbo.update(
      realmId,
      ref.entity,
      { Id: record.Id, SyncToken: record.SyncToken, Active: true },
      { requestId: requestIdFor(syncId, ref.entity, ref.id, 'reactivate', record.SyncToken), sparse: true },
    );
  }
  return any;
}

/** Finds which of `refs` are inactive in QuickBooks (for a message a person can act on). */
export async function inactiveOf(
  deps: ActivityDeps,
  realmId: string,
  refs: { entity: 'Customer' | 'Item'; id: string }[],
): Promise<{ entity: string; id: string; name: string }[]> {
  const out: { entity: string; id: string; name: string }[] = [];
  for (const ref of refs) {
    try {
      const record = await deps.qbo.read(realmId, ref.entity, ref.id);
      if (record.Active === false)
        out.push({ ...ref, name: String(record.DisplayName ?? record.Name ?? '') });
    } catch (err) {
      if (!isFault(err, 'inactive_or_missing_reference', 'other')) throw err;
      out.push({ ...ref, name: '(missing)' });
    }
  }
  return out;
}

/** The `qbo-sync:<sourceId>` marker put in a transaction's PrivateNote. */
export function markerFor(sourceId: string): string {
  return `qbo-sync:${sourceId}`;
}

/** True when a PrivateNote carries exactly this marker (not one that merely starts with it). */
export function hasMarker(privateNote: unknown, marker: string): boolean {
  if (typeof privateNote !== 'string') return false;
  const escaped = marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|\\s)${escaped}(\\s|$)`).test(privateNote);
}

/** A voided transaction (QuickBooks zeroes it and writes "Voided" into the PrivateNote). */
export function isVoided(record: QboRecord): boolean {
  return Number(record.TotalAmt ?? 0) === 0 && /\bVoided\b/.test(String(record.PrivateNote ?? ''));
}

/** Drops undefined fields (and objects left empty) so the hash covers only what is sent. */
export function prune<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'object' && !Array.isArray(v)) {
      const inner = prune(v as Record<string, unknown>);
      if (Object.keys(inner).length > 0) out[k] = inner;
    } else {
      out[k] = v;
    }
  }
  return out as T;
}

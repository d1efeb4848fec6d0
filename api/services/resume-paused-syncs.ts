import type { Client } from '@temporalio/client';
import { periodReopenedSignal, reconnectedSignal, type PauseReason } from '../../workflows/contract';
import { visibilityLiteral } from './visibility';

/**
 * Finds the company's syncs paused for `reason` through search attributes and signals each one.
 * Returns how many were signalled.
 */
export async function resumePausedSyncs(
  temporal: Client,
  realmId: string,
  reason: PauseReason,
): Promise<number> {
  const query =
    `RealmId = ${visibilityLiteral(realmId)} AND PauseReason = ${visibilityLiteral(reason)} ` +
    `AND ExecutionStatus = 'Running'`;
  const signal = reason === 'auth' ? reconnectedSignal : periodReopenedSignal;
  const ids: string[] = [];
  for await (const execution of temporal.workflow.list({ query })) ids.push(execution.workflowId);

  let signalled = 0;
  const concurrency = 32;
  for (let i = 0; i < ids.length; i += concurrency) {
    const results = await Promise.allSettled(
      ids.slice(i, i + concurrency).map((id) => temporal.workflow.getHandle(id).signal(signal, {})),
    );
    // A sync that completed between the listing and the signal is not an error.
    signalled += results.filter((r) => r.status === 'fulfilled').length;
  }
  return signalled;
}

import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { scrubHistory } from './scrub-history';

let client: Promise<Client> | undefined;

/**
 * With RECORD_HISTORIES=<dir>, saves the workflow's history as JSON so test/replay can replay it
 * against later versions of the workflow code, without the recording machine's paths and process ids
 * (scrubHistory). A no-op otherwise. The payloads are saved as the worker
 * wrote them, encrypted with the local default payload key, which the replay test decodes with.
 */
export async function recordHistory(syncId: string, label: string): Promise<void> {
  const dir = process.env.RECORD_HISTORIES;
  if (!dir) return;
  client ??= Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }).then(
    (connection) => new Client({ connection }),
  );
  const history = await (await client).workflow.getHandle(syncId).fetchHistory();
  await mkdir(dir, { recursive: true });
  const file = `${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.json`;
  await writeFile(path.join(dir, file), scrubHistory(historyToJSON(history)));
}

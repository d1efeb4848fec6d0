import { Connection } from '@temporalio/client';
import { loadConfigOrExit } from '../config';
import { registerSearchAttributes } from './lib/search-attributes';

/**
 * One-shot for deployments (docker-compose's `temporal-setup`): waits until the Temporal server at
 * TEMPORAL_ADDRESS serves TEMPORAL_NAMESPACE, then registers the sync's search attributes there.
 * Safe to run at every deploy: attributes already present are left alone. Exits 1 after the timeout.
 */
const timeoutMs = 180_000;

async function main() {
  const config = loadConfigOrExit();
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({
        address: config.TEMPORAL_ADDRESS,
        connectTimeout: 5_000,
      });
      try {
        // auto-setup creates the namespace a little after the frontend starts answering.
        await connection.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE });
        await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
        console.log(
          JSON.stringify({ msg: 'search attributes registered', namespace: config.TEMPORAL_NAMESPACE }),
        );
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
  throw new Error(
    `Temporal at ${config.TEMPORAL_ADDRESS} not ready after ${timeoutMs} ms: ${String(lastError)}`,
  );
}

main().catch((err) => {
  process.stderr.write(`qbo-sync: registering search attributes failed: ${(err as Error).message}\n`);
  process.exit(1);
});

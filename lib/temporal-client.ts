import { Client, Connection } from '@temporalio/client';

/** Connects to Temporal with the configured address and namespace, retrying a slow start. */
export async function connectTemporal(config: { TEMPORAL_ADDRESS: string; TEMPORAL_NAMESPACE: string }) {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: 30_000 });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  return { client, connection, close: () => connection.close() };
}

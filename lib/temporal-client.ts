import { Client, Connection } from '@temporalio/client';
import { payloadDataConverter, type PayloadKey } from './payload-codec';

/**
 * Connects to Temporal with the configured address and namespace, retrying a slow start. Payloads are
 * encrypted with the payload keys (lib/payload-codec.ts), as the worker's are.
 */
export async function connectTemporal(config: {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  payloadKeys: PayloadKey[];
}) {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS, connectTimeout: 30_000 });
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: payloadDataConverter(config.payloadKeys),
  });
  return { client, connection, close: () => connection.close() };
}

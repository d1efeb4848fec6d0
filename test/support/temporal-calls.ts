import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../config';
import { payloadDataConverter } from '../../lib/payload-codec';
import { testServices } from './env';

export interface CountedClient {
  client: Client;
  /** Every Temporal RPC since the last reset(), by method name (`StartWorkflowExecution`), in order. */
  calls: string[];
  /** The most RPCs of one method that were in flight at once since the last reset(). */
  mostAtOnce(method: string): number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A Temporal client on the test services' dev server, with the system's payload codec, that records
 * every RPC it makes (a gRPC interceptor): how a test counts the Temporal calls behind an operation.
 */
export async function countedTemporalClient(): Promise<CountedClient> {
  const calls: string[] = [];
  const inFlight = new Map<string, number>();
  const most = new Map<string, number>();
  const counting: Interceptor = (options, nextCall) => {
    const method = options.method_definition.path.split('/').pop() ?? options.method_definition.path;
    calls.push(method);
    const now = (inFlight.get(method) ?? 0) + 1;
    inFlight.set(method, now);
    most.set(method, Math.max(most.get(method) ?? 0, now));
    return new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        next(metadata, {
          onReceiveStatus(status, nextStatus) {
            inFlight.set(method, (inFlight.get(method) ?? 1) - 1);
            nextStatus(status);
          },
        });
      },
    });
  };
  const connection = await Connection.connect({
    address: testServices().temporalAddress,
    interceptors: [counting],
  });
  const client = new Client({ connection, dataConverter: payloadDataConverter(loadConfig({}).payloadKeys) });
  return {
    client,
    calls,
    mostAtOnce: (method) => most.get(method) ?? 0,
    reset() {
      calls.length = 0;
      most.clear();
    },
    close: () => connection.close(),
  };
}

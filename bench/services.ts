import { createTestServices, type TestServicesEnv } from '../scripts/lib/test-services';

export interface BenchServices {
  env: TestServicesEnv;
  stop(): Promise<void>;
}

/**
 * The services `npm test` provides (scripts/lib/test-services.ts), for the bench. Their addresses are put
 * in process.env, so test/support/system.ts starts the worker and API against them.
 */
export async function startBenchServices(): Promise<BenchServices> {
  const services = createTestServices('bench');
  try {
    const env = await services.start();
    Object.assign(process.env, env);
    return { env, stop: () => services.stop() };
  } catch (err) {
    await services.stop();
    throw err;
  }
}

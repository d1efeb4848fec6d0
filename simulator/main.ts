import { createSimulator } from './server';

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  if (index >= 0) return process.argv[index + 1];
  const prefixed = process.argv.find((a) => a.startsWith(`${name}=`));
  return prefixed?.slice(name.length + 1);
}

async function main(): Promise<void> {
  const port = Number(argValue('--port') ?? process.env.SIMULATOR_PORT ?? 4010);
  if (!Number.isInteger(port) || port < 0) throw new Error(`invalid --port / SIMULATOR_PORT: ${port}`);
  const simulator = createSimulator({
    clientId: process.env.SIM_CLIENT_ID,
    clientSecret: process.env.SIM_CLIENT_SECRET,
    stateFile: argValue('--state-file') ?? process.env.SIM_STATE_FILE,
    log: process.env.SIM_LOG === '1',
    maxBatchItems: process.env.SIM_MAX_BATCH_ITEMS ? Number(process.env.SIM_MAX_BATCH_ITEMS) : undefined,
  });
  const running = await simulator.start(
    port,
    argValue('--host') ?? process.env.SIMULATOR_HOST ?? '127.0.0.1',
  );
  console.log(JSON.stringify({ msg: 'simulator listening', url: running.url }));
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ msg: 'simulator failed to start', error: String(err) }));
  process.exit(1);
});

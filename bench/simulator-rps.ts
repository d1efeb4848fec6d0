/**
 * Measures simulator read throughput: spawns `tsx simulator/main.ts` as its own process (so load generation
 * and the server do not share an event loop), seeds one customer, then drives GET /customer/:id over
 * ~50 concurrent keep-alive connections for ~10 s and prints requests/s and p50/p99 latency.
 * Usage: npx tsx bench/simulator-rps.ts [--seconds 10] [--connections 50]
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { once } from 'node:events';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 10;
const connections = Number(process.argv[process.argv.indexOf('--connections') + 1]) || 50;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  return port;
}

async function json(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<any> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${await res.text()}`);
  return res.json();
}

async function main(): Promise<void> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/main.ts', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on(
        'data',
        (chunk: Buffer) => chunk.toString().includes('simulator listening') && resolve(),
      );
      child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const company = await json(`${base}/_sim/companies`, 'POST', {
      ratePerMinute: 100_000_000,
      maxConcurrent: 10_000,
    });
    const auth = { authorization: `Bearer ${company.tokens.access_token}`, accept: 'application/json' };
    const customer = await json(
      `${base}/v3/company/${company.realmId}/customer`,
      'POST',
      { DisplayName: 'Bench' },
      auth,
    );
    const path = `/v3/company/${company.realmId}/customer/${customer.Customer.Id}`;

    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    const latencies: number[] = [];
    let errors = 0;
    const deadline = performance.now() + seconds * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const status = await new Promise<number>((resolve) => {
          const req = request({ host: '127.0.0.1', port, path, agent, headers: auth }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', () => resolve(0));
          req.end();
        });
        if (status === 200) latencies.push(performance.now() - started);
        else errors++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: connections }, worker));
    const elapsed = (performance.now() - started) / 1000;
    agent.destroy();
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]?.toFixed(2);
    console.log(
      `Measured: GET /customer/:id against a separate simulator process, ${connections} concurrent keep-alive connections, ` +
        `${elapsed.toFixed(1)} s, client node:http in this process, on ${require('node:os').cpus().length} CPUs.`,
    );
    console.log(
      JSON.stringify({
        requests: latencies.length,
        errors,
        rps: Math.round(latencies.length / elapsed),
        p50ms: pct(0.5),
        p99ms: pct(0.99),
      }),
    );
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Path of the cached Temporal CLI, built by scripts/ensure-temporal.sh on first use. */
export function temporalBinary(): string {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  const script = path.join(__dirname, '..', 'ensure-temporal.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

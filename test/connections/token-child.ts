/**
 * One worker process with its own token store. At START_AT it asks for the company's access token
 * CONCURRENCY times at once (MODE=access) or reports REJECTED_TOKEN as refused (MODE=rejected), then
 * proves each token works by reading CompanyInfo from the simulator. Prints one JSON line per call with a
 * hash of the token (never the token). Logs go to stderr as pino JSON, so the parent can scan them.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import axios from 'axios';
import pino from 'pino';
import { loadConfig } from '../../config';
import { createQboOAuth } from '../../quickbooks/oauth-client';
import { createTokenCipher } from '../../connections/token-cipher';
import { createTokenStore } from '../../connections/token-store';
import { createDb } from '../../db/client';

async function main() {
  const simUrl = process.env.SIM_URL!;
  const config = loadConfig({
    ...process.env,
    QBO_API_BASE_URL: simUrl,
    QBO_AUTHORIZE_URL: `${simUrl}/connect/oauth2`,
    QBO_TOKEN_URL: `${simUrl}/oauth2/v1/tokens/bearer`,
    QBO_REVOKE_URL: `${simUrl}/oauth2/v1/tokens/revoke`,
  });
  const { db, close } = createDb(config.DATABASE_URL);
  const store = createTokenStore({
    db,
    cipher: createTokenCipher(config.tokenKeys),
    oauth: createQboOAuth(config),
    logger: pino({ level: 'debug' }, process.stderr),
  });
  const realmId = process.env.REALM!;
  await sleep(Math.max(0, Number(process.env.START_AT) - Date.now()));

  const call = async () => {
    try {
      const token =
        process.env.MODE === 'rejected'
          ? await store.refreshAfterRejection(realmId, process.env.REJECTED_TOKEN!)
          : await store.accessToken(realmId);
      const res = await axios.get(`${simUrl}/v3/company/${realmId}/companyinfo/${realmId}?minorversion=75`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        validateStatus: () => true,
      });
      return { tokenSha: sha(token), companyInfoStatus: res.status };
    } catch (err) {
      const e = err as { type?: string; message?: string };
      return { failure: e.type ?? 'error', message: e.message };
    }
  };
  const results = await Promise.all(Array.from({ length: Number(process.env.CONCURRENCY ?? 1) }, call));
  for (const r of results) process.stdout.write(`${JSON.stringify({ pid: process.pid, ...r })}\n`);
  await close();
}

const sha = (v: string) => createHash('sha256').update(v).digest('hex').slice(0, 16);

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});

import type { Config } from '../../config';
import type { Db } from '../../db/client';
import { getDesktopConnection } from '../../db/queries/desktop-connections';
import { qwcFile } from '../../desktop/qwc-file';

/** A Desktop company's .QWC file and its download name; undefined when no such Desktop company. */
export async function desktopQwc(
  deps: { db: Db; config: Config },
  realmId: string,
): Promise<{ body: string; headers: Record<string, string> } | undefined> {
  const row = await getDesktopConnection(deps.db, realmId);
  if (!row) return undefined;
  const base = deps.config.API_PUBLIC_URL.replace(/\/+$/, '');
  const body = qwcFile({
    companyName: row.companyName ?? realmId,
    appUrl: `${base}/qbwc`,
    supportUrl: `${base}/admin`,
    username: row.username,
    ownerId: row.ownerId,
    fileId: row.fileId,
    runEveryMinutes: deps.config.QBWC_RUN_EVERY_MINUTES,
  });
  return {
    body,
    headers: {
      'content-type': 'application/xml; charset=utf-8',
      'content-disposition': `attachment; filename="qbo-sync-${realmId}.qwc"`,
    },
  };
}

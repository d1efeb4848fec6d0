import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { connections, mappings } from '../../db/schema';
import type { SyncDocument } from '../../workflows/contract';
import type { FieldError } from '../errors';
import { getDesktopConnection } from '../../db/queries/desktop-connections';
import { builtInTaxCodes } from '../../sync/tax-codes';

/**
 * The checks that need the database: the company must be connected, and every tax category must be
 * one QuickBooks can be told about (built in, or mapped for this company).
 */
export async function checkDocumentAgainstCompany(
  db: Db,
  doc: SyncDocument,
  prefix = '',
): Promise<FieldError[]> {
  const [connection] = await db
    .select({ status: connections.status })
    .from(connections)
    .where(eq(connections.realmId, doc.realmId));
  // A QuickBooks Desktop company is connected by its Web Connector registration.
  if (!connection && !(await getDesktopConnection(db, doc.realmId))) {
    return [
      {
        path: `${prefix}realmId`,
        reason:
          'no QuickBooks company is connected with this realmId: connect it first (GET /v1/connections/connect, or POST /v1/desktop-connections for QuickBooks Desktop)',
      },
    ];
  }
  const mapped = await db
    .select({ sourceKey: mappings.sourceKey })
    .from(mappings)
    .where(and(eq(mappings.realmId, doc.realmId), eq(mappings.kind, 'tax_category')));
  const known = new Set([...Object.keys(builtInTaxCodes), ...mapped.map((m) => m.sourceKey)]);
  const errors: FieldError[] = [];
  doc.lines.forEach((line, i) => {
    if (line.taxCategory && !known.has(line.taxCategory)) {
      errors.push({
        path: `${prefix}lines.${i}.taxCategory`,
        reason: `"${line.taxCategory}" is not a tax category this company knows: map it to a QuickBooks tax code (PUT /v1/mappings/${doc.realmId}/tax-categories/${encodeURIComponent(line.taxCategory)}) or use one of ${[...known].join(', ')}`,
      });
    }
  });
  return errors;
}

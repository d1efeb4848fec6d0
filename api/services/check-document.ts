import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { connections, mappings } from '../../db/schema';
import type { SyncDocument } from '../../workflows/contract';
import type { FieldError } from '../errors';
import { getDesktopConnection } from '../../db/queries/desktop-connections';
import { builtInTaxCodes } from '../../sync/tax-codes';

/** What the checks need to know about a company; null when it is not connected. */
type CompanyFacts = { taxCategories: Set<string> } | null;

/** One round trip: the connection and the company's mapped tax categories. */
async function readCompanyFacts(db: Db, realmId: string): Promise<CompanyFacts> {
  const [row] = await db
    .select({
      mapped: sql<string[]>`coalesce((select array_agg(${mappings.sourceKey}) from ${mappings} where ${and(
        eq(mappings.realmId, connections.realmId),
        eq(mappings.kind, 'tax_category'),
      )}), '{}')`,
    })
    .from(connections)
    .where(eq(connections.realmId, realmId));
  if (row) return knownTaxCategories(row.mapped);
  // A QuickBooks Desktop company is connected by its Web Connector registration, not an OAuth connection.
  if (!(await getDesktopConnection(db, realmId))) return null;
  const mapped = await db
    .select({ sourceKey: mappings.sourceKey })
    .from(mappings)
    .where(and(eq(mappings.realmId, realmId), eq(mappings.kind, 'tax_category')));
  return knownTaxCategories(mapped.map((m) => m.sourceKey));
}

function knownTaxCategories(mapped: string[]): CompanyFacts {
  return { taxCategories: new Set([...Object.keys(builtInTaxCodes), ...mapped]) };
}

/** Checks a document against its company; `prefix` goes before each field path (`documents.3.`). */
export type DocumentCheck = (doc: SyncDocument, prefix?: string) => Promise<FieldError[]>;

/**
 * The checks that need the database: the company must be connected, and every tax category must be
 * one QuickBooks can be told about (built in, or mapped for this company). Each company is read once per
 * check function, so a batch of one company's documents costs one query: create one per request.
 */
export function createDocumentCheck(db: Db): DocumentCheck {
  const facts = new Map<string, Promise<CompanyFacts>>();
  return async (doc, prefix = '') => {
    let read = facts.get(doc.realmId);
    if (!read) {
      read = readCompanyFacts(db, doc.realmId);
      facts.set(doc.realmId, read);
      read.catch(() => facts.delete(doc.realmId));
    }
    const company = await read;
    if (!company) {
      return [
        {
          path: `${prefix}realmId`,
          reason:
            'no QuickBooks company is connected with this realmId: connect it first (GET /v1/connections/connect, or POST /v1/desktop-connections for QuickBooks Desktop)',
        },
      ];
    }
    const errors: FieldError[] = [];
    doc.lines.forEach((line, i) => {
      if (line.taxCategory && !company.taxCategories.has(line.taxCategory)) {
        errors.push({
          path: `${prefix}lines.${i}.taxCategory`,
          reason: `"${line.taxCategory}" is not a tax category this company knows: map it to a QuickBooks tax code (PUT /v1/mappings/${doc.realmId}/tax-categories/${encodeURIComponent(line.taxCategory)}) or use one of ${[...company.taxCategories].join(', ')}`,
        });
      }
    });
    return errors;
  };
}

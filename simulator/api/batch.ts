import { envelopeError } from './data-response';
import { prepareWrite, type PreparedWrite, type WriteOperation } from '../entities/write-operation';
import type { WriteContext } from '../entities/write-context';
import { faults, QboError } from '../qbo-error';
import { runQuery } from '../query/run-query';
import { limitsOf } from '../company-seed';
import { ENTITY_NAMES, type EntityName, type QboObject } from '../state';

type Slot = { bId: unknown; done?: QboObject; prepare?: () => PreparedWrite };

function toFaultItem(bId: unknown, err: unknown): QboObject {
  const error = err instanceof QboError ? err : faults.systemFailure();
  return { bId, Fault: { Error: [error.item], type: error.faultType } };
}

/**
 * Runs a batch. Every item is checked against the company as it was before the batch (items do not
 * see each other's writes: an invoice cannot use a customer created earlier in the same batch); the
 * writes that passed are then committed in order, each checked once more against the company as it is
 * at that moment, so two items can never break a rule together (two creates of one DisplayName: the
 * second is refused 6240, as a unique name in a serial run would be).
 * Between items it lets other requests in: QuickBooks admits (or throttles) a request when it arrives,
 * whatever else it is working on, and a long batch answered in one go would stamp every request that
 * came meanwhile with the moment it ended (a 30-query batch took up to a second here), bunching them into
 * one second of the rate limits. Other requests' writes may land between items, as they may at QuickBooks.
 * Throws 400 MalformedRequest for an empty batch or one over the company's `maxBatchItems`.
 */
export async function executeBatch(ctx: WriteContext, body: QboObject): Promise<QboObject[]> {
  const items = body?.BatchItemRequest;
  const maxItems = limitsOf(ctx.company).maxBatchItems;
  if (!Array.isArray(items) || items.length === 0) throw faults.batchMalformed('Batch Request is Empty');
  if (items.length > maxItems)
    throw faults.batchMalformed(
      `Batch Request exceeds the maximum of ${maxItems} items. Supplied: ${items.length}`,
    );
  const slots: Slot[] = [];
  for (const item of items as QboObject[]) {
    if (slots.length > 0) await nextTurn();
    slots.push(checkItem(ctx, item));
  }
  const answers: QboObject[] = [];
  for (const slot of slots) {
    if (slot.done) {
      answers.push(slot.done);
      continue;
    }
    await nextTurn();
    try {
      answers.push({ bId: slot.bId, ...slot.prepare!().apply() });
    } catch (err) {
      answers.push(toFaultItem(slot.bId, envelopeError(err)));
    }
  }
  return answers;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs a query item, or checks a write item against the company as it is now (applied later). */
function checkItem(ctx: WriteContext, item: QboObject): Slot {
  const bId = item?.bId;
  try {
    if (typeof item?.Query === 'string')
      return { bId, done: { bId, QueryResponse: runQuery(ctx.company, item.Query) } };
    const entity = ENTITY_NAMES.find((name) => item?.[name] && typeof item[name] === 'object') as
      EntityName | undefined;
    if (!entity) throw faults.batchMalformed('Batch item has no entity or Query');
    const options = String(item.optionsData ?? '')
      .toLowerCase()
      .split(/[,&\s]+/)
      .filter(Boolean);
    let operation = String(item.operation ?? 'create').toLowerCase() as WriteOperation;
    if (options.includes('void') || operation === 'void') operation = 'void';
    if (!['create', 'update', 'delete', 'void'].includes(operation))
      throw faults.invalidEnumeration(operation, 'operation');
    const includes = new Set([...ctx.includes, ...options.map((o) => o.replace(/^include=/, ''))]);
    const prepare = () => prepareWrite({ ...ctx, includes }, entity, operation, item[entity]);
    prepare();
    return { bId, prepare };
  } catch (err) {
    return { bId, done: toFaultItem(bId, envelopeError(err)) };
  }
}

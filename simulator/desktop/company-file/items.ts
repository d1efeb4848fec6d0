import { desktopTimestamp } from '../desktop-clock';
import { failed, type RequestHandler } from './handler';
import { newListId, nextEditSequence } from './ids';
import { runListQuery } from './list-query';
import { child, QbxmlParseError, requiredText, text } from './qbxml-request';
import { parseAmount, parseBool } from './qbxml-values';
import { nameTaken, resolveRef } from './references';
import type { ItemKind, ItemRecord } from './records';
import { nameInUse, STATUS_OK } from './status';
import { itemRet } from './rets';

const RET_TAG: Record<ItemKind, string> = {
  ItemService: 'ItemServiceRet',
  ItemNonInventory: 'ItemNonInventoryRet',
};

/**
 * ItemServiceAdd / ItemNonInventoryAdd with `SalesOrPurchase{Desc, Price, AccountRef}`. Item names are unique
 * across every item type; the account must exist and be active (3140).
 */
function itemAdd(kind: ItemKind): RequestHandler {
  return ({ file, nowMs }, rq) => {
    const body = child(rq.body, `${kind}Add`) ?? {};
    const name = requiredText(body, 'Name', `${kind}Add`);
    const isActive = parseBool(text(body, 'IsActive'), 'IsActive') ?? true;
    const sales = child(body, 'SalesOrPurchase');
    if (!sales)
      throw new QbxmlParseError(`${kind}Add needs SalesOrPurchase (SalesAndPurchase is not simulated)`);
    const price = parseAmount(text(sales, 'Price'), 'Price');
    const account = resolveRef(sales, 'AccountRef', file.accounts.values(), 'Account', 'Item');
    if (account.status) return failed(account.status);
    if (!account.ref) throw new QbxmlParseError(`${kind}Add SalesOrPurchase needs AccountRef`);
    if (nameTaken(file.items.values(), name)) return failed(nameInUse(name));
    const at = desktopTimestamp(nowMs);
    const item: ItemRecord = {
      kind,
      ListID: newListId(file, nowMs),
      TimeCreated: at,
      TimeModified: at,
      EditSequence: nextEditSequence(file, nowMs),
      Name: name,
      IsActive: isActive,
      Desc: text(sales, 'Desc'),
      Price: price,
      AccountRef: account.ref,
    };
    file.items.set(item.ListID, item);
    return { status: STATUS_OK, rets: [{ tag: RET_TAG[kind], value: itemRet(item) }] };
  };
}

export const itemServiceAdd = itemAdd('ItemService');
export const itemNonInventoryAdd = itemAdd('ItemNonInventory');

/** ItemQuery over every item type, or ItemServiceQuery / ItemNonInventoryQuery over one. */
export function itemQuery(kind?: ItemKind): RequestHandler {
  return ({ file }, rq) =>
    runListQuery(
      rq.body,
      [...file.items.values()].filter((i) => !kind || i.kind === kind),
      (i) => ({ tag: RET_TAG[i.kind], value: itemRet(i) }),
    );
}

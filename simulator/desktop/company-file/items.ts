import { desktopTimestamp } from '../desktop-clock';
import { touch } from './company-file';
import { failed, type RequestHandler } from './handler';
import { newListId, nextEditSequence } from './ids';
import { runListQuery } from './list-query';
import { child, QbxmlParseError, requiredText, text } from './qbxml-request';
import { parseAmount, parseBool } from './qbxml-values';
import { nameTaken, resolveRef } from './references';
import type { ItemKind, ItemRecord } from './records';
import { nameInUse, objectNotFound, staleEditSequence, STATUS_OK } from './status';
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

/** ItemServiceMod / ItemNonInventoryMod: ListID + EditSequence, then `Name`, `IsActive`, `SalesOrPurchaseMod`. */
function itemMod(kind: ItemKind): RequestHandler {
  return ({ file, nowMs }, rq) => {
    const body = child(rq.body, `${kind}Mod`) ?? {};
    const listId = requiredText(body, 'ListID', `${kind}Mod`);
    const editSequence = requiredText(body, 'EditSequence', `${kind}Mod`);
    const name = text(body, 'Name');
    const isActive = parseBool(text(body, 'IsActive'), 'IsActive');
    const sales = child(body, 'SalesOrPurchaseMod');
    const price = sales && parseAmount(text(sales, 'Price'), 'Price');
    const desc = sales && text(sales, 'Desc');
    const item = file.items.get(listId);
    if (!item || item.kind !== kind) return failed(objectNotFound(listId));
    if (item.EditSequence !== editSequence) return failed(staleEditSequence(editSequence));
    const account = sales ? resolveRef(sales, 'AccountRef', file.accounts.values(), 'Account', 'Item') : {};
    if (account.status) return failed(account.status);
    if (name !== undefined && nameTaken(file.items.values(), name, listId)) return failed(nameInUse(name));
    if (name !== undefined) item.Name = name;
    if (isActive !== undefined) item.IsActive = isActive;
    if (desc !== undefined) item.Desc = desc;
    if (price !== undefined) item.Price = price;
    if (account.ref) item.AccountRef = account.ref;
    touch(file, item, nowMs);
    return { status: STATUS_OK, rets: [{ tag: RET_TAG[kind], value: itemRet(item) }] };
  };
}

export const itemServiceMod = itemMod('ItemService');
export const itemNonInventoryMod = itemMod('ItemNonInventory');

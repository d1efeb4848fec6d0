import { faults } from '../qbo-error';

/** A literal in a WHERE clause. */
export type QueryValue = string | number | boolean;

/** One `field op value` condition; conditions are ANDed (QuickBooks has no OR). */
export interface QueryCondition {
  field: string;
  op: '=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE';
  value: QueryValue | QueryValue[];
}

/** A parsed `SELECT` statement. */
export interface ParsedQuery {
  count: boolean;
  entity: string;
  where: QueryCondition[];
  orderBy?: { field: string; desc: boolean };
  startPosition: number;
  maxResults: number;
}

interface Token {
  kind: 'ID' | 'NUMBER' | 'STRING' | 'SYMBOL' | 'EOF';
  text: string;
  column: number;
}

const DEFAULT_MAX_RESULTS = 100;
const MAX_RESULTS_LIMIT = 1000;

function encountered(token: Token): never {
  const shown =
    token.kind === 'EOF' ? '"<EOF>"' : `" <${token.kind === 'ID' ? 'ID' : token.kind}> "${token.text} ""`;
  throw faults.queryParser(`${shown} at line 1, column ${token.column}.`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const column = i + 1;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) {
          // Unterminated: report whatever the parser meets first, as QuickBooks' parser does.
          tokens.push(
            { kind: 'SYMBOL', text: "'", column },
            { kind: 'EOF', text: '', column: text.length + 1 },
          );
          return tokens;
        }
        if (text[i] === '\\' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else if (text[i] === "'") {
          i++;
          break;
        } else {
          value += text[i++];
        }
      }
      tokens.push({ kind: 'STRING', text: value, column });
    } else if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const match = /^-?[0-9]+(\.[0-9]+)?/.exec(text.slice(i));
      if (!match) encountered({ kind: 'SYMBOL', text: ch, column });
      tokens.push({ kind: 'NUMBER', text: match[0], column });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
      tokens.push({ kind: 'ID', text: match![0], column });
      i += match![0].length;
    } else {
      const two = text.slice(i, i + 2);
      const symbol = ['<=', '>='].includes(two) ? two : ch;
      if (!['=', '<', '>', '<=', '>=', '(', ')', ',', '*'].includes(symbol))
        encountered({ kind: 'SYMBOL', text: symbol, column });
      tokens.push({ kind: 'SYMBOL', text: symbol, column });
      i += symbol.length;
    }
  }
  tokens.push({ kind: 'EOF', text: '', column: text.length + 1 });
  return tokens;
}

/**
 * Parses QuickBooks' query language:
 * `SELECT * | COUNT(*) FROM Entity [WHERE c AND c …] [ORDERBY f [ASC|DESC]] [STARTPOSITION n] [MAXRESULTS n]`.
 * Throws 4000 (QueryParserError) for bad syntax and 4001 (QueryValidationError) for out-of-range paging.
 */
export function parseQuery(text: string): ParsedQuery {
  const tokens = tokenize(text.trim());
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const isKeyword = (word: string) => peek().kind === 'ID' && peek().text.toUpperCase() === word;
  const keyword = (word: string) => (isKeyword(word) ? next() : encountered(peek()));
  const symbol = (s: string) =>
    peek().kind === 'SYMBOL' && peek().text === s ? next() : encountered(peek());
  const identifier = () => (peek().kind === 'ID' ? next().text : encountered(peek()));
  const value = (): QueryValue => {
    const t = next();
    if (t.kind === 'STRING') return t.text;
    if (t.kind === 'NUMBER') return Number(t.text);
    if (t.kind === 'ID' && /^(true|false)$/i.test(t.text)) return t.text.toLowerCase() === 'true';
    return encountered(t);
  };
  const integer = (name: string) => {
    const t = next();
    if (t.kind !== 'NUMBER' || !/^-?\d+$/.test(t.text)) encountered(t);
    const n = Number(t.text);
    if (n < 1) throw faults.queryValidation(`value ${n} is too small. Min allowed value is 1`);
    if (name === 'MAXRESULTS' && n > MAX_RESULTS_LIMIT)
      throw faults.queryValidation(`value ${n} is too large. Max allowed value is ${MAX_RESULTS_LIMIT}`);
    return n;
  };

  keyword('SELECT');
  let count = false;
  if (isKeyword('COUNT')) {
    next();
    symbol('(');
    symbol('*');
    symbol(')');
    count = true;
  } else {
    symbol('*');
  }
  keyword('FROM');
  const query: ParsedQuery = {
    count,
    entity: identifier(),
    where: [],
    startPosition: 1,
    maxResults: DEFAULT_MAX_RESULTS,
  };
  if (isKeyword('WHERE')) {
    next();
    do {
      const field = identifier();
      const opToken = next();
      const opText = opToken.text.toUpperCase();
      if (opToken.kind === 'SYMBOL' && ['=', '<', '>', '<=', '>='].includes(opText)) {
        query.where.push({ field, op: opText as QueryCondition['op'], value: value() });
      } else if (opToken.kind === 'ID' && opText === 'IN') {
        symbol('(');
        const values = [value()];
        while (peek().kind === 'SYMBOL' && peek().text === ',') {
          next();
          values.push(value());
        }
        symbol(')');
        query.where.push({ field, op: 'IN', value: values });
      } else if (opToken.kind === 'ID' && opText === 'LIKE') {
        const t = next();
        if (t.kind !== 'STRING') encountered(t);
        query.where.push({ field, op: 'LIKE', value: t.text });
      } else {
        encountered(opToken);
      }
    } while (isKeyword('AND') && next());
  }
  if (isKeyword('ORDERBY')) {
    next();
    const field = identifier();
    let desc = false;
    if (isKeyword('ASC') || isKeyword('DESC')) desc = next().text.toUpperCase() === 'DESC';
    query.orderBy = { field, desc };
  }
  if (isKeyword('STARTPOSITION')) {
    next();
    query.startPosition = integer('STARTPOSITION');
  }
  if (isKeyword('MAXRESULTS')) {
    next();
    query.maxResults = integer('MAXRESULTS');
  }
  if (peek().kind !== 'EOF') encountered(peek());
  return query;
}

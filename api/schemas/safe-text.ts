import type { FieldError } from '../errors';

/**
 * Characters Postgres (NUL) or QuickBooks (the other C0 controls but tab and line breaks, and DEL)
 * refuse, and lone UTF-16 surrogates, which are not text at all. No string qbo-sync accepts holds one.
 */
export const UNSAFE_TEXT =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const safeTextRule =
  'must not contain a NUL byte or other control characters (or broken Unicode): remove them';

/** Every string inside `value` (a parsed body, params or query) holding unsafe text, by dotted path. */
export function unsafeTextFields(value: unknown, path: string[] = []): FieldError[] {
  if (typeof value === 'string')
    return UNSAFE_TEXT.test(value) ? [{ path: path.join('.') || '(body)', reason: safeTextRule }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unsafeTextFields(v, [...path, String(i)]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [
      ...(UNSAFE_TEXT.test(k) ? [{ path: [...path, '(key)'].join('.'), reason: safeTextRule }] : []),
      ...unsafeTextFields(v, [...path, k]),
    ]);
  return [];
}

/**
 * Problems with the request's URL itself: malformed percent-encoding, or unsafe text in a decoded path
 * segment or query parameter. Checked before routing, so no route sees such a value.
 */
export function unsafeUrlFields(url: string): FieldError[] {
  const { pathname, search } = new URL(url);
  const fields: FieldError[] = [];
  const decode = (raw: string, where: string) => {
    try {
      const value = decodeURIComponent(raw.replace(/\+/g, ' '));
      if (UNSAFE_TEXT.test(value)) fields.push({ path: where, reason: safeTextRule });
    } catch {
      fields.push({ path: where, reason: 'is not valid percent-encoded UTF-8' });
    }
  };
  pathname.split('/').forEach((segment, i) => decode(segment, `path.${i}`));
  for (const pair of search.replace(/^\?/, '').split('&').filter(Boolean)) {
    const [rawName, ...rest] = pair.split('=');
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // reported below under its raw name
    }
    decode(rawName, `query.${name}`);
    decode(rest.join('='), `query.${name}`);
  }
  return fields;
}

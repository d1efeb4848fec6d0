import { OpenAPIHono } from '@hono/zod-openapi';
import { fieldErrors, validationError } from './errors';
import { unsafeTextFields } from './schemas/safe-text';

/**
 * A sub-app whose zod validation failures become a 422 naming each bad field and why; a NUL byte or
 * another control character in any validated string (body, path, query) is one of them. A router whose
 * routes validate each item of a body on their own (batches) passes `itemsCheckedByRoute`.
 */
export function createRouter(options: { itemsCheckedByRoute?: boolean } = {}) {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw validationError(fieldErrors(result.error));
      if (options.itemsCheckedByRoute && result.target === 'json') return;
      const unsafe = unsafeTextFields(result.data);
      if (unsafe.length) throw validationError(unsafe);
    },
  });
}

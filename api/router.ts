import { OpenAPIHono } from '@hono/zod-openapi';
import { fieldErrors, validationError } from './errors';

/** A sub-app whose zod validation failures become a 422 naming each bad field and why. */
export function createRouter() {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw validationError(fieldErrors(result.error));
    },
  });
}

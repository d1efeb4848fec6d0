import type { Payload } from '@temporalio/common';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { isLoopback } from '../../config';
import { createPayloadCodec, PayloadDecryptionError } from '../../lib/payload-codec';
import { roleOf } from '../auth';
import type { ApiDeps } from '../deps';
import { ApiError, fieldErrors, validationError } from '../errors';

/**
 * `/codec/encode` and `/codec/decode`: Temporal's remote codec protocol, so the Temporal UI (started with
 * `--ui-codec-endpoint`) and the CLI (`--codec-endpoint`) show encrypted payloads decoded. Off unless
 * CODEC_ENDPOINT=on. A caller needs the admin API key (`Authorization: Bearer …`, the CLI's
 * `--codec-auth`); only while the API listens on loopback may the UI's own origin call without one (the
 * local dev UI has no login). Browsers from any other origin are refused.
 */
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const body = z.strictObject({
  payloads: z
    .array(z.object({ metadata: z.record(z.string(), base64).nullish(), data: base64.nullish() }))
    .max(1_000, 'at most 1000 payloads per request'),
});

export function createCodecRoutes(deps: ApiDeps) {
  const { config } = deps;
  const app = new Hono();
  const origins = config.codecOrigins;
  const codec = createPayloadCodec(config.payloadKeys);
  app.use(
    '*',
    cors({
      origin: (origin) => (origins.includes(origin) ? origin : null),
      allowMethods: ['POST', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'X-Namespace', 'Authorization'],
      credentials: true,
      maxAge: 600,
    }),
  );
  app.use('*', async (c, next) => {
    const origin = c.req.header('origin');
    if (origin && !origins.includes(origin))
      throw new ApiError(403, 'forbidden', 'This origin may not use the codec endpoint.');
    const presented = c.req.header('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1];
    const admin = presented !== undefined && roleOf(presented, config) === 'admin';
    const localUi = origin !== undefined && isLoopback(config.API_HOST);
    if (!admin && !localUi)
      throw new ApiError(401, 'unauthenticated', 'The codec endpoint needs the admin API key.');
    await next();
  });
  for (const direction of ['encode', 'decode'] as const) {
    app.post(`/${direction}`, async (c) => {
      const parsed = body.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) throw validationError(fieldErrors(parsed.error));
      const payloads = parsed.data.payloads.map(fromJson);
      try {
        const out = await codec[direction](payloads);
        return c.json({ payloads: out.map(toJson) });
      } catch (err) {
        if (!(err instanceof PayloadDecryptionError)) throw err;
        throw validationError([{ path: 'payloads', reason: err.message }], 'A payload could not be decoded.');
      }
    });
  }
  return app;
}

function fromJson(p: { metadata?: Record<string, string> | null; data?: string | null }): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
    ),
    data: p.data ? Buffer.from(p.data, 'base64') : undefined,
  };
}

function toJson(p: Payload) {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

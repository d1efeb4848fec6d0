import { createRoute, z } from '@hono/zod-openapi';
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../desktop/password';
import { desktopQwc } from '../services/desktop-qwc';
import { getConnection } from '../../db/queries/connections';
import {
  getDesktopConnection,
  getDesktopConnectionByUser,
  listDesktopConnections,
  upsertDesktopConnection,
  type DesktopConnection,
} from '../../db/queries/desktop-connections';
import { countQueued } from '../../db/queries/desktop-requests';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { ApiError } from '../errors';
import { createRouter } from '../router';
import { errorResponses, realmIdParam } from '../schemas/common';

const desktopView = z.object({
  realmId: z.string(),
  companyName: z.string().nullable(),
  username: z.string(),
  createdAt: z.string(),
  lastPolledAt: z.string().nullable(),
  lastError: z.string().nullable(),
  queuedRequests: z.number(),
  qwcUrl: z.string(),
});

const registration = z.object({
  realmId: z
    .string()
    .regex(/^[0-9A-Za-z_-]{1,64}$/, 'letters, digits, "-" or "_", at most 64')
    .describe('the id syncs use for this company (the document realmId)'),
  companyName: z.string().trim().min(1).max(100),
  username: z
    .string()
    .regex(/^[A-Za-z0-9._@-]{3,64}$/, '3 to 64 letters, digits, ".", "_", "@" or "-"')
    .describe('the Web Connector user name (in the .QWC file)'),
  password: z.string().min(12, 'at least 12 characters').max(200),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/**
 * `/v1/desktop-connections` (admin key): register a QuickBooks Desktop company reached through the Web
 * Connector (a user name and a password, stored as a scrypt hash), list them with when the connector last
 * polled, and download each company's .QWC file.
 */
export function createDesktopConnectionRoutes(deps: Pick<ApiDeps, 'config' | 'db'>) {
  const admin = requireRole('admin', deps.config);
  const app = createRouter();
  const qwcUrl = (realmId: string) => `/v1/desktop-connections/${realmId}/qwc`;

  async function view(row: DesktopConnection) {
    return {
      realmId: row.realmId,
      companyName: row.companyName,
      username: row.username,
      createdAt: row.createdAt.toISOString(),
      lastPolledAt: row.lastPolledAt?.toISOString() ?? null,
      lastError: row.lastError,
      queuedRequests: await countQueued(deps.db, row.realmId),
      qwcUrl: qwcUrl(row.realmId),
    };
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      middleware: [admin] as const,
      summary:
        'Register (or set a new password for) a QuickBooks Desktop company reached through the Web Connector',
      request: { body: { content: { 'application/json': { schema: registration } }, required: true } },
      responses: { 201: json(desktopView, 'Registered'), ...errorResponses },
    }),
    async (c) => {
      const body = c.req.valid('json');
      if (await getConnection(deps.db, body.realmId))
        throw new ApiError(409, 'conflict', `Company ${body.realmId} is connected to QuickBooks Online.`, [
          { path: 'realmId', reason: 'already a QuickBooks Online company' },
        ]);
      const taken = await getDesktopConnectionByUser(deps.db, body.username);
      if (taken && taken.realmId !== body.realmId)
        throw new ApiError(409, 'conflict', 'Another company uses this Web Connector user name.', [
          { path: 'username', reason: 'already in use' },
        ]);
      const existing = await getDesktopConnection(deps.db, body.realmId);
      const row = await upsertDesktopConnection(deps.db, {
        realmId: body.realmId,
        companyName: body.companyName,
        username: body.username,
        passwordHash: await hashPassword(body.password),
        ownerId: deps.config.QBWC_OWNER_ID,
        fileId: existing?.fileId ?? `{${randomUUID().toUpperCase()}}`,
      });
      return c.json(await view(row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      middleware: [admin] as const,
      summary: 'QuickBooks Desktop companies, with when their Web Connector last polled',
      responses: {
        200: json(z.object({ connections: z.array(desktopView) }), 'The companies'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const rows = await listDesktopConnections(deps.db);
      return c.json({ connections: await Promise.all(rows.map(view)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{realmId}/qwc',
      middleware: [admin] as const,
      summary: "The company's .QWC file, to add in the Web Connector (File → Add an application)",
      request: { params: realmIdParam },
      responses: { 200: { description: 'The .QWC file (XML)' }, ...errorResponses },
    }),
    async (c) => {
      const { realmId } = c.req.valid('param');
      const qwc = await desktopQwc(deps, realmId);
      if (!qwc) throw new ApiError(404, 'not_found', `No QuickBooks Desktop company ${realmId}.`);
      return c.body(qwc.body, 200, qwc.headers);
    },
  );
  return app;
}

import { createRoute, z } from '@hono/zod-openapi';
import type { requireRole } from '../../auth';
import { errorResponses, realmIdParam } from '../../schemas/common';

/** The OpenAPI definitions of `/v1/connections`; the handlers live in handlers.ts. */

const ACCOUNTING_SCOPE_NOTE = 'com.intuit.quickbooks.accounting';

export const connectionView = z.object({
  realmId: z.string(),
  companyName: z.string().nullable(),
  environment: z.string(),
  status: z.string(),
  statusReason: z.string().nullable(),
  accessTokenExpiresAt: z.string(),
  refreshTokenExpiresAt: z.string(),
  refreshTokenHardExpiresAt: z.string().nullable(),
  connectedAt: z.string(),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** The routes, each with the middleware (e.g. the admin key check) it needs. */
export function connectionRoutes(admin: ReturnType<typeof requireRole>) {
  return {
    connect: createRoute({
      method: 'get',
      path: '/connect',
      middleware: [admin] as const,
      summary: `Start connecting a QuickBooks company (scope ${ACCOUNTING_SCOPE_NOTE}); \`realmId\` reconnects that one`,
      request: {
        query: z.object({
          realmId: z
            .string()
            .regex(/^[0-9A-Za-z_-]{1,64}$/, 'must be a QuickBooks company id')
            .optional(),
        }),
      },
      responses: {
        302: { description: 'Redirect to Intuit consent; sets the browser-binding cookie' },
        ...errorResponses,
      },
    }),
    callback: createRoute({
      method: 'get',
      path: '/callback',
      summary:
        "OAuth redirect target (no API key: the single-use state, bound to the starter's browser, and PKCE protect it)",
      request: {
        query: z.object({
          code: z.string().optional(),
          state: z.string().optional(),
          realmId: z.string().optional(),
          error: z.string().optional(),
        }),
      },
      responses: {
        200: json(
          z.object({
            realmId: z.string(),
            companyName: z.string().nullable(),
            status: z.literal('active'),
            resumedSyncs: z.number().nullable(),
          }),
          'Connected',
        ),
        303: { description: 'Connected, from a browser (Accept: text/html): back to /admin with a notice' },
        ...errorResponses,
        403: { ...errorResponses[400], description: 'The consent does not open the company named' },
        502: {
          ...errorResponses[400],
          description: 'QuickBooks refused the code or could not confirm the company',
        },
      },
    }),
    list: createRoute({
      method: 'get',
      path: '/',
      middleware: [admin] as const,
      summary: 'List connected companies (never tokens)',
      responses: {
        200: json(z.object({ connections: z.array(connectionView) }), 'Connections'),
        ...errorResponses,
      },
    }),
    seedTokens: createRoute({
      method: 'post',
      path: '/{realmId}/tokens',
      middleware: [admin] as const,
      summary: 'Seed or replace a connection from an existing token pair (tests, migrations)',
      request: {
        params: realmIdParam,
        body: {
          content: {
            'application/json': {
              schema: z.object({
                accessToken: z.string().min(1),
                refreshToken: z.string().min(1),
                expiresIn: z.number().int().positive(),
                refreshExpiresIn: z.number().int().positive(),
                refreshHardExpiresIn: z.number().int().positive().optional(),
                companyName: z.string().max(500).optional(),
              }),
            },
          },
          required: true,
        },
      },
      responses: {
        201: json(connectionView.extend({ resumedSyncs: z.number().nullable() }), 'Stored'),
        ...errorResponses,
      },
    }),
    revoke: createRoute({
      method: 'delete',
      path: '/{realmId}',
      middleware: [admin] as const,
      summary: 'Disconnect: revoke the grant at QuickBooks and stop using the company',
      request: { params: realmIdParam },
      responses: {
        200: json(
          z.object({ realmId: z.string(), status: z.literal('revoked'), revokedAtQuickBooks: z.boolean() }),
          'Revoked',
        ),
        ...errorResponses,
      },
    }),
    health: createRoute({
      method: 'get',
      path: '/{realmId}/health',
      middleware: [admin] as const,
      summary: 'Token state and the company settings that affect syncing, read live',
      request: { params: realmIdParam },
      responses: { 200: json(z.any(), 'Health'), ...errorResponses },
    }),
  };
}

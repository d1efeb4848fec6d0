import { Hono, type Context } from 'hono';
import { z, ZodError } from 'zod';
import type { SimContext, SimEnv } from '../context';

/** Body of `PUT /_sim/companies/:realmId/webhooks`: the subscription the developer portal would hold. */
const subscriptionBody = z.strictObject({
  url: z.string().url(),
  verifierToken: z.string().min(1),
  format: z.enum(['legacy', 'cloudevents']).default('cloudevents'),
  enabled: z.boolean().default(true),
  voidVerb: z.enum(['void', 'voided']).default('voided'),
  batchDelayMs: z.number().int().min(0).max(60_000).default(50),
  retryDelaysMs: z
    .array(z.number().int().min(0))
    .min(1)
    .default([10_000, 20_000, 30_000, 300_000, 1_200_000, 7_200_000, 14_400_000, 21_600_000]),
  duplicate: z.boolean().default(false),
  outOfOrder: z.boolean().default(false),
});

/** `/_sim` routes for a company's webhook subscription and what was delivered. */
export function createWebhookRoutes(sim: SimContext): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  const companyOf = (c: Context<SimEnv>) => sim.state.companies[c.req.param('realmId') ?? ''];
  const notFound = (c: Context<SimEnv>) =>
    c.json({ error: { code: 'not_found', message: 'unknown company' } }, 404);

  app.put('/_sim/companies/:realmId/webhooks', async (c) => {
    const company = companyOf(c);
    if (!company) return notFound(c);
    try {
      const text = await c.req.text();
      const subscription = subscriptionBody.parse(text.trim() ? JSON.parse(text) : {});
      sim.webhooks.subscribe(company, subscription);
      const { verifierToken: _hidden, ...shown } = subscription;
      return c.json(shown);
    } catch (err) {
      if (err instanceof ZodError || err instanceof SyntaxError)
        return c.json({ error: { code: 'bad_request', message: err.message } }, 400);
      throw err;
    }
  });
  app.delete('/_sim/companies/:realmId/webhooks', (c) => {
    if (!companyOf(c)) return notFound(c);
    sim.webhooks.unsubscribe(c.req.param('realmId'));
    return c.json({ ok: true });
  });
  app.get('/_sim/companies/:realmId/webhooks/deliveries', (c) => {
    if (!companyOf(c)) return notFound(c);
    return c.json({ deliveries: sim.webhooks.deliveries(c.req.param('realmId')) });
  });
  return app;
}

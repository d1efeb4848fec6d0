import { randomUUID } from 'node:crypto';
import { z } from 'zod';

const faultRuleSchema = z.object({
  kind: z.enum([
    'latency',
    'status',
    'throttle',
    'throttle-xml',
    'fault-in-200',
    'commit-then-lose',
    'transient-6000',
  ]),
  times: z.number().int().positive().optional(),
  probability: z.number().min(0).max(1).optional(),
  status: z
    .union([z.literal(500), z.literal(502), z.literal(503), z.literal(429), z.literal(403)])
    .optional(),
  ms: z.number().nonnegative().optional(),
  minMs: z.number().nonnegative().optional(),
  maxMs: z.number().nonnegative().optional(),
  lose: z.enum(['timeout', '502']).optional(),
  match: z
    .object({
      method: z.string().optional(),
      entity: z.string().optional(),
      operation: z.enum(['create', 'update', 'read', 'query', 'void', 'delete', 'batch']).optional(),
    })
    .optional(),
});

/** A fault the control surface asked the data API to inject. */
export type FaultRule = z.infer<typeof faultRuleSchema> & { id: string; remaining: number };

/** What a data request looks like to fault matching. */
export interface FaultTarget {
  method: string;
  entity?: string;
  operation: string;
}

/** Validates a control-surface fault body; throws a ZodError when it is malformed. */
export function parseFaultRule(body: unknown): FaultRule {
  const parsed = faultRuleSchema.parse(body);
  const remaining = parsed.times ?? (parsed.kind === 'latency' ? Number.POSITIVE_INFINITY : 1);
  return { ...parsed, id: randomUUID(), remaining };
}

function applies(rule: FaultRule, target: FaultTarget): boolean {
  const m = rule.match;
  if (m?.method && m.method.toUpperCase() !== target.method) return false;
  if (m?.entity && m.entity.toLowerCase() !== target.entity?.toLowerCase()) return false;
  if (m?.operation && m.operation !== target.operation) return false;
  return Math.random() < (rule.probability ?? 1);
}

function latencyOf(rule: FaultRule): number {
  if (rule.minMs !== undefined || rule.maxMs !== undefined) {
    const min = rule.minMs ?? 0;
    const max = rule.maxMs ?? min;
    return min + Math.random() * Math.max(0, max - min);
  }
  return rule.ms ?? 1000;
}

/**
 * Picks the faults for one request from `lists` (company rules, then global ones): latency rules add up,
 * and the first other matching rule becomes the outcome. Each use counts against the rule's `times`.
 */
export function pickFaults(
  lists: FaultRule[][],
  target: FaultTarget,
): { delayMs: number; outcome?: FaultRule } {
  let delayMs = 0;
  let outcome: FaultRule | undefined;
  for (const rules of lists) {
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if ((rule.kind !== 'latency' && outcome) || !applies(rule, target)) continue;
      if (rule.kind === 'latency') delayMs += latencyOf(rule);
      else outcome = rule;
      rule.remaining--;
      if (rule.remaining <= 0) rules.splice(i--, 1);
    }
  }
  return { delayMs, outcome };
}

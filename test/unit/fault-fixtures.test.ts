import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { errorPatterns } from '../../workflows/contract';
import { classifyFault } from '../../quickbooks/faults';

/**
 * Error bodies QuickBooks, its gateway, its OAuth endpoint and its SDKs really produced, as published in SDK
 * issues, Intuit's docs and integrators' pages (test/fixtures/qbo-faults/*.json, one file per source family).
 * Each names its source; `synthetic: true` marks a variant we wrote ourselves.
 */
interface Fixture {
  source: string;
  status: number;
  body: unknown;
  expected: string;
  code?: string;
  note?: string;
  synthetic?: boolean;
}

const dir = join(__dirname, '..', 'fixtures', 'qbo-faults');
const families = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({
    family: file.replace(/\.json$/, ''),
    fixtures: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Fixture[],
  }));
const all = families.flatMap((f) => f.fixtures);

describe('classifyFault over published QuickBooks error bodies', () => {
  it('has at least 60 real (non-synthetic) bodies, each with a source and a known pattern', () => {
    const real = all.filter((f) => !f.synthetic);
    assert.ok(real.length >= 60, `only ${real.length} real fixtures`);
    for (const f of all) {
      assert.match(
        f.source,
        /^https:\/\/\S+$/,
        `fixture without a source: ${JSON.stringify(f).slice(0, 80)}`,
      );
      assert.ok((errorPatterns as readonly string[]).includes(f.expected), `unknown pattern ${f.expected}`);
      assert.ok(Number.isInteger(f.status), `status of ${f.source}`);
    }
  });

  for (const { family, fixtures } of families) {
    describe(family, () => {
      fixtures.forEach((f, i) => {
        const label = `${i + 1}. ${f.expected}${f.code ? ` (${f.code})` : ''} ← ${f.source.replace(/^https:\/\/(github\.com\/)?/, '')}`;
        it(label, () => {
          const fault = classifyFault(f.status, f.body);
          assert.equal(fault.pattern, f.expected, `classified as ${fault.pattern} (code ${fault.code})`);
          if (f.code) assert.equal(fault.code, f.code);
        });
      });
    });
  }
});

describe('classifyFault never throws', () => {
  const statuses = fc.constantFrom(0, 200, 400, 401, 403, 404, 429, 500, 502, 503);
  const check = (body: fc.Arbitrary<unknown>) =>
    fc.assert(
      fc.property(statuses, body, (status, b) => {
        const fault = classifyFault(status, b);
        return (errorPatterns as readonly string[]).includes(fault.pattern) && typeof fault.hint === 'string';
      }),
      { numRuns: 400 },
    );

  it('on arbitrary JSON values', () => check(fc.jsonValue()));
  it('on arbitrary JSON text and strings', () =>
    check(fc.oneof(fc.json(), fc.string(), fc.string({ unit: 'binary' }))));
  it('on fault-shaped objects with arbitrary fields', () =>
    check(
      fc.record(
        {
          Fault: fc.record({
            Error: fc.array(
              fc.dictionary(fc.constantFrom('Message', 'Detail', 'code', 'element'), fc.jsonValue()),
            ),
            type: fc.jsonValue(),
          }),
          error: fc.jsonValue(),
          response: fc.record({ data: fc.oneof(fc.json(), fc.jsonValue()) }),
        },
        { requiredKeys: [] },
      ),
    ));
  it('on fixture bodies cut at any point', () =>
    check(
      fc
        .tuple(
          fc.constantFrom(...all.map((f) => (typeof f.body === 'string' ? f.body : JSON.stringify(f.body)))),
          fc.nat(),
        )
        .map(([s, n]) => s.slice(0, n % (s.length + 1))),
    ));
  it('on deeply nested values', () => {
    let deep: unknown = { Message: 'Stale Object Error', code: '5010' };
    for (let i = 0; i < 5000; i++) deep = i % 2 ? { response: deep } : [deep];
    assert.ok(errorPatterns.includes(classifyFault(400, deep).pattern));
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../config';
import { searchAttributes } from '../../workflows/contract';

/** The README and .env.example tell a new user the truth about configuration and search attributes. */
const root = path.join(__dirname, '..', '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const envExample = readFileSync(path.join(root, '.env.example'), 'utf8');
const defaults: Record<string, unknown> = loadConfig({});
const variables = Object.keys(defaults).filter((k) => /^[A-Z][A-Z0-9_]*$/.test(k));

describe('README and .env.example: configuration as config.ts reads it', () => {
  it('starts with the two commands', () => {
    const top = readme.slice(0, 300);
    assert.match(top, /npm start/);
    assert.match(top, /npm test/);
  });

  it("lists every variable in the README's table with config.ts's default", () => {
    for (const name of variables) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\``));
      assert.ok(row, `README row for ${name}`);
      assert.ok(
        row.includes(`\`${String(defaults[name])}\``),
        `README default of ${name} is ${String(defaults[name])}: ${row}`,
      );
    }
  });

  it('gives every variable in .env.example with a comment and a value config.ts accepts', () => {
    const lines = envExample.split('\n');
    const entries: Record<string, string> = {};
    for (const [i, line] of lines.entries()) {
      const m = line.match(/^([A-Z][A-Z0-9_]*)=(.*)$/);
      if (!m) continue;
      assert.ok(lines[i - 1]?.startsWith('#'), `${m[1]} has a comment`);
      entries[m[1]] = m[2];
    }
    for (const name of variables) assert.ok(name in entries, `.env.example has ${name}`);
    const known = Object.fromEntries(Object.entries(entries).filter(([k]) => variables.includes(k)));
    const parsed: Record<string, unknown> = loadConfig(known);
    for (const name of variables)
      assert.equal(String(parsed[name]), String(defaults[name]), `.env.example's ${name} is the default`);
  });

  it('names every search attribute the workflows publish', () => {
    for (const key of Object.values(searchAttributes))
      assert.match(readme, new RegExp(`\\| \`${key.name}\``), key.name);
  });

  it('leaves the Performance section for npm run bench', () => {
    assert.match(readme, /^## Performance$/m);
  });
});

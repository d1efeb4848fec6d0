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

  it('installs reproducibly: the README, .ci/run and the Dockerfile all use npm ci', () => {
    const commands =
      readme
        .match(/^```sh\n([\s\S]*?)^```/m)?.[1]
        .trim()
        .split('\n') ?? [];
    assert.equal(commands.length, 2, 'two commands at the top');
    for (const command of commands)
      assert.match(command, /^npm ci --no-audit --no-fund && npm (start|test)\b/);
    const testCommand = commands[1].replace(/\s+#.*$/, '');
    const ci = readFileSync(path.join(root, '.ci', 'run'), 'utf8');
    assert.ok(
      ci.split('\n').includes(testCommand),
      `.ci/run runs exactly the README's test command (${testCommand})`,
    );
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^RUN npm ci\b/m);
    for (const [name, text] of [
      ['README.md', readme],
      ['.ci/run', ci],
      ['Dockerfile', dockerfile],
    ])
      assert.doesNotMatch(text, /^[^#\n]*\bnpm install\b/m, `${name} installs with npm ci only`);
  });

  it('links the Performance section to bench/RESULTS.md, where every figure says when and how', () => {
    const performance = readme.slice(readme.search(/^## Performance$/m), readme.search(/^## Deploying/m));
    assert.match(performance, /\]\(bench\/RESULTS\.md\)/);
    assert.doesNotMatch(performance, /^\|/m, 'no figures table in the README: one home for the figures');
    const results = readFileSync(path.join(root, 'bench', 'RESULTS.md'), 'utf8');
    const sections = [...results.matchAll(/<!-- bench-part:(\S+) -->([\s\S]*?)<!-- \/bench-part:\1 -->/g)];
    assert.ok(sections.length > 0, 'bench/RESULTS.md has sections');
    for (const [, part, body] of sections) {
      assert.match(body, /^Measured \d{4}-\d{2}-\d{2} on /m, `${part}: when and on what machine`);
      // A `-notes` section is written by hand: its method is prose beside the figures it discusses.
      if (part.endsWith('-notes')) continue;
      const figures = [...body.matchAll(/^\| (?!Figure |-)(.+?) +\|/gm)].map((m) => m[1]);
      assert.ok(figures.length > 0, `${part}: figures`);
      for (const figure of figures)
        assert.ok(body.includes(`- **${figure}**: `), `${part}: how "${figure}" was measured`);
    }
  });
});

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { Figure } from './measure';

/** bench/RESULTS.md: the bench's figures, one section per part; README.md's Performance section links here. */
export const resultsFile = path.join(__dirname, 'RESULTS.md');

const header = [
  '# Bench results',
  '',
  'Written by `npm run bench` (`bench/run.ts`). Each part has a section of its own, regenerated whole (figures,',
  'method and date) whenever that part runs; the sections of parts not run are kept as they were.',
].join('\n');

const open = (part: string) => `<!-- bench-part:${part} -->`;
const close = (part: string) => `<!-- /bench-part:${part} -->`;

/** The machine and the date, as the first line of a part's section. */
export function measuredOn(date = new Date()): string {
  return (
    `Measured ${date.toISOString().slice(0, 10)} on ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}; everything on loopback ` +
    '(Temporal dev server, Postgres, simulator, worker, API).'
  );
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The figures as a markdown table (figure and value), for the console and for a part's section. */
export function table(figures: Figure[]): string {
  return [
    '| Figure | Value |',
    '|---|---|',
    ...figures.map((f) => `| ${cell(f.figure)} | ${cell(f.value)} |`),
  ].join('\n');
}

/** One part's section: its title, when and where it was measured, the figures, and how each was measured. */
export function section(part: string, title: string, figures: Figure[], measured = measuredOn()): string {
  return [
    open(part),
    `## ${title} (\`npm run bench -- ${part}\`)`,
    '',
    measured,
    '',
    table(figures),
    '',
    'How each figure was measured:',
    '',
    ...figures.map((f) => `- **${f.figure}**: ${f.how.replace(/\n/g, ' ')}`),
    close(part),
  ].join('\n');
}

/** The sections already in the file, by part, in file order. */
function readSections(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const m of text.matchAll(/<!-- bench-part:([a-z0-9-]+) -->[\s\S]*?<!-- \/bench-part:\1 -->/g))
    sections.set(m[1], m[0]);
  return sections;
}

/**
 * Replaces the sections of the parts given (whole: title, date, figures and method) in bench/RESULTS.md
 * and keeps the others; `order` is the order sections appear in. Formatted as the rest of the repository,
 * so the test command's format check keeps passing.
 */
export async function writeResults(
  results: { part: string; title: string; figures: Figure[]; measured?: string }[],
  order: readonly string[],
  file = resultsFile,
): Promise<void> {
  const sections = readSections(existsSync(file) ? readFileSync(file, 'utf8') : '');
  for (const r of results) sections.set(r.part, section(r.part, r.title, r.figures, r.measured));
  const known = [
    ...order.filter((p) => sections.has(p)),
    ...[...sections.keys()].filter((p) => !order.includes(p)),
  ];
  const text = [header, ...known.map((p) => sections.get(p)!)].join('\n\n') + '\n';
  writeFileSync(file, await format(text, { parser: 'markdown', ...(await resolveConfig(file)) }));
}

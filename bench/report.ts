import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import os from 'node:os';
import path from 'node:path';
import type { Figure } from './measure';

const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';

/** The figures as a markdown table, with the machine they were measured on. */
export function table(figures: Figure[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}; everything on loopback (Temporal dev server, Postgres, simulator, worker, API).`,
    '',
    '| Figure | Value | How it was measured |',
    '|---|---|---|',
    ...figures.map((f) => `| ${cell(f.figure)} | ${cell(f.value)} | ${cell(f.how)} |`),
  ].join('\n');
}

/**
 * Writes the table into README.md's `## Performance` section between the bench markers, creating the
 * markers (or the section, at the end) when missing. Rows of parts not run this time are kept.
 */
export async function writeReadme(figures: Figure[]): Promise<void> {
  const file = path.join(__dirname, '..', 'README.md');
  let readme = readFileSync(file, 'utf8');
  const previous = readme.includes(start)
    ? readme.slice(readme.indexOf(start) + start.length, readme.indexOf(end))
    : '';
  // Rows of earlier runs, read cell by cell (prettier pads the columns).
  const kept = previous
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    )
    .filter(
      ([figure, _value, how]) =>
        how !== undefined &&
        figure !== 'Figure' &&
        !/^-+$/.test(figure) &&
        !figures.some((f) => figure === f.figure.replace(/\|/g, '\\|')),
    )
    .map(([figure, value, how]) => ({ figure, value, how }));
  const block = `${start}\n${table([...kept, ...figures])}\n${end}`;
  if (readme.includes(start) && readme.includes(end)) {
    readme = readme.slice(0, readme.indexOf(start)) + block + readme.slice(readme.indexOf(end) + end.length);
  } else if (/^## Performance$/m.test(readme)) {
    const at = readme.search(/^## Performance$/m);
    const nextHeading = readme.slice(at + 1).search(/^## /m);
    const insertAt = nextHeading === -1 ? readme.length : at + 1 + nextHeading;
    readme = `${readme.slice(0, insertAt).trimEnd()}\n\n${block}\n\n${readme.slice(insertAt)}`;
  } else {
    readme = `${readme.trimEnd()}\n\n## Performance\n\n${block}\n`;
  }
  // Formatted as the rest of the repository, so the test command's format check keeps passing.
  writeFileSync(file, await format(readme, { parser: 'markdown', ...(await resolveConfig(file)) }));
}

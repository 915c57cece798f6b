import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deadlineTable } from '../../scripts/deadline-table';

/** What the documents say that the code can check: the generated deadline table, and one entry per variable. */
const ROOT = resolve(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** A markdown table's rows as trimmed cells, the separator row left out. */
const cells = (rows: string[]) =>
  rows
    .filter((row) => !/^\|[\s|:-]+\|$/.test(row))
    .map((row) =>
      row
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );

test("docs/sales-procedure.md's table of default deadlines is the one `npm run docs:deadlines` prints from the definitions", () => {
  const lines = read('docs/sales-procedure.md').split('\n');
  const start = lines.indexOf('## Default deadlines');
  expect(start).toBeGreaterThan(0);
  const table: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('|')) table.push(line.trim());
    else if (table.length > 0) break;
  }
  expect(cells(table)).toEqual(cells(deadlineTable().split('\n')));
});

test('every variable of config/env.ts is described in docs/configuration.md and listed in .env.example', () => {
  const variables = [...read('config/env.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]+): z\b/gm)].map((m) => m[1]!);
  expect(variables).toEqual(expect.arrayContaining(['DATABASE_URL', 'LOG_LEVEL', 'LOG_FORMAT', 'NOTIFY_WEBHOOK_HOSTS']));
  const docs = read('docs/configuration.md');
  const example = read('.env.example');
  expect(variables.filter((v) => !docs.includes(`\`${v}\``))).toEqual([]);
  expect(variables.filter((v) => !new RegExp(`^#? ?${v}=`, 'm').test(example))).toEqual([]);
});

test("docs/definitions.md's complete example is the code of definitions/built-in/examples/phase-review.ts, which definitions.test.ts validates", () => {
  const doc = read('docs/definitions.md');
  const example = /## A complete example[\s\S]*?```ts\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(example).toBeDefined();
  expect(read('definitions/built-in/examples/phase-review.ts')).toContain(example!.trim());
});

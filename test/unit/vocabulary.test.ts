import zhCN from '../../web/src/locales/zh-CN.json';
import enUS from '../../web/src/locales/en-US.json';
import zhCNPages from '../../web/src/locales/zh-CN.pages.json';
import enUSPages from '../../web/src/locales/en-US.pages.json';
import { BUILT_IN_DEFINITIONS } from '../../definitions/built-in';
import { walkSteps } from '../../definitions/walk';
import type { Step } from '../../definitions';

// Issue 23: "the document type reads 'Overall plan decision'" — a kind with no name in
// the user's language shows as a humanised English key. Every document kind, system
// step and event that the built-in definitions can produce has a name in both languages.

type Tree = { [key: string]: string | Tree };
const has = (tree: Tree, path: string[]): boolean => {
  let node: string | Tree | undefined = tree;
  for (const part of path) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string';
};

const kinds = new Set<string>();
const activities = new Set<string>();
const events = new Set<string>();
for (const definition of BUILT_IN_DEFINITIONS) {
  for (const event of definition.events ?? []) events.add(event.name);
  for (const { step } of walkSteps(definition.root as Step)) {
    if ('record' in step && typeof step.record === 'string') kinds.add(step.record);
    if (step.kind === 'approval' && step.revise?.record) kinds.add(step.revise.record);
    if (step.kind === 'activity') activities.add(step.activity);
    if (step.kind === 'event') events.add(step.event);
    // A step that keeps its record kind as an input of an activity (the briefs).
    if (step.kind === 'activity' && step.input && 'record' in step.input) {
      const record = step.input.record as { value?: unknown };
      if (typeof record?.value === 'string') kinds.add(record.value);
    }
  }
}

test.each([
  ['records.kinds', kinds],
  ['activities', activities],
  ['events', events],
])('every %s of the built-in definitions is named in zh-CN and en', (section, keys) => {
  expect(keys.size).toBeGreaterThan(2);
  const path = (key: string) => [...section.split('.'), ...key.split('.')];
  // The core strings and the pages' strings are one vocabulary (two chunks of it).
  const zh = { ...(zhCN as Tree), ...(zhCNPages as Tree) };
  const en = { ...(enUS as Tree), ...(enUSPages as Tree) };
  const missing = [...keys].filter((key) => !has(zh, path(key)) || !has(en, path(key)));
  expect(missing).toEqual([]);
});

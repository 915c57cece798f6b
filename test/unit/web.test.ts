import { PERMISSIONS, ROLE_NAMES } from '../../api/permissions';
import { mayActOnTask } from '../../api/services/access';
import { PROCESS_STATUSES, STEP_STATUSES, TASK_STATUSES, UNIT_STATUSES } from '../../domain';
import type { Principal } from '../../api/services/auth-service';
import type { Task } from '../../web/src/api/types';
import { humanise, localText } from '../../web/src/i18n/humanise';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import enUS from '../../web/src/locales/en-US.json';
import enUSPages from '../../web/src/locales/en-US.pages.json';
import zhCN from '../../web/src/locales/zh-CN.json';
import zhCNPages from '../../web/src/locales/zh-CN.pages.json';
import {
  funnelOption,
  heatmapOption,
  phasesOption,
  rankingOption,
  shareOption,
  trendOption,
} from '../../web/src/pages/analytics/chart-options';
import { boardChartOption } from '../../web/src/pages/board/chart-option';
import { prefillFrom } from '../../web/src/components/prefill';
import { isAssignee, taskPermissions } from '../../web/src/task-access';

// The web app's pure parts: locale files, human names for the API's keys, the
// chart's option, and the task rules that must match the API's.

type Tree = { [key: string]: string | Tree };

/** Every leaf of a locale file as `a.b.c` → value. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

// The core strings and the pages' strings (a chunk of their own) are one vocabulary.
const zh = new Map([...leaves(zhCN as Tree), ...leaves(zhCNPages as Tree)]);
const en = new Map([...leaves(enUS as Tree), ...leaves(enUSPages as Tree)]);

test('the core and the pages strings do not share a section (one home per key)', () => {
  for (const [core, pages] of [
    [zhCN, zhCNPages],
    [enUS, enUSPages],
  ] as const)
    expect(Object.keys(core).filter((k) => k in pages)).toEqual([]);
});

/** Every source file of the web app. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

test('every literal key the pages translate exists in both languages (no raw key on screen)', () => {
  const used = new Set<string>();
  for (const file of sources(join(__dirname, '..', '..', 'web', 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g)) used.add(m[1]!);
  }
  expect(used.size).toBeGreaterThan(200);
  // A key read whole (`returnObjects`, e.g. every record kind's name) is a section of both.
  const section = (tree: Map<string, unknown>, key: string) => [...tree.keys()].some((k) => k.startsWith(`${key}.`));
  const missing = [...used].filter((key) => !(zh.has(key) || section(zh, key)) || !(en.has(key) || section(en, key)));
  expect(missing).toEqual([]);
});

test('the shell, sign-in and My tasks use only the core strings (the pages strings are not loaded for them)', () => {
  const web = join(__dirname, '..', '..', 'web', 'src');
  const core = [leaves(zhCN as Tree), leaves(enUS as Tree)];
  const files = ['layout', 'components', 'pages/login', 'pages/tasks', 'main.tsx', 'session.tsx'].flatMap((p) =>
    statSync(join(web, p)).isDirectory() ? sources(join(web, p)) : [join(web, p)],
  );
  const used = files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g)].map((m) => m[1]!),
  );
  expect(used.length).toBeGreaterThan(50);
  expect(used.filter((key) => !core.every((strings) => strings.has(key)))).toEqual([]);
});

test('zh-CN and en-US have the same keys, and no value is empty', () => {
  expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
  for (const [key, value] of [...zh, ...en]) expect({ key, empty: value.trim() === '' }).toEqual({ key, empty: false });
});

test('interpolations are the same in both languages', () => {
  const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
  for (const [key, value] of zh) expect({ key, vars: vars(value) }).toEqual({ key, vars: vars(en.get(key)!) });
});

test('every role, permission, outcome and status the API speaks has a name in both languages', () => {
  const keys = [
    ...ROLE_NAMES.map((r) => `role.${r}`),
    ...PERMISSIONS.map((p) => `permission.${p}`),
    ...PERMISSIONS.map((p) => `permissionModule.${p.split('.')[0]}`),
    ...['approve', 'reject', 'revise', 'done'].map((o) => `outcome.${o}`),
    ...PROCESS_STATUSES.map((s) => `status.process.${s}`),
    ...TASK_STATUSES.map((s) => `status.task.${s}`),
    ...STEP_STATUSES.map((s) => `status.step.${s}`),
    ...UNIT_STATUSES.map((s) => `status.unit.${s}`),
    ...['process.started', 'process.completed', 'task.created', 'task.completed', 'task.escalated', 'task.reminded'].map(
      (e) => `event.${e}`,
    ),
    ...['claim', 'release', 'delegate', 'reassign', 'returned', 'extend-deadline', 'pause-deadline', 'resume-deadline'].map(
      (e) => `event.task.${e}`,
    ),
  ];
  for (const key of keys) expect({ key, zh: zh.has(key), en: en.has(key) }).toEqual({ key, zh: true, en: true });
});

test('an untranslated key reads as words, never as the raw key', () => {
  expect(humanise('task.extend-deadline')).toBe('Task extend deadline');
  expect(humanise('sales_supervisor')).toBe('Sales supervisor');
  expect(humanise('nextContactAt')).toBe('Next contact at');
  expect(humanise('approval.approver_added')).not.toMatch(/[._-]/);
});

test('the board chart is a pure function of the counts', () => {
  const option = boardChartOption(
    [
      { key: 'sales_agent', open: 5, overdue: 2, escalated: 1 },
      { key: 'general_manager', open: 1, overdue: 0, escalated: 0 },
    ],
    { open: '待处理', overdue: '逾期', escalated: '已升级', name: (k) => (k === 'sales_agent' ? '置业顾问' : '项目经理部总经理') },
  );
  expect(option.yAxis.data).toEqual(['置业顾问', '项目经理部总经理']);
  expect(option.legend.data).toEqual(['待处理', '逾期', '已升级']);
  expect(option.series.map((s) => s.data)).toEqual([
    [5, 1],
    [2, 0],
    [1, 0],
  ]);
});

test("the page's task rules agree with the API's (mayActOnTask)", () => {
  const me = 'u-me';
  const roleSets = [['sales_agent'], ['sales_supervisor'], ['general_manager'], ['sales_agent', 'sales_supervisor']];
  const tasks = [];
  for (const assigneeUserId of [null, me, 'u-other'])
    for (const [originalRole, assigneeRole, escalationLevel] of [
      ['sales_agent', 'sales_agent', 0],
      ['sales_agent', 'sales_supervisor', 1],
      ['sales_supervisor', 'general_manager', 1],
    ] as const)
      tasks.push({ assigneeUserId, originalRole, assigneeRole, escalationLevel });
  for (const roles of roleSets) {
    const principal = { userId: me, roles, permissions: new Set(), projects: 'all' } as unknown as Principal;
    for (const task of tasks) {
      expect({ roles, task, page: isAssignee({ id: me, roles, permissions: [] }, task) }).toEqual({
        roles,
        task,
        page: mayActOnTask(principal, task),
      });
    }
  }
});

test('the page offers only the actions the API allows', () => {
  const task = {
    id: 't',
    status: 'open',
    assigneeRole: 'sales_supervisor',
    originalRole: 'sales_supervisor',
    assigneeUserId: null,
    delegateUserId: null,
    escalationLevel: 0,
  } as unknown as Task;
  const supervisor = { id: 's', roles: ['sales_supervisor'], permissions: ['tasks.complete', 'tasks.manage'] as const };
  const agent = { id: 'a', roles: ['sales_agent'], permissions: ['tasks.complete'] as const };
  expect(taskPermissions({ ...supervisor, permissions: [...supervisor.permissions] }, task)).toMatchObject({
    complete: true,
    claim: true,
    release: false,
    reassign: true,
  });
  expect(taskPermissions({ ...agent, permissions: [...agent.permissions] }, task)).toMatchObject({
    complete: false,
    claim: false,
    delegate: false,
    reassign: false,
  });
  const delegated = { ...task, assigneeUserId: 's', delegateUserId: 'a' } as Task;
  expect(taskPermissions({ ...agent, permissions: [...agent.permissions] }, delegated)).toMatchObject({ handBack: true, complete: false });
  expect(taskPermissions({ ...supervisor, permissions: [...supervisor.permissions] }, delegated)).toMatchObject({
    complete: true,
    delegate: false,
    release: true,
  });
});

test('the analysis charts draw the API figures as they are', () => {
  const steps = [
    { stage: 'visits', count: 10, rate: null, overall: null },
    { stage: 'registrations', count: 6, rate: 0.6, overall: 0.6 },
    { stage: 'contracts', count: 2, rate: 0.3333, overall: 0.2 },
  ];
  const funnel = funnelOption(steps, (s) => `<${s}>`);
  expect(funnel.yAxis.data).toEqual(['<visits>', '<registrations>', '<contracts>']);
  expect(funnel.series[0]!.data).toEqual([10, 6, 2]);

  const trend = trendOption(
    [
      { period: '2026-11-01', visits: 3, contracts: 1, contractAmount: 2_000_000 },
      { period: '2026-11-02', visits: 5, contracts: 0, contractAmount: 0 },
    ],
    ['visits', 'contracts'],
    ['contractAmount'],
    (m) => m.toUpperCase(),
  );
  expect(trend.xAxis.data).toEqual(['2026-11-01', '2026-11-02']);
  expect(trend.series.map((s) => [s.name, s.type, s.yAxisIndex, s.data])).toEqual([
    ['VISITS', 'line', 0, [3, 5]],
    ['CONTRACTS', 'line', 0, [1, 0]],
    ['CONTRACTAMOUNT', 'bar', 1, [2_000_000, 0]],
  ]);

  // Phase by phase: one category per phase; a phase without a plan target draws no target bar.
  const phase = (n: number, visits: number, contracts: number, units: number | null) => ({
    phase: n,
    name: n === 1 ? '开盘' : null,
    from: '2026-10-01',
    to: '2026-10-31',
    current: false,
    figures: { visits, contracts, contractAmount: contracts * 1_000_000 },
    visitToContract: null,
    target: units === null ? null : { units, amount: null },
    achieved: null,
    change: null,
  });
  const phases = phasesOption([phase(1, 40, 6, 10), phase(2, 25, 8, null)], {
    label: (p) => `P${p.phase}${p.name ? ` ${p.name}` : ''}`,
    visits: 'V',
    contracts: 'C',
    targetUnits: 'T',
    contractAmount: 'A',
  });
  expect(phases.xAxis.data).toEqual(['P1 开盘', 'P2']);
  expect(phases.series.map((s) => [s.name, s.type, s.yAxisIndex, s.data])).toEqual([
    ['V', 'bar', 0, [40, 25]],
    ['C', 'bar', 0, [6, 8]],
    ['T', 'bar', 0, [10, null]],
    ['A', 'line', 1, [6_000_000, 8_000_000]],
  ]);

  const rows = [
    { key: 'a', name: 'Agent A', contractAmount: 5 },
    { key: 'b', name: 'Agent B', contractAmount: 3 },
  ];
  expect(rankingOption(rows, 'contractAmount', (r) => r.name).series[0]!.data).toEqual([5, 3]);
  expect(shareOption(rows, 'contractAmount', (r) => r.key).series[0]!.data).toEqual([
    { name: 'a', value: 5 },
    { name: 'b', value: 3 },
  ]);

  // Buildings across, floors up; each cell its sell-through in percent.
  const heat = heatmapOption(
    [
      { projectId: 'P', building: '10', floor: 2, units: 4, soldUnits: 1, unitSellThrough: 0.25 },
      { projectId: 'P', building: '2', floor: 1, units: 4, soldUnits: 4, unitSellThrough: 1 },
      { projectId: 'P', building: '2', floor: 2, units: 4, soldUnits: 0, unitSellThrough: null },
    ],
    { sold: 'sold' },
  );
  expect(heat.xAxis.data).toEqual(['2', '10']);
  expect(heat.yAxis.data).toEqual(['1', '2']);
  expect(heat.series[0]!.data).toEqual([
    [1, 1, 25],
    [0, 0, 100],
    [0, 1, 0],
  ]);
});

test('a definition’s bilingual text shows the part of the user’s language', () => {
  expect(localText('到访接待 Visitor reception', 'zh-CN')).toBe('到访接待');
  expect(localText('到访接待 Visitor reception', 'en')).toBe('Visitor reception');
  // The engine's revision tasks: "Revise: " and the approval's own bilingual title.
  expect(localText('Revise: 总经理审批《项目销售总体计划》 GM approves the overall sales plan', 'zh-CN')).toBe(
    '修改：总经理审批《项目销售总体计划》',
  );
  expect(localText('Revise: 总经理审批《项目销售总体计划》 GM approves the overall sales plan', 'en')).toBe(
    'Revise: GM approves the overall sales plan',
  );
  expect(localText('《到访客户意向登记表》 Register the visitor’s intent', 'en')).toBe('Register the visitor’s intent');
  expect(localText('审核、修改、补充并确认 Review and confirm the adjusted plan', 'zh-CN')).toBe('审核、修改、补充并确认');
  expect(localText('付款方式 Payment method', 'en')).toBe('Payment method');
  // One language only, or English text with Chinese in it: whole.
  expect(localText('Approve the request', 'zh-CN')).toBe('Approve the request');
  expect(localText('现场接待', 'en')).toBe('现场接待');
  expect(localText('Unit 3-1201 折扣', 'en')).toBe('Unit 3-1201 折扣');
  expect(localText('', 'en')).toBe('');
  // No space before the English, and an id after Chinese (not English).
  expect(localText('客户分析会（与营销管理部）Customer meeting with marketing', 'en')).toBe('Customer meeting with marketing');
  expect(localText('客户分析会（与营销管理部）Customer meeting with marketing', 'zh-CN')).toBe('客户分析会（与营销管理部）');
  expect(localText('审批折扣 addd8c', 'zh-CN')).toBe('审批折扣 addd8c');
});

test('a task form starts from the figures its context carries, for the fields they suit', () => {
  const fields = [
    { name: 'visitors', type: 'integer' as const },
    { name: 'byChannel', type: 'text' as const },
    { name: 'findings', type: 'text' as const, required: true },
    { name: 'deals', type: 'integer' as const },
  ];
  expect(prefillFrom(fields, { figures: { visitors: 12, byChannel: '转介绍 5', deals: 'two', other: 1 } })).toEqual({
    visitors: 12,
    byChannel: '转介绍 5',
  });
  // An effect summary's period and counts: days become the date picker's values.
  const brief = prefillFrom(
    [
      { name: 'periodFrom', type: 'date' },
      { name: 'leads', type: 'integer' },
      { name: 'spend', type: 'money' },
    ],
    { figures: { periodFrom: '2026-11-01', leads: 7, channels: ['event'] } },
  );
  expect(Object.keys(brief)).toEqual(['periodFrom', 'leads']);
  expect((brief.periodFrom as { format(f: string): string }).format('YYYY-MM-DD')).toBe('2026-11-01');
  expect(prefillFrom(fields, null)).toEqual({});
  expect(prefillFrom(fields, { instruction: 'x' })).toEqual({});
});

test('two reads that load different things never share a cache key (useApi)', () => {
  // A key is the API path and what decides the answer; a page that loads the roles
  // together with the projects under ['/api/roles'] would hand the roles page an array.
  const loaders = new Map<string, Set<string>>();
  for (const file of sources(join(__dirname, '..', '..', 'web', 'src'))) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/useApi(?:<[^>]*>)?\(\s*(?:[^?[]*\?\s*)?(\[[^\]]*\])(?:\s*:\s*null)?\s*,\s*([^\n]*)/g)) {
      // The key without its variable parts, and the loader's first line.
      const key = m[1]!.replace(/\s+/g, ' ');
      const loader = m[2]!.trim();
      loaders.set(key, new Set([...(loaders.get(key) ?? []), loader]));
    }
  }
  expect(loaders.size).toBeGreaterThan(20);
  const shared = [...loaders].filter(([, set]) => set.size > 1).map(([key, set]) => `${key}: ${[...set].join(' | ')}`);
  expect(shared).toEqual([]);
});

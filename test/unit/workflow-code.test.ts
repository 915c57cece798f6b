import { join } from 'node:path';
import { ConfigError } from '../../config/env';
import { chooseWorkflowCode, defaultWorkflowBundlePath, WORKFLOWS_PATH } from '../../worker/workflow-code';

// Where the worker's workflow code comes from: the prebuilt bundle when it runs
// compiled (or one is named), webpack at start from the sources. The compiled
// worker loading the real bundle is in test/integration/production-build.test.ts.

const ROOT = '/app';
const BUNDLE = join(ROOT, 'dist', 'workflow-bundle.js');
const only =
  (...files: string[]) =>
  (path: string) =>
    files.includes(path);

test('the build script and the compiled worker agree on where the bundle is', () => {
  expect(defaultWorkflowBundlePath(join(ROOT, 'scripts', 'build-workflow-bundle.ts'))).toBe(BUNDLE);
  expect(defaultWorkflowBundlePath(join(ROOT, 'dist', 'scripts', 'build-workflow-bundle.js'))).toBe(BUNDLE);
  expect(defaultWorkflowBundlePath(join(ROOT, 'dist', 'worker', 'main.js'))).toBe(BUNDLE);
});

test('compiled, the worker loads dist/workflow-bundle.js when the build wrote it', () => {
  expect(chooseWorkflowCode({ moduleFile: join(ROOT, 'dist', 'worker', 'main.js'), exists: only(BUNDLE) })).toEqual({
    source: 'prebuilt',
    codePath: BUNDLE,
  });
});

test('compiled without a bundle, it bundles the compiled workflows at start and says why', () => {
  expect(chooseWorkflowCode({ moduleFile: join(ROOT, 'dist', 'worker', 'main.js'), exists: only() })).toEqual({
    source: 'bundle-at-start',
    workflowsPath: WORKFLOWS_PATH,
    reason: `no prebuilt bundle at ${BUNDLE}`,
  });
});

test('from the sources (tsx, tests) it bundles at start, even beside an older build', () => {
  expect(chooseWorkflowCode({ moduleFile: join(ROOT, 'worker', 'main.ts'), exists: only(BUNDLE) })).toEqual({
    source: 'bundle-at-start',
    workflowsPath: WORKFLOWS_PATH,
    reason: 'running from the TypeScript sources',
  });
});

test('WORKFLOW_BUNDLE_PATH wins either way, and must name a file', () => {
  const mine = '/bundles/workflows.js';
  for (const moduleFile of [join(ROOT, 'worker', 'main.ts'), join(ROOT, 'dist', 'worker', 'main.js')]) {
    expect(chooseWorkflowCode({ configuredPath: mine, moduleFile, exists: only(mine, BUNDLE) })).toEqual({
      source: 'prebuilt',
      codePath: mine,
    });
  }
  expect(() =>
    chooseWorkflowCode({ configuredPath: '/nope.js', moduleFile: join(ROOT, 'dist', 'worker', 'main.js'), exists: only(BUNDLE) }),
  ).toThrow(ConfigError);
  expect(() => chooseWorkflowCode({ configuredPath: '/nope.js', moduleFile: join(ROOT, 'worker', 'main.ts'), exists: only() })).toThrow(
    /^WORKFLOW_BUNDLE_PATH: no file at \/nope\.js/,
  );
});

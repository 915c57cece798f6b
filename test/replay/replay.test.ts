import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { BUILT_IN_DEFINITIONS } from '../../definitions';
import { installQuietRuntime, workflowBundle } from '../support/system';

// Recorded histories of every built-in definition (and of one definition using
// every step kind) replayed against the current workflow code, offline. A change
// that would break instances already running fails here. Re-record on purpose
// with `npm run replay:record`.

const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

test('every built-in definition version has a recorded history', () => {
  const recorded = new Set(files.map((f) => f.split('.')[0]));
  const missing = BUILT_IN_DEFINITIONS.map((d) => `${d.key}@${d.version}`).filter((k) => !recorded.has(k));
  expect(missing).toEqual([]);
});

test('the recorded histories replay without nondeterminism', async () => {
  installQuietRuntime();
  expect(files.length).toBeGreaterThanOrEqual(3);
  const histories = files.map((file) => {
    const recorded = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { workflowId: string; history: string };
    return { workflowId: recorded.workflowId, history: temporal.api.history.v1.History.decode(Buffer.from(recorded.history, 'base64')) };
  });
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
}, 120_000);

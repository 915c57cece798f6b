import { proxyActivities } from '@temporalio/workflow';
import type { ProcessActivities } from '../activities';
import type { ProcessInput, ProcessResult } from '../workflows/messages';

// The benchmark's bundle: the real interpreter, and the same ten-step process
// written by hand as a plain Temporal workflow, doing the same activity calls.
export { processInterpreter } from '../workflows/process-workflow';

const acts = proxyActivities<ProcessActivities>({ startToCloseTimeout: '30 seconds' });

/** Ten `echo` steps in sequence, with the interpreter's own bookkeeping around them. */
export async function handWrittenTenSteps(input: ProcessInput): Promise<ProcessResult> {
  await acts.registerProcess({
    processId: input.processId,
    projectId: input.projectId,
    parentId: null,
    definitionKey: 'hand-written',
    definitionVersion: 1,
    title: 'Hand-written',
    input: input.input,
    startedBy: input.startedBy,
    at: Date.now(),
  });
  const variables: Record<string, unknown> = { ...input.input };
  for (let i = 1; i <= 10; i++) {
    variables[`step${i}`] = await acts.runStepActivity({
      processId: input.processId,
      stepKey: `step${i}`,
      activity: 'echo',
      input: { n: i },
    });
  }
  await acts.finishProcess({ processId: input.processId, status: 'completed', at: Date.now() });
  return { status: 'completed', variables };
}

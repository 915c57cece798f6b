import { condition, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type * as activities from './activities';

// Temporal's own floor for "start, one Update, end": what any product on this
// server pays at least. The product is measured against these in the same run.

/** The one Update both floor workflows wait for. */
export const finishUpdate = defineUpdate<string, [string]>('finish');

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

/** Started, receives one Update, ends. No activities. */
export async function floorWorkflow(): Promise<string> {
  let done = false;
  setHandler(finishUpdate, (by) => {
    done = true;
    return by;
  });
  await condition(() => done);
  return 'done';
}

/** The same, with one no-op activity in the Update handler (one round trip to a worker). */
export async function floorWithActivity(): Promise<string> {
  let done = false;
  setHandler(finishUpdate, async (by) => {
    await noop();
    done = true;
    return by;
  });
  await condition(() => done);
  return 'done';
}

/**
 * Waits until `dueAt` and returns how late its timer fired by workflow time (the
 * start of the workflow task that saw it): the floor of an escalation's lateness,
 * which the product records at the same moment of its own workflow task.
 */
export async function floorTimer(dueAt: number): Promise<number> {
  await sleep(Math.max(1, dueAt - Date.now()));
  return Date.now() - dueAt;
}

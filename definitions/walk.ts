import type { Step } from './types';

// Kept apart from the validator (which carries the zod schema) so that the web app
// and the workflow sandbox can walk a definition without bundling it.

/** A step inside a block, and where it sits there (`steps.0`, `body`, `onEvent.1.step`, …). */
export interface InnerStep {
  step: Step;
  at: string;
}

/** The steps a block runs in its normal course, in order. */
export function stepsWithin(step: Step): InnerStep[] {
  switch (step.kind) {
    case 'sequence':
      return step.steps.map((s, i) => ({ step: s, at: `steps.${i}` }));
    case 'parallel':
      return step.branches.map((s, i) => ({ step: s, at: `branches.${i}` }));
    case 'decision':
      return [
        ...step.branches.map((b, i) => ({ step: b.step, at: `branches.${i}.step` })),
        ...(step.otherwise ? [{ step: step.otherwise, at: 'otherwise' }] : []),
      ];
    case 'loop':
      return [{ step: step.body, at: 'body' }];
    default:
      return [];
  }
}

/** The steps of a block that only an event starts: its interruption's `then`, its event handlers. */
export function stepsOnEvent(step: Step): InnerStep[] {
  if (step.kind !== 'sequence' && step.kind !== 'parallel' && step.kind !== 'loop') return [];
  return [
    ...(step.interruptedBy?.then ? [{ step: step.interruptedBy.then, at: 'interruptedBy.then' }] : []),
    ...(step.onEvent ?? []).map((h, i) => ({ step: h.step, at: `onEvent.${i}.step` })),
  ];
}

/** Every step of a definition with its path, depth first. */
export function walkSteps(step: Step, path = 'root'): { step: Step; path: string }[] {
  return [
    { step, path },
    ...[...stepsWithin(step), ...stepsOnEvent(step)].flatMap((inner) => walkSteps(inner.step, `${path}.${inner.at}`)),
  ];
}

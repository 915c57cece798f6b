import type { Step } from './types';

// Kept apart from the validator (which carries the zod schema) so that the web app
// can walk a definition without bundling it.

/** Every step of a definition with its path, depth first. */
export function walkSteps(step: Step, path = 'root'): { step: Step; path: string }[] {
  const children: { step: Step; path: string }[] = [];
  switch (step.kind) {
    case 'sequence':
      step.steps.forEach((s, i) => children.push(...walkSteps(s, `${path}.steps.${i}`)));
      break;
    case 'parallel':
      step.branches.forEach((s, i) => children.push(...walkSteps(s, `${path}.branches.${i}`)));
      break;
    case 'decision':
      step.branches.forEach((b, i) => children.push(...walkSteps(b.step, `${path}.branches.${i}.step`)));
      if (step.otherwise) children.push(...walkSteps(step.otherwise, `${path}.otherwise`));
      break;
    case 'loop':
      children.push(...walkSteps(step.body, `${path}.body`));
      break;
    default:
      break;
  }
  if (step.kind === 'sequence' || step.kind === 'parallel' || step.kind === 'loop') {
    if (step.interruptedBy?.then) children.push(...walkSteps(step.interruptedBy.then, `${path}.interruptedBy.then`));
    step.onEvent?.forEach((h, i) => children.push(...walkSteps(h.step, `${path}.onEvent.${i}.step`)));
  }
  return [{ step, path }, ...children];
}

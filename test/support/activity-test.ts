import type { ProcessRegistration } from '../../activities';
import type { Actor } from '../../domain';

/**
 * The registration of a fresh process of the `activity-test` definition (no such
 * definition is published: unit tests of one activity need only its rows).
 */
export function testRegistration(
  processId: string,
  startedBy: Actor,
  more: { at?: number; input?: Record<string, unknown>; definitionVersion?: number } = {},
): ProcessRegistration {
  return {
    processId,
    projectId: 'DEMO',
    parentId: null,
    definitionKey: 'activity-test',
    definitionVersion: more.definitionVersion ?? 1,
    title: 'Activity test',
    input: more.input ?? {},
    startedBy,
    at: more.at ?? Date.now(),
  };
}

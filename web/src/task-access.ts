import type { Me, Task } from './api/types';

// The same rules as the API (api/services/access.ts `mayActOnTask` and
// api/services/task-service.ts `act`), so that a page offers only what the API
// will accept. test/unit/web-task-access.test.ts checks the two agree.

/** The caller as the rules need it. */
export type Caller = Pick<Me, 'id' | 'roles' | 'permissions'>;

/** Whether the caller is the task's assignee (mirrors `mayActOnTask`). */
export function isAssignee(
  caller: Caller,
  task: Pick<Task, 'assigneeRole' | 'originalRole' | 'assigneeUserId' | 'escalationLevel'>,
): boolean {
  if (task.escalationLevel > 0 && caller.roles.includes(task.assigneeRole)) return true;
  if (task.assigneeUserId !== null) return task.assigneeUserId === caller.id;
  return caller.roles.includes(task.assigneeRole) || caller.roles.includes(task.originalRole);
}

/** What the caller may do with an open task. */
export interface TaskPermissions {
  complete: boolean;
  /** Complete as the delegate: the task returns to its assignee. */
  handBack: boolean;
  claim: boolean;
  release: boolean;
  delegate: boolean;
  reassign: boolean;
  deadline: boolean;
}

/** Every action the API would allow the caller on `task`. */
export function taskPermissions(caller: Caller, task: Task): TaskPermissions {
  const none = { complete: false, handBack: false, claim: false, release: false, delegate: false, reassign: false, deadline: false };
  if (task.status !== 'open') return none;
  const works = caller.permissions.includes('tasks.complete');
  const manager = caller.permissions.includes('tasks.manage');
  const delegate = task.delegateUserId === caller.id;
  const assignee = isAssignee(caller, task);
  return {
    // The owner may still decide while a delegate works on it (the API and the workflow allow it).
    complete: works && !delegate && assignee,
    handBack: works && delegate,
    // Claiming takes a task nobody holds yet for oneself.
    claim: works && task.assigneeUserId === null && (caller.roles.includes(task.assigneeRole) || caller.roles.includes(task.originalRole)),
    release: works && task.assigneeUserId !== null && (task.assigneeUserId === caller.id || manager),
    delegate: works && task.delegateUserId === null && (manager || assignee),
    reassign: manager,
    deadline: manager,
  };
}

import { condition } from '@temporalio/workflow';
import type { ApprovalStep, ApproverSpec, Outcome } from '../definitions/types';
import { FailureTypes } from '../domain/failures';
import type { HumanTasks } from './human-tasks';
import type { ApproverChangeRequest } from './messages';
import { refuse, type RunState } from './run-state';

/** A running approval, whose approvers an authorised user may change. */
interface ApprovalRun {
  approvers: ApproverSpec[];
  skipped: Set<number>;
  round: number;
  /** Task ids of the current round, by approver index. */
  openTasks: Map<number, string>;
}

/** One approver's decision, as the step's variable lists them. */
interface Decision {
  round: number;
  role: string;
  outcome: Outcome;
  by: string;
  data: Record<string, unknown>;
}

/**
 * The approval steps of one process: approvers in a chain or all at once (joint),
 * rounds of revision by the submitter, and the approver changes an authorised
 * user makes while an approval runs. Each approver's decision is a human task.
 */
export class Approvals {
  private readonly running = new Map<string, ApprovalRun>();

  constructor(
    private readonly run: RunState,
    private readonly tasks: HumanTasks,
  ) {}

  /** The approvals as queries show them: approver roles, skipped indexes, round. */
  snapshot(): Record<string, { approvers: string[]; skipped: number[]; round: number }> {
    return Object.fromEntries(
      [...this.running.entries()].map(([key, a]) => [
        key,
        { approvers: a.approvers.map((x) => x.role), skipped: [...a.skipped], round: a.round },
      ]),
    );
  }

  /**
   * Runs an approval step to its verdict: completed when approved, rejected otherwise.
   * Its tasks are keyed under `taskKeyBase` (the step key, or a fresh one when a
   * migration starts the approval again).
   */
  async decide(step: ApprovalStep, key: string, taskKeyBase = key): Promise<'completed' | 'rejected'> {
    const approval: ApprovalRun = { approvers: [...step.approvers], skipped: new Set(), round: 1, openTasks: new Map() };
    this.running.set(key, approval);
    const decisions: Decision[] = [];
    const data: Record<string, unknown> = {};
    const publish = (outcome?: string) => {
      this.run.variables[step.id] = {
        ...(outcome ? { outcome } : {}),
        rounds: approval.round,
        decisions: [...decisions],
        data: { ...data },
      };
    };
    for (;;) {
      const canRevise = step.revise !== undefined && approval.round <= step.revise.maxRounds;
      const outcomes: Outcome[] = canRevise ? ['approve', 'reject', 'revise'] : ['approve', 'reject'];
      const decideOne = async (index: number): Promise<Outcome | 'skipped'> => {
        const approver = approval.approvers[index]!;
        const end = await this.tasks.open({
          taskKey: `${taskKeyBase}/r${approval.round}/${index + 1}`,
          stepId: step.id,
          title: step.title,
          role: approver.role,
          outcomes,
          form: step.form ?? [],
          record: step.record,
          due: approver.due,
          policy: approver.deadline,
          onCreated: (taskId) => approval.openTasks.set(index, taskId),
        });
        approval.openTasks.delete(index);
        if (end.kind === 'cancelled') return 'skipped';
        const c = end.completion;
        decisions.push({ round: approval.round, role: approver.role, outcome: c.outcome, by: c.actor.username, data: c.data });
        Object.assign(data, c.data);
        publish();
        return c.outcome;
      };

      let verdict: 'approve' | 'reject' | 'revise' = 'approve';
      if (step.mode === 'joint') {
        const verdicts: (Outcome | 'skipped')[] = [];
        const indexes = approval.approvers.map((_, i) => i).filter((i) => !approval.skipped.has(i));
        const pending = indexes.map((i) => decideOne(i).then((v) => void verdicts.push(v)));
        // Everyone decides at once; the first reject or revise settles the round,
        // and the others' tasks are withdrawn.
        await condition(() => verdicts.some((v) => v === 'reject' || v === 'revise') || verdicts.length === indexes.length);
        verdict = verdicts.includes('reject') ? 'reject' : verdicts.includes('revise') ? 'revise' : 'approve';
        if (verdict !== 'approve') for (const taskId of approval.openTasks.values()) await this.tasks.withdraw(taskId, 'withdrawn');
        await Promise.all(pending);
      } else {
        // Read the length each time: an approver may be added while the chain runs.
        for (let i = 0; i < approval.approvers.length; i++) {
          if (approval.skipped.has(i)) continue;
          const v = await decideOne(i);
          if (v === 'reject' || v === 'revise') {
            verdict = v;
            break;
          }
        }
      }
      if (verdict === 'approve' || verdict === 'reject') {
        publish(verdict === 'approve' ? 'approved' : 'rejected');
        return verdict === 'approve' ? 'completed' : 'rejected';
      }
      // Revise: back to the submitter, whose changed data goes through every approver again.
      const revise = step.revise!;
      const end = await this.tasks.open({
        taskKey: `${taskKeyBase}/r${approval.round}/revise`,
        stepId: step.id,
        title: `Revise: ${step.title}`,
        role: revise.role,
        assignTo: revise.assignTo,
        outcomes: ['done'],
        form: revise.form ?? step.form ?? [],
        record: revise.record,
        due: revise.due,
        policy: revise.deadline,
      });
      if (end.kind === 'completed') Object.assign(data, end.completion.data);
      approval.round += 1;
      approval.skipped.clear();
      publish();
    }
  }

  /** Validator of `approverChangeUpdate`. */
  validateChange(request: ApproverChangeRequest): void {
    const approval = this.running.get(request.stepKey);
    if (!approval || this.run.steps[request.stepKey] !== 'running')
      throw refuse(FailureTypes.approvalNotFound, `No running approval ${request.stepKey}`);
    if (request.action === 'skip') {
      if (request.index < 0 || request.index >= approval.approvers.length)
        throw refuse(FailureTypes.actionNotAllowed, `No approver ${request.index}`);
      if (approval.skipped.has(request.index)) throw refuse(FailureTypes.actionNotAllowed, `Approver ${request.index} is already skipped`);
      if (approval.approvers.length - approval.skipped.size <= 1)
        throw refuse(FailureTypes.actionNotAllowed, 'An approval keeps at least one approver');
    } else if (!this.run.definition.roles.includes(request.role)) {
      throw refuse(FailureTypes.actionNotAllowed, `Role ${request.role} is not one of this process's roles`);
    }
  }

  /** Handler of `approverChangeUpdate`: state first, then the history entry. */
  async change(request: ApproverChangeRequest, actionId: string): Promise<{ approvers: string[]; skipped: number[] }> {
    const approval = this.running.get(request.stepKey)!;
    if (request.action === 'skip') {
      approval.skipped.add(request.index);
      const open = approval.openTasks.get(request.index);
      if (open) await this.tasks.withdraw(open, 'skipped');
    } else {
      const position = Math.min(request.position ?? approval.approvers.length, approval.approvers.length);
      approval.approvers.splice(position, 0, { role: request.role, due: request.due });
      // Indexes after the insertion point move up by one.
      approval.skipped = new Set([...approval.skipped].map((i) => (i >= position ? i + 1 : i)));
      approval.openTasks = new Map([...approval.openTasks].map(([i, id]) => [i >= position ? i + 1 : i, id]));
    }
    await this.run.acts.recordProcessAction({
      processId: this.run.processId,
      actionId,
      type: `approval.${request.action === 'add' ? 'approver_added' : 'approver_skipped'}`,
      stepKey: request.stepKey,
      actor: request.actor,
      data: request.action === 'add' ? { role: request.role, position: request.position ?? null } : { index: request.index },
      at: Date.now(),
    });
    return { approvers: approval.approvers.map((a) => a.role), skipped: [...approval.skipped] };
  }
}
